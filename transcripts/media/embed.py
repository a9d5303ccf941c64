"""What kind of media an event has, and how the player embeds it.

One function decides the kind (`media_for`): a YouTube or Vimeo page gets a facade that
loads the provider's iframe only when the reader clicks (no request to the provider
before that); an audio or video file plays in <audio>/<video> from our own server or the
URL given.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

AUDIO_TYPES = {
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".wav": "audio/wav",
    ".ogg": "audio/ogg",
    ".oga": "audio/ogg",
    ".opus": "audio/ogg",
}
VIDEO_TYPES = {".mp4": "video/mp4", ".m4v": "video/mp4", ".webm": "video/webm", ".mov": "video/quicktime"}
YOUTUBE_HOSTS = {
    "youtube.com",
    "www.youtube.com",
    "m.youtube.com",
    "youtu.be",
    "www.youtube-nocookie.com",
    "youtube-nocookie.com",
    "music.youtube.com",
}
VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}
YOUTUBE_EMBED = "https://www.youtube-nocookie.com/embed/{id}?enablejsapi=1&rel=0&playsinline=1"
VIMEO_EMBED = "https://player.vimeo.com/video/{id}?dnt=1"
_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_VIMEO_ID = re.compile(r"\d{4,12}")


@dataclass(frozen=True)
class Media:
    kind: str  # "youtube", "vimeo", "audio", "video"
    url: str  # what the player loads (embed URL for the providers, the file URL otherwise)
    page_url: str  # where a reader can open it themselves
    mime_type: str = ""
    provider_id: str = ""

    @property
    def is_embed(self) -> bool:
        return self.kind in ("youtube", "vimeo")

    @property
    def provider_name(self) -> str:
        return {"youtube": "YouTube", "vimeo": "Vimeo"}.get(self.kind, "")

    def as_dict(self) -> dict:
        return {"kind": self.kind, "url": self.url, "page_url": self.page_url, "mime_type": self.mime_type}


def embed_at(media: Media, start: float | None, end: float | None = None) -> str:
    """The provider's embed URL playing from `start` and stopping at `end` (a quote's clip).
    YouTube takes both as whole seconds (`start=`, `end=`; the end rounded up, so the last
    word is heard); Vimeo takes only a start (`#t=…s`): player.js pauses it at the end
    through Vimeo's postMessage API, and without JavaScript it plays on."""
    if media.kind == "youtube":
        at = f"&start={int(start)}" if start else ""
        stop = f"&end={math.ceil(end)}" if end is not None and end > (start or 0) else ""
        return media.url + at + stop
    if media.kind == "vimeo":
        return media.url + (f"#t={int(start)}s" if start else "")
    return media.url


def _youtube_id(parts) -> str:
    if parts.hostname == "youtu.be":
        candidate = parts.path.strip("/").split("/")[0]
    elif parts.path == "/watch":
        candidate = parse_qs(parts.query).get("v", [""])[0]
    else:  # /embed/ID, /shorts/ID, /live/ID, /v/ID
        bits = parts.path.strip("/").split("/")
        candidate = bits[1] if len(bits) > 1 and bits[0] in ("embed", "shorts", "live", "v") else ""
    return candidate if _YOUTUBE_ID.fullmatch(candidate) else ""


def _vimeo_id(parts) -> str:
    candidate = next((bit for bit in reversed(parts.path.strip("/").split("/")) if _VIMEO_ID.fullmatch(bit)), "")
    return candidate


def media_kind(url: str) -> Media | None:
    """The player for a media URL, or None when it is neither a known provider nor a media file."""
    try:
        parts = urlsplit((url or "").strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https", "") or (parts.scheme and not parts.hostname):
        return None
    host = (parts.hostname or "").lower()
    if host in YOUTUBE_HOSTS:
        video_id = _youtube_id(parts)
        return Media("youtube", YOUTUBE_EMBED.format(id=video_id), url, provider_id=video_id) if video_id else None
    if host in VIMEO_HOSTS:
        video_id = _vimeo_id(parts)
        return Media("vimeo", VIMEO_EMBED.format(id=video_id), url, provider_id=video_id) if video_id else None
    suffix = "." + parts.path.rsplit(".", 1)[-1].lower() if "." in parts.path.rsplit("/", 1)[-1] else ""
    if suffix in AUDIO_TYPES:
        return Media("audio", url, url, AUDIO_TYPES[suffix])
    if suffix in VIDEO_TYPES:
        return Media("video", url, url, VIDEO_TYPES[suffix])
    return None


def media_for(event) -> Media | None:
    """The event's media: an uploaded file first, else its media URL."""
    if event.media_file:
        return media_kind(event.media_file.url)
    return media_kind(event.media_url)
