"""Court-reporter text: line numbers in the margin, a right-aligned page number at the
top of each page, form feeds, and header pages listing who presides and speaks.

Recognised when most non-blank lines start with a line number (1–2 digits, up to 8
columns in). The numbers, page numbers and form feeds go. Blank lines mean nothing in
this layout (the reporter double-spaces), so paragraphs come from the indent: the
column most lines start at is the body column; a line starting further right opens a
paragraph (a turn's label sits there, e.g. 13 or 9–12 columns after the number). The
header's "PRESIDING:" / "SPEAKERS:" lines sit at the body column, so they stay text of
the header instead of becoming speakers: only labels at the turn indent are speakers
(Layout.exclusive).
"""

from __future__ import annotations

import re
from collections import Counter

from ..labels import match_label_line
from . import Layout

_NUMBERED_RE = re.compile(r"^( {0,8})(\d{1,2})(?= |$)")


def read(text: str) -> Layout | None:
    lines = text.replace("\f", "\n").split("\n")
    nonblank = [line for line in lines if line.strip()]
    numbered = sum(1 for line in nonblank if _NUMBERED_RE.match(line))
    if len(nonblank) < 30 or numbered < 0.5 * len(nonblank):
        return None
    rows: list[tuple[int, str]] = []  # (column of the text, text)
    for line in lines:
        words = line.strip()
        if not words:
            continue
        m = _NUMBERED_RE.match(line)
        if m:  # keep the text's column, drop the number
            rest = line[m.end() :]
            words = rest.strip()
            if not words:
                continue
            column = m.end() + len(rest) - len(rest.lstrip())
        else:
            column = len(line) - len(line.lstrip())
            if words.isdigit() and column >= 10:
                continue  # the page number
        rows.append((column, " ".join(words.split())))  # reporters pad sentences with wide gaps
    body = Counter(col for col, _ in rows).most_common(1)[0][0]
    # (The label keeps one space after its colon; a turn line is "LABEL: text".)
    paragraphs: list[list[str]] = []
    labels: set[str] = set()
    for col, words in rows:
        if col > body + 1 or not paragraphs:
            paragraphs.append([words])
            found = match_label_line(words) if col > body + 1 else None
            if found and found.ending == "colon":  # only a label at the turn indent opens a turn
                labels.add(found.label)
        else:
            paragraphs[-1].append(words)
    return Layout(
        "\n\n".join(" ".join(p) for p in paragraphs) + "\n", "court", title_page=True, labels=labels, exclusive=True
    )
