"""Paragraphs marked by an indent instead of a blank line (the Congressional Record:
"  Mr. BROWN. Mr. Speaker, …" then lines at column 0). When most paragraphs are
marked that way, a blank line is put before every line that starts with the document's
paragraph indent after an unindented line, so the parser sees ordinary paragraphs.
"""

from __future__ import annotations

import re
from collections import Counter

from . import Layout

_INDENT_RE = re.compile(r"^( +)\S")


def read(text: str) -> Layout | None:
    lines = text.split("\n")
    nonblank = [line for line in lines if line.strip()]
    if len(nonblank) < 20:
        return None
    blank = len(lines) - len(nonblank)
    indents = Counter(len(m.group(1)) for m in map(_INDENT_RE.match, nonblank) if m)
    at_zero = sum(1 for line in nonblank if not line[:1].isspace())
    if not indents or at_zero < 0.25 * len(nonblank):
        return None
    # The paragraph indent is a small one (quoted text and lists sit deeper, at 5 or more).
    small = [(count, indent) for indent, count in indents.items() if indent <= 4]
    if not small:
        return None
    count, indent = max(small)
    # Paragraph starts outnumber blank lines: the indent, not the blank line, is the break.
    if count < max(blank, 10):
        return None
    out: list[str] = []
    previous = ""
    for line in lines:
        m = _INDENT_RE.match(line)
        if m and len(m.group(1)) == indent and previous.strip():
            out.append("")
        out.append(line)
        previous = line
    return Layout("\n".join(out), "indented")
