"""Which label-shaped line starts are speaker labels: the document's label grammar.

Every line start that looks like a label (labels.py) is a candidate, with its count,
shape, ending (colon / period / spaces), bold markup, indent and whether it opens a
paragraph. The grammar is worked out from the document itself:

1. The ending: colon labels, unless period labels ("Mr. BROWN.") at paragraph starts
   outnumber them (the Congressional Record). Period labels count only at the indent
   most of them share, so a hearing quoted inside a speech (indented further) is text.
2. Strong labels are taken whatever their count: capitals ("LAGON:"), a title and a
   name ("Dr. Jones:", "Mr. BROWN of Ohio."), bold Markdown ("**Jane Doe:**"), and
   mixed-case names or role labels written at two or more line starts; a one-word
   label ("Interviewer:", "Speaker 2:") at three or more paragraph starts.
3. A rare label (once) is taken when it shares the shape of the accepted ones: the
   document is label-dense (most paragraphs open with an accepted or a name-shaped
   label) and mostly mixed-case names, and the rare one opens a paragraph. "Cheryl Otis:" among
   "Charles Gibson:" turns is a speaker; a lone "Good Morning:" in a CFR transcript
   in capitals is speech.
4. A label that differs from an accepted one only in case ("The Acting Chairman") is
   the same label; one with no colon ("Q   …", "PARTICIPANT  Win stuff.") counts only
   at a paragraph start and only as "Q"/"A" or a label also written with a colon.
5. Review choices (LabelChoices) win over all of this: `force` labels are speakers
   wherever they start a line, `refuse` labels never are.
Everything label-shaped that was not taken is returned as a RejectedLabel, so nothing
is attributed (or left unattributed) silently.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from transcripts.normalise import truncate

from .labels import LabelMatch

STRONG_SHAPES = {"caps", "honorific", "title", "office", "voice"}
NAME_SHAPES = {"mixed", "role", "uncased"}
EXAMINATION_TURNS = 2  # "Q." and "A." lines each, for a document to be an examination
# A record's field ("URL: https://…", "Characters: 66435"): the value is a link or a number.
FIELD_VALUE_RE = re.compile(r"^(?:https?://\S+|[\d\s.,:/%$+\-T]+)$")
ANNOUNCE_WINDOW = 300  # characters before a label in which the previous speaker names the next
SINGLE_WORD_STARTS = 3  # paragraph starts a one-word label ("Interviewer:") needs


@dataclass(frozen=True)
class LabelChoices:
    """A reviewer's decisions: labels to take as speakers, and labels to refuse."""

    force: frozenset[str] = field(default_factory=frozenset)
    refuse: frozenset[str] = field(default_factory=frozenset)

    def __init__(self, force=(), refuse=()):
        object.__setattr__(self, "force", frozenset(" ".join(x.split()) for x in force))
        object.__setattr__(self, "refuse", frozenset(" ".join(x.split()) for x in refuse))


@dataclass
class RejectedLabel:
    """A label-shaped line start that was not taken as a speaker."""

    label: str
    count: int
    example: str  # the first line it starts, shortened
    line_no: int = 0


@dataclass
class Grammar:
    turn_lines: set[int]  # indexes of lines whose candidate opens a turn
    accepted: list[str]  # labels in order of first use
    rejected: list[RejectedLabel]
    once: list[str]  # accepted labels used only once
    ending: str = "colon"  # how this document's labels end: "colon", "period" or "dash"


