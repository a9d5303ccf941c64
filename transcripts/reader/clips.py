"""A quote's clip: the span of the recording a quote link plays.

When the event has media and the quoted turn is timed, a quote link carries its span
(`?t=754&end=778`): the page plays just that, the card says "Clip 12:34–12:58", and the
embeds start and stop there. Turns carry only their start time, so a turn's span runs to
where the next timed turn starts; a link may carry a narrower span, which is kept inside
the turn. Whatever a link carries that is not a time inside the turn (negative, reversed,
beyond the turn, not a number) gives way to the turn's own span: never an error.
"""

from __future__ import annotations

from dataclasses import dataclass

from transcripts.media.embed import media_for
from transcripts.media.timecode import format_clock, parse_offset
from transcripts.models import Turn

# The last timed turn has no next start to end it: a carried end is believed this far
# after its start at most.
MAX_OPEN_SPAN = 15 * 60


@dataclass(frozen=True)
class Clip:
    start: float
    end: float | None  # None: the turn is the last timed one and the link gave no end

    @property
    def query(self) -> str:
        """What a quote link carries: `t=754&end=778` (seconds)."""
        return f"t={self.start:g}" + (f"&end={self.end:g}" if self.end is not None else "")

    @property
    def label(self) -> str:
        """What the card says."""
        if self.end is None:
            return f"Plays from {format_clock(self.start)}"
        return f"Clip {format_clock(self.start)}–{format_clock(self.end)}"


def next_start(turn) -> float | None:
    """Where the next timed turn of the event starts (one indexed query)."""
    return (
        Turn.objects.filter(event_id=turn.event_id, position__gt=turn.position, start_seconds__isnull=False)
        .order_by("position")
        .values_list("start_seconds", flat=True)
        .first()
    )


def turn_clip(start: float | None, following: float | None) -> Clip | None:
    """A turn's own span: from its start to the next timed turn's start."""
    if start is None:
        return None
    return Clip(start, following if following is not None and following > start else None)


def carried(own: Clip, t: str = "", end: str = "") -> Clip:
    """The span a link carries (`t`, `end` as written in it) when it lies inside the turn's
    span; the turn's own when any part it carries is not a time there (negative, reversed,
    beyond the turn, not a number)."""
    limit = own.end if own.end is not None else own.start + MAX_OPEN_SPAN
    start = parse_offset(t) if t else own.start
    stop = parse_offset(end) if end else own.end
    if start is None or not own.start <= start < limit:
        return own
    if end and (stop is None or not start < stop <= limit):
        return own
    return Clip(start, stop if stop is not None and stop > start else None)


def quote_clip(event, turn, *, t: str = "", end: str = "", following=...) -> Clip | None:
    """The clip a quote of `turn` plays, or None when the event has no media or the turn
    no time. `following` is the next timed turn's start when the caller knows it."""
    if turn is None or getattr(turn, "start_seconds", None) is None or media_for(event) is None:
        return None
    own = turn_clip(turn.start_seconds, next_start(turn) if following is ... else following)
    return carried(own, t, end) if own and (t or end) else own


def with_clip(path: str, clip: Clip | None) -> str:
    """A quote link's path with its span."""
    if clip is None:
        return path
    return f"{path}{'&' if '?' in path else '?'}{clip.query}"
