"""Uploaded media files served with HTTP range requests.

Browsers seek in <audio>/<video> by asking for byte ranges; a server that ignores them
makes the player restart from zero whenever a reader clicks a turn's time. Django's
static `serve` view does not answer ranges, hence this small view. On a busy site put a
web server in front of MEDIA_ROOT instead; this one keeps `make run` and the tests honest.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.utils._os import safe_join
from django.views.decorators.http import require_safe

from transcripts.media.embed import AUDIO_TYPES, VIDEO_TYPES

# At most 18 digits (no file is an exabyte): a longer number is ignored like any other
# unreadable Range, and never reaches int(), which refuses over 4,300 digits.
_RANGE = re.compile(r"bytes=(\d{0,18})-(\d{0,18})")
SERVED_FOLDERS = ("media", "captions")
DOWNLOAD_TYPE = "application/octet-stream"
# A range is sent in pieces of this size, as FileResponse sends a whole file: a player
# opening a recording asks for "bytes=0-", which read at once held the file in memory.
RANGE_CHUNK_BYTES = 64 * 1024


def _file(request, path: str) -> Path:
    from transcripts.models import Event

    if path.split("/", 1)[0] not in SERVED_FOLDERS:
        raise Http404("No such file.")
    # Only files of published events, so a draft's recording stays private (staff see all).
    events = Event.objects.filter(Q(media_file=path) | Q(captions_file=path))
    if not request.user.is_staff:
        events = events.filter(status=Event.Status.PUBLISHED)
    if not events.exists():
        raise Http404("No such file.")
    try:
        full = Path(safe_join(settings.MEDIA_ROOT, path))
    except SuspiciousFileOperation:  # a path outside MEDIA_ROOT
        raise Http404("No such file.") from None
    if not full.is_file():
        raise Http404("No such file.")
    return full


def _content_type(full: Path) -> str:
    """Only types a browser plays or reads as captions: a file restored from an archive
    under media/ or captions/ may be named page.html or app.js, and served as that from
    this site's origin it would run as the site's own page or script."""
    suffix = full.suffix.lower()
    if suffix in (".vtt", ".srt"):
        return "text/vtt; charset=utf-8" if suffix == ".vtt" else "text/plain; charset=utf-8"
    return AUDIO_TYPES.get(suffix) or VIDEO_TYPES.get(suffix) or DOWNLOAD_TYPE


def _byte_span(full: Path, start: int, length: int, chunk: int = RANGE_CHUNK_BYTES):
    """`length` bytes of the file from `start`, read a chunk at a time. A generator, so
    the response closes the file when the client goes away."""
    with full.open("rb") as handle:
        handle.seek(start)
        while length > 0:
            piece = handle.read(min(chunk, length))
            if not piece:  # the file shrank meanwhile
                return
            length -= len(piece)
            yield piece


def safe_media_headers(view):
    """nosniff on every media response, and anything not audio, video or captions is a
    download (Content-Disposition: attachment), never a page."""

    @functools.wraps(view)
    def wrapped(request, path):
        response = view(request, path)
        response["X-Content-Type-Options"] = "nosniff"
        if response.get("Content-Type", DOWNLOAD_TYPE).startswith(DOWNLOAD_TYPE):
            response["Content-Disposition"] = "attachment"
        return response

    return wrapped


@safe_media_headers
@require_safe
def serve_media(request, path):
    full = _file(request, path)
    size = full.stat().st_size
    content_type = _content_type(full)
    match = _RANGE.fullmatch(request.headers.get("Range", "").strip())
    if not match or not any(match.groups()):
        response = FileResponse(full.open("rb"), content_type=content_type)
        response["Accept-Ranges"] = "bytes"
        return response
    first, last = match.groups()
    if first:
        start, end = int(first), min(int(last) if last else size - 1, size - 1)
    else:  # "bytes=-500": the last 500 bytes
        start, end = max(size - int(last), 0), size - 1
    if start >= size or start > end:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    response = StreamingHttpResponse(_byte_span(full, start, end - start + 1), status=206, content_type=content_type)
    response["Content-Length"] = str(end - start + 1)
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Accept-Ranges"] = "bytes"
    return response
