"""Captions files (WebVTT, SubRip) read into timed words, through webvtt-py.

A cue gives (start, end, text, speaker). Speakers come from a WebVTT voice (`<v Name>`)
or a `Name:` prefix (Zoom's export). YouTube's automatic captions carry a time for each
word (`word<00:00:01.234><c> next</c>`) and repeat the previous line at the top of the
next cue; both are handled so each spoken word appears once, with its own time when the
file gives one and otherwise spread evenly over its cue.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import webvtt
from webvtt.errors import MalformedFileError

MAX_CAPTIONS_BYTES = 20 * 1024 * 1024

_TIME = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{1,3})")
_INLINE_TIME = re.compile(r"<((?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})>")
_TAG = re.compile(r"</?[^>]*>")
# "Charles Gibson: Good evening" / "CHARLES GIBSON: Good evening" (a name, not a sentence).
_SPEAKER_PREFIX = re.compile(r"^\s*((?:[A-Z][\w.'’-]*)(?: [A-Z][\w.'’-]*){0,4}):\s+")


class CaptionsError(ValueError):
    """A captions file that cannot be read; the message says what to do."""


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str
    speaker: str = ""


@dataclass(frozen=True)
class TimedWord:
    text: str  # as written in the captions
    start: float
    exact: bool  # the file timed this word itself (not spread over its cue)


def seconds(stamp: str) -> float:
    """'01:02:03.450' or '02:03,45' -> seconds."""
    match = _TIME.fullmatch(stamp.strip())
    if not match:
        raise CaptionsError(f"“{stamp}” is not a caption time (expected HH:MM:SS.mmm).")
    hours, minutes, secs, fraction = match.groups()
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(secs) + int(fraction.ljust(3, "0")) / 1000


def _format_of(text: str, filename: str) -> str:
    """What the text says it is (a WebVTT header, SubRip's comma times), else its file name."""
    if text.startswith("WEBVTT"):
        return "vtt"
    if re.search(r"\d\d:\d\d:\d\d,\d{1,3} -->", text) or filename.lower().endswith(".srt"):
        return "srt"
    return "vtt"


def parse_cues(text: str, filename: str = "") -> list[tuple[Cue, str]]:
    """Each cue with its raw text (inline word times still in it)."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise CaptionsError("The captions file is empty. Choose the .vtt or .srt file downloaded with the video.")
    fmt = _format_of(text, filename)
    try:
        captions = webvtt.from_buffer(io.StringIO(text), format=fmt)
    except (MalformedFileError, ValueError, IndexError) as exc:
        kind = "SubRip (.srt)" if fmt == "srt" else "WebVTT (.vtt)"
        raise CaptionsError(
            f"This is not a readable {kind} captions file ({exc}). Download the captions again as .vtt or .srt."
        ) from None
    cues = []
    for caption in captions:
        plain = " ".join(caption.text.split())
        speaker = caption.voice or ""
        if not speaker:
            match = _SPEAKER_PREFIX.match(plain)
            if match:
                speaker, plain = match.group(1), plain[match.end() :]
        cues.append((Cue(seconds(caption.start), seconds(caption.end), plain, speaker), caption.raw_text))
    if not cues:
        raise CaptionsError("The captions file has no cues (no lines with times). Check that it is the right file.")
    return cues


def _cue_words(cue: Cue, raw: str) -> list[TimedWord]:
    """The words of one cue; words after an inline time tag start at that time."""
    if not _INLINE_TIME.search(raw):
        words = cue.text.split()
        step = (cue.end - cue.start) / max(len(words), 1)
        return [TimedWord(w, cue.start + i * step, False) for i, w in enumerate(words)]
    words: list[TimedWord] = []
    lines = [line for line in raw.split("\n") if line.strip()]
    # YouTube: a plain first line repeats what the previous cue said; the timed line is new.
    timed_lines = [line for line in lines if _INLINE_TIME.search(line)]
    for line in timed_lines:
        at, exact = cue.start, True
        for piece in _INLINE_TIME.split(line):
            if _TIME.fullmatch(piece or ""):
                at = seconds(piece)
                continue
            for word in _TAG.sub("", piece).split():
                words.append(TimedWord(word, at, exact))
    return words


def _overlap(previous: list[TimedWord], current: list[TimedWord]) -> int:
    """How many leading words of `current` repeat the last words of `previous` (rolling
    captions). Two words at least, so a speaker saying "no. No." keeps both."""
    limit = min(len(previous), len(current))
    for k in range(limit, 1, -1):
        if [w.text.casefold() for w in previous[-k:]] == [w.text.casefold() for w in current[:k]]:
            return k
    return 0


def read_words(text: str, filename: str = "") -> list[TimedWord]:
    """Every word the captions say, in order, each with the time it starts."""
    words: list[TimedWord] = []
    for cue, raw in parse_cues(text, filename):
        current = _cue_words(cue, raw)
        if not current:
            continue
        skip = _overlap(words[-len(current) :], current) if not any(w.exact for w in current) else 0
        words.extend(current[skip:])
    if not words:
        raise CaptionsError("The captions file has cues but no words. Check that it is the right file.")
    return words


def decode_captions(data: bytes) -> str:
    """Uploaded bytes -> text: UTF-8 (with or without BOM), else Windows-1252."""
    if len(data) > MAX_CAPTIONS_BYTES:
        raise CaptionsError(f"The captions file is larger than {MAX_CAPTIONS_BYTES // (1024 * 1024)} MB.")
    if b"\x00" in data[:4096]:
        raise CaptionsError("This is a binary file, not captions. Choose the .vtt or .srt file.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")