def infer_grammar(
    candidates: list[LabelMatch | None],
    para_start: list[bool],
    known: set[str],
    choices: LabelChoices,
    lines: list[str],
    first_line: int,
    only: set[str] | None = None,
) -> Grammar:
    """`only`: when the layout itself knows every label (casefolded), nothing else is one."""
    present = [(i, c) for i, c in enumerate(candidates) if c is not None]
    counts = Counter(c.label for _, c in present)
    starts = [(i, c) for i, c in present if para_start[i]]
    period_votes = sum(1 for _, c in starts if c.ending == "period")
    colon_votes = sum(
        1 for _, c in starts if c.ending == "colon" and (_strong_shape(c) or c.bold or counts[c.label] >= 2)
    )
    dash_votes = sum(1 for _, c in starts if c.ending == "dash" and counts[c.label] >= 2)
    ending = "period" if period_votes > colon_votes else "colon"
    if dash_votes > max(period_votes, colon_votes):
        ending = "dash"  # "Jane Doe - Thanks." throughout
    indent = None
    if ending == "period":
        indent = Counter(c.indent for _, c in starts if c.ending == "period").most_common(1)[0][0]

    # "Q." / "A." lines are an examination only when both are there, several times.
    exam = Counter(c.label for _, c in present if c.ending == "examination")
    examination = min(exam["Q"], exam["A"]) >= EXAMINATION_TURNS
    audience = Counter(c.label for _, c in present if c.ending == "audience")

    def fits(i: int, c: LabelMatch) -> bool:
        if c.ending == "space":
            return para_start[i]
        if c.ending == "examination":
            return examination
        if c.ending == "audience":
            return audience[c.label] >= EXAMINATION_TURNS
        if c.ending != ending:
            return False
        return indent is None or c.indent == indent

    forced = {label.casefold() for label in choices.force} | {k.casefold() for k in known}
    refused = {label.casefold() for label in choices.refuse}
    if only is not None:
        refused |= {c.label.casefold() for _, c in present if c.label.casefold() not in only | forced}
    strong: set[str] = set()
    at_starts = Counter(c.label for _, c in starts)
    for i, c in present:
        if c.label.casefold() in refused or not fits(i, c) or c.ending == "space":
            continue
        if c.label.casefold() in forced:
            strong.add(c.label)
        elif (
            c.shape == "heading"
            or (c.shape == "single" and at_starts[c.label] < SINGLE_WORD_STARTS)
            or (counts[c.label] == 1 and is_field(c))
        ):
            continue
        elif _strong_shape(c) or c.bold or counts[c.label] >= 2:
            strong.add(c.label)
    for _i, c in present:  # forced labels written with no colon, e.g. a reviewer's "Q"
        if c.label.casefold() in forced and c.label.casefold() not in refused:
            strong.add(c.label)
    folded = {label.casefold() for label in strong}
    turn_lines = {
        i
        for i, c in present
        if c.label in strong and (fits(i, c) or c.label.casefold() in forced) and (c.ending != "space" or para_start[i])
    }
    # Rare labels that share the accepted ones' shape (step 3 and 4 of the module doc).
    paragraphs = sum(para_start)  # a paragraph start is never a blank line
    # Paragraphs opened by an accepted label or by a name-shaped one: in a document where
    # nearly every paragraph opens so (a debate, an export), the names are its grammar,
    # even when no name is used twice.
    opened = {i for i in turn_lines if para_start[i]} | {
        i
        for i, c in starts
        if c.ending == "colon" and c.shape in NAME_SHAPES and fits(i, c) and c.label.casefold() not in refused
    }
    dense = len(opened) >= max(2, 0.6 * paragraphs)
    by_shape = Counter(candidates[i].shape for i in opened)
    named = sum(by_shape[s] for s in NAME_SHAPES) * 2 > sum(by_shape.values())
    names_taken = {candidates[i].label for i in turn_lines if candidates[i].shape in NAME_SHAPES}
    # Every way a taken label names someone, the person in its parentheses included.
    named_forms = {f for i in turn_lines for f in (candidates[i].label.split(" (")[0], candidates[i].affiliation) if f}
    # Labels alone on their line above the speech: when the document writes its speakers
    # so, a name written so once is one of them too.
    own_line = {candidates[i].label for i in turn_lines if not candidates[i].rest}
    for i, c in present:
        if i in turn_lines or c.label.casefold() in refused or not fits(i, c):
            continue
        # A longer or shorter form of a name already taken is a label at any line start.
        variant = c.ending == "colon" and c.shape in NAME_SHAPES and _variant_of(c, named_forms)
        if not para_start[i] and not variant:
            continue
        same_as_accepted = c.label.casefold() in folded
        spaced_ok = c.ending == "space" and (c.label in ("Q", "A") or c.label.casefold() in folded)
        rare_ok = (
            c.ending == "colon"
            and c.shape in NAME_SHAPES
            and not is_field(c)  # a glossary entry in a document written in names is still no speaker
            and (
                (dense and named)
                or (len(names_taken) >= 2 and _announced(c.label, lines, i))
                or (len(own_line) >= 2 and not c.rest)
            )
        )
        # A spaced label gets here only at a paragraph start, so it needs no other test than a colon one.
        if same_as_accepted or spaced_ok or rare_ok or variant:
            turn_lines.add(i)
    accepted: list[str] = []
    for i in sorted(turn_lines):
        if candidates[i].label not in accepted:
            accepted.append(candidates[i].label)
    taken = Counter(candidates[i].label for i in turn_lines)
    once = [label for label in accepted if taken[label] == 1]
    return Grammar(turn_lines, accepted, _rejected(present, taken, lines, first_line), once, ending)


