"""Cutting the body into the header (before the first label) and raw turns.

Layout rules: a blank line ends a paragraph; single newlines inside a paragraph are
hard wraps and are joined with a space; a label line always starts a new turn, even
without a blank line before it. A line holding only a timestamp, directly followed by
a label line, gives that turn its timestamp.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from transcripts.normalise import truncate

from .examination import ANSWER_LABELS, LEFT, WITNESS_HINT_RE, introduced_witness, witness_heading
from .grammar import LabelChoices, infer_grammar
from .labels import (
    TIMESTAMP_LINE_RE,
    LabelMatch,
    is_pseudo_label,
    match_label_line,
    normalise_timestamp,
    timestamp_seconds,
)


@dataclass
class RawParagraph:
    lines: list[str]
    line_no: int  # 1-based, in the original file
    blank_before: int = 0  # blank lines right before it (page furniture follows a gap)

    @property
    def text(self) -> str:
        return " ".join(line.strip() for line in self.lines if line.strip())


@dataclass
class RawTurn:
    match: LabelMatch
    line_no: int
    paragraphs: list[RawParagraph] = field(default_factory=list)
    examiner: str = ""  # for a "Q" turn: the label of the lawyer a "BY MR. X:" heading named
    witness: str = ""  # for an "A" turn: the witness a heading named ("ERIN McNAMARA, … sworn")


def _para_starts(lines: list[str]) -> list[bool]:
    starts, blank = [], True
    for line in lines:
        starts.append(blank and bool(line.strip()))
        blank = not line.strip()
    return starts


def split_turns(
    lines: list[str],
    first_line: int,
    known: set[str],
    choices: LabelChoices | None = None,
    only: set[str] | None = None,
):
    """(header paragraphs, raw turns, warnings, grammar) for the body `lines`.

    A pseudo-speaker ("**Break:** [23:42]") opens no turn: its line stays in the current
    turn as a stage direction, "[Break 23:42]"."""
    candidates = [match_label_line(line) for line in lines]
    continued = _join_wrapped_labels(lines, candidates)
    para_start = _para_starts(lines)
    grammar = infer_grammar(candidates, para_start, known, choices or LabelChoices(), lines, first_line, only)
    warnings = []
    first = min(grammar.turn_lines, default=len(lines))
    for i, c in enumerate(candidates):
        if (
            grammar.ending == "colon"
            and i > first
            and c
            and i not in grammar.turn_lines
            and c.ending == "colon"
            and c.shape == "mixed"
            and c.label not in grammar.accepted
            and sum(1 for x in candidates if x and x.label == c.label) == 1
        ):
            warnings.append(
                f"'{c.label}:' starts a line only once, so it was kept as speech, not read as a speaker "
                "label. If it is a speaker, write the label in capitals or list the person in the front matter."
            )
    header: list[RawParagraph] = []
    turns: list[RawTurn] = []
    paragraph: RawParagraph | None = None
    blanks = 0
    pending_stamp = ""
    examiner = ""
    witness = ""

    def target() -> list[RawParagraph]:
        return turns[-1].paragraphs if turns else header

    for i, line in enumerate(lines):
        cand = candidates[i] if i in grammar.turn_lines else None
        if cand is None and WITNESS_HINT_RE.search(line):
            named = witness_heading(lines, i)
            witness = "" if named is LEFT else named or witness
        if i in continued:
            if paragraph is not None and i - 1 not in grammar.turn_lines:
                paragraph.lines.append(line)  # the label was not taken: its second line stays text
            continue
        if not line.strip():
            paragraph = None
            blanks += 1
            continue
        stamp = TIMESTAMP_LINE_RE.match(line)
        if stamp and cand is None:
            nxt = next((j for j in range(i + 1, len(lines)) if lines[j].strip()), None)
            if nxt is not None and nxt in grammar.turn_lines:
                pending_stamp = stamp.group("ts")
                continue
        heading = candidates[i] is not None and candidates[i].shape == "heading" and cand is None
        if heading:  # "BY MR. FINKEL:" stands apart, not glued to the answer before it
            paragraph = None
            examiner = candidates[i].label.split(" ", 1)[1] if candidates[i].label.startswith("BY ") else examiner
        if cand is not None and is_pseudo_label(cand.label) and turns:
            stamp_text = f" {cand.timestamp}" if cand.timestamp else ""
            line = f"[{cand.label}{stamp_text}]" + (f" {cand.rest}" if cand.rest else "")
            paragraph = None
        elif cand is not None:
            if not cand.timestamp and pending_stamp:
                cand.timestamp = normalise_timestamp(pending_stamp)
                cand.seconds = timestamp_seconds(pending_stamp)
            pending_stamp = ""
            witness = introduced_witness(cand.label, cand.rest) or witness
            answers = witness if cand.label in ANSWER_LABELS else ""
            turns.append(RawTurn(cand, first_line + i, examiner=examiner if cand.label == "Q" else "", witness=answers))
            paragraph = None
            if not cand.rest:
                blanks = 0
                continue
            line = cand.rest
        if paragraph is None:
            paragraph = RawParagraph([], first_line + i, blanks)
            target().append(paragraph)
        paragraph.lines.append(line)
        blanks = 0
        if heading:
            paragraph = None
    for turn in turns:
        if not turn.paragraphs:
            warnings.append(
                f"Label '{turn.match.label}' on line {turn.line_no} has no text after it; the empty turn was skipped."
            )
    return header, [t for t in turns if t.paragraphs], warnings, grammar


# The end of a label wrapped over two lines: "Martin Heydon): I thank the Senator …".
WRAPPED_LABEL_END_RE = re.compile(r"^[^()\n]{1,60}\)[^\S\n]*[:：]")


def _join_wrapped_labels(lines: list[str], candidates: list) -> set[int]:
    """A label whose parentheses close on the next line ("Minister for Children, … (Deputy
    Roderic" / "O’Gorman): I was relieved …") is read as one label on its first line; the
    indexes of the second lines are returned, their text now belongs to the first."""
    continued: set[int] = set()
    for i in range(len(lines) - 1):
        line = lines[i]
        if candidates[i] is not None or line.count("(") <= line.count(")"):
            continue
        if not WRAPPED_LABEL_END_RE.match(lines[i + 1]) or i in continued:
            continue
        joined = match_label_line(line.rstrip() + " " + lines[i + 1].lstrip())
        if joined is not None and joined.ending == "colon":
            candidates[i], candidates[i + 1] = joined, None
            continued.add(i + 1)
    return continued


# Page furniture that scrapers copy after a transcript ("Top Stories on CFR", …).
FURNITURE_RE = re.compile(
    r"^(?:top stories\b|related\b|more (?:on|from)\b|recommended\b|subscribe\b|sign up\b|"
    r"copyright\b|©|\(c\) ?\d{4}|all rights reserved|read more\b|follow us\b|share this\b|"
    r"back to top\b|terms of (?:use|service)\b|privacy policy\b|you may also like\b|"
    r"latest (?:news|stories)\b|popular\b|newsletter\b|download (?:the )?(?:pdf|audio|video)\b)",
    re.IGNORECASE,
)


def _is_heading(text: str) -> bool:
    """A short, title-like line: few words, mostly capitalised, no sentence end."""
    words = text.split()
    if not 1 <= len(words) <= 10 or text.rstrip()[-1:] in ".?!:;,\"”'’)":
        return False
    caps = sum(1 for w in words if w[:1].isupper() or not w[:1].isalpha())
    return caps * 2 >= len(words) + 1


def cut_furniture(turn: RawTurn) -> str | None:
    """Drop page furniture from the end of the last turn; return a warning saying what.

    A paragraph (never the turn's first) starts the furniture when it is short and
    opens with a known marker, or when it is a heading-like line after 2+ blank lines.
    Everything from there on goes."""
    for index, para in enumerate(turn.paragraphs[1:], start=1):
        text = para.text
        marker = FURNITURE_RE.match(text) and len(text.split()) <= 12
        if marker or (para.blank_before >= 2 and _is_heading(text)):
            dropped = turn.paragraphs[index:]
            del turn.paragraphs[index:]
            first = truncate(text, 60)
            noun = "paragraph" if len(dropped) == 1 else "paragraphs"
            return f"Dropped {len(dropped)} {noun} of page furniture after the last turn, starting '{first}'."
    for para in turn.paragraphs[1:]:
        if para.blank_before >= 2:  # a gap like the one before furniture, but prose: keep, and say so
            text = truncate(para.text, 60)
            return (
                f"Possible page furniture kept at the end of the last turn (line {para.line_no}, "
                f"after blank lines): '{text}'. Check that it is speech."
            )
    return None
