"""Speaker labels in the middle of a line, moved to the start of their own line.

Two layouts write several turns on one line:
  * a caption export pasted as text, where a voice tag can open a turn mid-line:
    "00:00:55 <v Michael Kennedy>already saying … <v Brian Okken>rock ballads …";
  * a PDF whose line breaks were lost, so the whole debate is one long line:
    "… herzlich.(Beifall)  Präsident Dr. Norbert Lammert:   Kollege Thierse?  Dr. h. c.
    Wolfgang Thierse (SPD):   Ja, ich nehme die Wahl an." – labels set off by two or
    more spaces before and after.
  * an interruption in a parliamentary record: "… pointing out----An Cathaoirleach: No."
    – a label right after a dash run, when the same label also starts lines elsewhere.
Each label found so is moved to a new line, so the label grammar (grammar.py) sees it
at a line start like any other. Nothing else in the text changes.
"""

from __future__ import annotations

import re

from .labels import match_label_line

VOICE_START_RE = re.compile(r"^\s*(?:\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?\s+)?<v[\s.]", re.MULTILINE)
INLINE_VOICE_RE = re.compile(r"(?<![^\S\n])[^\S\n]*(?=<v[\s.][^<>\n]{1,60}>)")  # from the first space before it
LINE_START_RE = re.compile(r"^[^\S\n]*(?:\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)?[^\S\n]*$")
# Two or more spaces, then something ending in a colon followed by two or more spaces.
SPACED_LABEL_AHEAD_RE = re.compile(r"(?<=\S)[^\S\n]{2,}(?=[^\s:][^:\n]{0,120}?:[^\S\n]{2,}\S)")
SPACED_LABEL_START_RE = re.compile(r"^[^\S\n]*[^\s:][^:\n]{0,120}?:[^\S\n]{2,}\S", re.MULTILINE)
# A dash run that cuts a speaker off, then a label: "----An Cathaoirleach: No."
INTERRUPTION_RE = re.compile(r"(?<=[^\W_]|[.,;?!])(?:-{2,}|—)(?=[^\W\d_][^:\n]{0,80}?:\s)")
RUN_ON_LINE = 1000  # characters: a line this long holds a page or more, not one paragraph
VOICE_LINES = 2  # lines that open with a voice tag before mid-line tags count as turns


def split_run_on_lines(text: str) -> str:
    """`text` with mid-line labels of the two layouts above moved onto lines of their own."""
    if len(VOICE_START_RE.findall(text, 0)) >= VOICE_LINES:
        text = "\n".join(_split_voices(line) if "<v" in line else line for line in text.split("\n"))
    if SPACED_LABEL_START_RE.search(text) and any(len(line) > RUN_ON_LINE for line in text.split("\n")):
        text = "\n".join(_split_spaced_labels(line) if len(line) > RUN_ON_LINE else line for line in text.split("\n"))
    if INTERRUPTION_RE.search(text):
        text = _split_interruptions(text)
    return text


def _split_interruptions(text: str) -> str:
    """Only the lines with a dash run before a label are looked at, and each such label
    once: does it also start a line somewhere?"""
    starts: dict[str, bool] = {}

    def starts_a_line(label: str) -> bool:
        if label not in starts:
            pattern = rf"^[^\S\n]*(?:\*\*)?{re.escape(label)}\b"
            starts[label] = re.search(pattern, text, re.MULTILINE) is not None
        return starts[label]

    lines = text.split("\n")
    for n, line in enumerate(lines):
        if "-" not in line and "—" not in line:
            continue
        cuts = [
            m.end()
            for m in INTERRUPTION_RE.finditer(line)
            if (found := match_label_line(line[m.end() :])) is not None and starts_a_line(found.label)
        ]
        lines[n] = _cut(line, cuts, "\n")
    return "\n".join(lines)


def _split_voices(line: str) -> str:
    """Break a line before each voice tag that has speech before it on the line (not
    only the cue's timestamp)."""
    cuts = [m.start() for m in INLINE_VOICE_RE.finditer(line) if not LINE_START_RE.match(line[: m.start()])]
    return _cut(line, cuts, "\n")


def _split_spaced_labels(line: str) -> str:
    """Break a run-on line before each "  Label:   " that reads as a speaker label."""
    cuts = [m.start() for m in SPACED_LABEL_AHEAD_RE.finditer(line) if _is_label(line[m.end() :])]
    return _cut(line, cuts, "\n\n")  # each turn of a flattened page was a paragraph of its own


def _cut(line: str, cuts: list[int], newline: str) -> str:
    """`line` broken at the offsets `cuts`, the white space at each break dropped."""
    if not cuts:
        return line
    pieces, last = [], 0
    for cut in cuts:
        pieces.append(line[last:cut])
        last = cut
    pieces.append(line[last:])
    return newline.join(piece if i == 0 else piece.lstrip() for i, piece in enumerate(pieces))


def _is_label(rest: str) -> bool:
    found = match_label_line(rest[:200])
    return found is not None and found.ending == "colon" and found.shape not in ("heading", "handle")
