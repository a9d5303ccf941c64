"""Caption files: WebVTT (Zoom writes "Name: text" in every cue, Teams a voice tag
"<v Name>text</v>") and SubRip (.srt, often "NAME:" only where the speaker changes);
caption text flattened to one line per cue ("00:01:12 <v Name>text") is left to the label
grammar, which reads a voice tag as a label.

Cues are read with webvtt-py. Consecutive cues of one speaker make one turn, which
keeps the first cue's start time as "[hh:mm:ss.mmm]" after the label.
"""

from __future__ import annotations

import functools
import io
import re
from collections import Counter

from ..labels import label_shape
from . import Layout
from .speakers import variant_speakers

_SRT_START_RE = re.compile(r"\A\s*\d+\s*\n\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}\s*-->")
_CUE_LABEL_RE = re.compile(r"^(?P<name>[^\W\d_][\w'’.\- ]{0,40}?):\s+(?P<rest>.*)$", re.S)
_TAG_RE = re.compile(r"</?[a-z][^>]*>")


def read(text: str) -> Layout | None:
    stripped = text.lstrip("\ufeff \n")
    if stripped.startswith("WEBVTT"):
        kind = "vtt"
    elif _SRT_START_RE.match(stripped):
        kind = "srt"
    else:
        return None  # caption text flattened into lines is read by the label grammar (voice tags are labels)
    import webvtt  # only caption files need it (it costs a tenth of a second to import)
    from webvtt.errors import MalformedFileError

    try:
        captions = webvtt.from_buffer(io.StringIO(stripped), format=kind).captions
    except (MalformedFileError, ValueError, IndexError) as exc:
        why = (
            f"The file looks like {kind.upper()} captions but could not be read as such ({exc}); "
            "it was read as plain text."
        )
        return Layout(text, kind, [why])
    return _layout(text, kind, [(cue.start, *_speaker(cue), bool(cue.voice)) for cue in captions])


def _layout(text: str, kind: str, cues: list[tuple[str, str | None, str, bool]]) -> Layout:
    """(start, speaker or None, words, named by a voice tag) per cue -> "Name: [start] text" turns."""
    named = Counter(speaker for _, speaker, _, _ in cues if speaker)
    first_names = {s.split()[0] for s in named if len(s.split()) > 1}
    # A one-word name ("Dan:") is a label when it opens several cues or is the first name
    # of a full-name label ("Bekah" after "Bekah Hawrot Weigel:"); once alone, it may be
    # speech. A voice tag always names its speaker.
    cues = [(t, s if s and (v or _is_label(s, named, first_names)) else None, w, v) for t, s, w, v in cues]
    # Labels on (nearly) every cue (Zoom) repeat the speaker; labels only where the speaker
    # changes (SubRip exports) each open a turn, even the same speaker's again.
    every_cue = sum(1 for _, s, _, _ in cues if s) >= 0.9 * len(cues)
    turns: list[list] = []  # [label, start, [texts]]
    labels: set[str] = set()
    for start, speaker, words, voice in cues:
        if not words:
            continue
        stated = speaker is not None and not voice
        if speaker is None and turns:
            speaker = turns[-1][0]
        if turns and turns[-1][0] == speaker and (every_cue or not stated):
            turns[-1][2].append(words)
        else:
            turns.append([speaker, start.replace(",", "."), [words]])
        if speaker:
            labels.add(speaker)
    if not labels:
        return Layout(text, kind, [f"The {kind.upper()} captions name no speakers; they were read as plain text."])
    blocks = []
    for speaker, start, words in turns:
        body = " ".join(words)
        blocks.append(f"{speaker}: [{start}] {body}" if speaker else body)
    return Layout("\n\n".join(blocks) + "\n", kind, [], labels, speakers=variant_speakers(labels))


# A caption file repeats a few names on a thousand cues: each name's shape is worked out once.
_shape = functools.lru_cache(maxsize=1024)(label_shape)


def _is_label(name: str, named: Counter, first_names: set[str]) -> bool:
    return _shape(name) != "single" or named[name] >= 2 or name in first_names


def _speaker(cue) -> tuple[str | None, str]:
    if cue.voice:
        return " ".join(cue.voice.split()), " ".join(_TAG_RE.sub("", cue.text).split())
    words = " ".join(_TAG_RE.sub("", cue.text).split())
    m = _CUE_LABEL_RE.match(words)
    # "Mr. President: …" inside a caption is speech; speaker names are names or capitals.
    if m and _shape(" ".join(m.group("name").split())) in ("caps", "mixed", "role", "single"):
        return " ".join(m.group("name").split()), m.group("rest").strip()
    return None, words
