"""Times as people write them: '12:34', '1:02:03', '[01:23:45]', '?t=754', '?t=12m34s'."""

from __future__ import annotations

import math
import re

_CLOCK = re.compile(r"\[?\s*(?:(\d{1,3}):)?(\d{1,3}):(\d{2})(?:[.,](\d{1,3}))?\s*\]?")
_UNITS = re.compile(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s?)?")
# Longest media we believe in (a day); anything later is a typo, not a time.
MAX_SECONDS = 24 * 3600


def parse_clock(text: str) -> float | None:
    """'01:23:45', '12:34', '[1:02:03.5]' -> seconds; None for anything else."""
    match = _CLOCK.fullmatch((text or "").strip())
    if not match:
        return None
    hours, minutes, secs, fraction = match.groups()
    if int(secs) >= 60 or (hours and int(minutes) >= 60):
        return None
    millis = int(fraction.ljust(3, "0")) if fraction else 0
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(secs) + millis / 1000


def parse_offset(value: str) -> float | None:
    """A `?t=` value: '754', '754.5', '12m34s', '1h2m3s' or '12:34'; None when it is not a time."""
    value = (value or "").strip().lower()
    if not value:
        return None
    seconds = parse_clock(value)
    if seconds is None:
        match = _UNITS.fullmatch(value)
        if not match or not any(match.groups()):
            return None
        hours, minutes, secs = match.groups()
        seconds = int(hours or 0) * 3600 + int(minutes or 0) * 60 + float(secs or 0)
    return seconds if math.isfinite(seconds) and 0 <= seconds <= MAX_SECONDS else None


def format_clock(seconds: float) -> str:
    """754.2 -> '12:34'; 3723 -> '1:02:03' (what the turn's time button shows)."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def iso_duration(seconds: float) -> str:
    """754 -> 'PT12M34S', for schema.org and datetime attributes."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes or hours else "") + f"{secs}S"
