"""What the event page's player needs: the media, where to start, and the share tags."""

from __future__ import annotations

from dataclasses import dataclass

from transcripts.media.embed import Media, embed_at, media_for
from transcripts.media.timecode import format_clock, parse_offset


@dataclass
class Player:
    media: Media
    start: float | None  # seconds, from ?t= or the quote's clip
    timed_turns: int
    end: float | None = None  # a clip's end: ?end=, or the quote's clip's

    @property
    def end_label(self) -> str:
        return format_clock(self.end) if self.end is not None else ""

    @property
    def start_label(self) -> str:
        return format_clock(self.start) if self.start is not None else ""

    @property
    def src(self) -> str:
        """A file's URL with a media fragment, so the player starts there even without JavaScript."""
        if self.start is not None and self.end is not None:
            return f"{self.media.url}#t={self.start:g},{self.end:g}"  # a media fragment: the browser stops there
        return f"{self.media.url}#t={self.start:g}" if self.start else self.media.url

    @property
    def embed_src(self) -> str:
        """The provider's iframe URL for the clip (or from the start): see embed_at."""
        return embed_at(self.media, self.start, self.end)

    @property
    def provider_url(self) -> str:
        """The provider's own page at the start time (the no-JavaScript way to watch)."""
        if self.media.kind == "youtube":
            at = f"&t={int(self.start)}s" if self.start else ""
            return f"https://www.youtube.com/watch?v={self.media.provider_id}{at}"
        if self.media.kind == "vimeo":
            return f"https://vimeo.com/{self.media.provider_id}" + (f"#t={int(self.start)}s" if self.start else "")
        return self.src


def player_for(request, event, turns, *, clip=None) -> Player | None:
    """The player for the event page, or None when the event has no playable media.
    A quote page plays its clip (transcripts.reader.clips); any other page starts at `?t=`
    and, given a later `?end=`, stops there."""
    media = media_for(event)
    if media is None:
        return None
    timed = sum(t.start_seconds is not None for t in turns)
    if clip is not None:
        return Player(media, clip.start, timed, clip.end)
    start = parse_offset(request.GET.get("t", ""))
    end = parse_offset(request.GET.get("end", ""))
    if start is None or end is None or end <= start:
        end = None
    return Player(media, start, timed, end)


def share_tags(player: Player | None, absolute) -> list[tuple[str, str]]:
    """Open Graph (property, content) pairs for the media, for a quote or event link."""
    if player is None:
        return []
    media = player.media
    if media.is_embed:
        return [
            ("og:video", player.provider_url),
            ("og:video:secure_url", player.provider_url),
            ("og:video:type", "text/html"),
        ]
    url = absolute(player.src) if player.src.startswith("/") else player.src
    kind = "og:audio" if media.kind == "audio" else "og:video"
    return [(kind, url), (f"{kind}:type", media.mime_type)]
