"""A turn's start time as the event page draws it (used by transcripts/reader/turn_html.py).

With media, the time is a link `/events/<slug>/?t=754#t-<id>`: followed without
JavaScript it opens the page with the player at that moment; player.js turns a click
into "play from here". Without media it is just the time.
"""

from __future__ import annotations

from django.utils.html import escape

from transcripts.media.embed import media_for
from transcripts.media.timecode import format_clock, iso_duration


def playable_base(event) -> str:
    """The event page's path when the event has media to play, else ''."""
    return event.get_absolute_url() if media_for(event) else ""


def start_attr(turn) -> str:
    return f' data-start="{turn.start_seconds:.2f}"' if turn.start_seconds is not None else ""


def paragraph_start_attr(turn, number: int) -> str:
    starts = turn.paragraph_starts or []
    start = starts[number - 1] if number <= len(starts) else None
    return f' data-start="{start:.2f}"' if isinstance(start, (int, float)) else ""


def time_html(turn, play_base: str) -> str:
    seconds = turn.start_seconds
    label = format_clock(seconds)
    stamp = f'<time datetime="{iso_duration(seconds)}">{label}</time>'
    if not play_base:
        return f'<span class="turn-time">{stamp}</span>'
    href = escape(f"{play_base}?t={int(seconds)}#{turn.anchor}")
    return (
        f'<a class="turn-time" href="{href}" data-seek="{seconds:.2f}" '
        f'aria-label="Play from {label}" title="Play from {label}">'
        f'<span class="play-icon" aria-hidden="true">▶</span> {stamp}</a>'
    )
