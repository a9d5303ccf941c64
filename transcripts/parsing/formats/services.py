"""Text exports of transcription services.

* Rev: "Name (00:01:23):" on its own line (or before the text), then the text.
* Otter: "Name  1:23" on its own line (two or more spaces, then m:ss or h:mm:ss),
  then the text.
Recognised when at least three speaker lines have that shape and they are the
at least a third of the paragraph starts. Each speaker line becomes "Name: [time] text".
"""

from __future__ import annotations

import re

from ..labels import label_shape
from . import Layout

_TIME = r"\d{1,2}(?::\d{2}){1,2}(?:[.,]\d{1,3})?"
REV_RE = re.compile(rf"^(?P<name>[^\W\d_][^():\n]{{0,60}}?)\s*\((?P<ts>{_TIME})\):[^\S\n]*(?P<rest>.*)$")
OTTER_RE = re.compile(rf"^(?P<name>[^\W\d_][^\n]{{0,60}}?)[^\S\n]{{2,}}(?P<ts>{_TIME})[^\S\n]*$")


def read(text: str) -> Layout | None:
    lines = text.split("\n")
    for kind, pattern in (("rev", REV_RE), ("otter", OTTER_RE)):
        hits = [i for i, line in enumerate(lines) if _speaker_line(pattern, line)]
        starts = sum(1 for i, line in enumerate(lines) if line.strip() and (i == 0 or not lines[i - 1].strip()))
        if len(hits) >= 3 and len(hits) * 3 >= starts:  # a speaker line, then one or two paragraphs
            return _convert(lines, pattern, set(hits), kind)
    return None


def _speaker_line(pattern: re.Pattern, line: str):
    m = pattern.match(line.strip())
    return m if m and label_shape(" ".join(m.group("name").split())) else None


def _convert(lines: list[str], pattern: re.Pattern, hits: set[int], kind: str) -> Layout:
    out, labels = [], set()
    for i, line in enumerate(lines):
        if i not in hits:
            out.append(line)
            continue
        m = _speaker_line(pattern, line)
        name = " ".join(m.group("name").split())
        labels.add(name)
        rest = m.groupdict().get("rest") or ""
        if out and out[-1].strip():
            out.append("")
        out.append(f"{name}: [{m.group('ts')}] {rest}".rstrip())
    return Layout("\n".join(out), kind, [], labels)