def is_field(c: LabelMatch) -> bool:
    """A record's field or a glossary entry, not a speaker: "URL: https://…", "Ticker: 12",
    "ARR (Annual Recurring Revenue): …" (the parentheses spell the label out, or the
    label spells out the parentheses)."""
    if FIELD_VALUE_RE.match(c.rest):
        return True
    short, long = sorted((c.label.split(" (")[0], c.affiliation), key=len)
    initials = "".join(w[0] for w in long.split() if w[:1].isupper())
    return len(short) >= 2 and short.isupper() and short == initials


def _announced(label: str, lines: list[str], i: int) -> bool:
    """A name the previous speaker just said ("… over to your speaker today, Brian Denyeau
    from ICR.", "Our next question comes from Jason Ader"): an earnings call or a panel
    whose moderator hands over, so a name used once is still a speaker."""
    before, j = "", i - 1
    while j >= 0 and len(before) < ANNOUNCE_WINDOW:
        before = lines[j] + " " + before
        j -= 1
    return label.split(" (")[0] in before[-ANNOUNCE_WINDOW:]


def _variant_of(c: LabelMatch, names: set[str]) -> bool:
    """A longer or shorter form of a name already taken: "记者申华提问" beside "记者申华",
    "龚小夏" beside "记者龚小夏", "Lagon" beside "Mark Lagon". Whole words where the script
    has spaces; in a script without them, two or more characters in common."""
    forms = {f for f in (c.label.split(" (")[0], c.affiliation) if f}
    for name in names:
        for form in forms:
            short, long = sorted((form, name), key=len)
            # Equal forms match too: "Acting Chairperson (Senator Fintan Warfield)" beside "Senator Fintan Warfield".
            within = short in long if c.shape == "uncased" else f" {short} " in f" {long} "
            if len(short) >= 2 and within:
                return True
    return False


def _strong_shape(c: LabelMatch) -> bool:
    """A shape taken even when used once. "The Taoiseach:" with a colon is not: "The
    problem:" opens sentences too, so it needs two line starts like a plain name."""
    return c.shape in STRONG_SHAPES and not (c.shape == "title" and c.ending == "colon")


def _rejected(
    present: list[tuple[int, LabelMatch]], taken: Counter, lines: list[str], first_line: int
) -> list[RejectedLabel]:
    """Label-shaped starts of labels never taken, with a count and the first line as example."""
    rejected: dict[str, RejectedLabel] = {}
    for i, c in present:
        if c.label in taken:
            continue
        entry = rejected.get(c.label)
        if entry is None:
            example = truncate(" ".join(lines[i].split()), 80)
            rejected[c.label] = RejectedLabel(c.label, 1, example, first_line + i)
        else:
            entry.count += 1
    return list(rejected.values())
