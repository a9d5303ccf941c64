"""A structured file's turns (speakers.Spoken) -> the raw turns the text parser makes,
so everything after the label grammar (stage directions, sections, people) is shared.

The markup names the speakers, but speech can still start with something shaped like
a label ("Mr. Hardy: …" typed into a paragraph): such starts are listed for review like
the text parser's rejected labels, and a reviewer's choices apply here too: a forced
label starting a paragraph opens a turn there, a refused label's turns join the turn
before.
"""

from __future__ import annotations

from ..grammar import Grammar, LabelChoices, RejectedLabel
from ..labels import LabelMatch, label_shape, match_label_line
from ..turns import RawParagraph, RawTurn
from .speakers import Structured

_MAX_EXAMPLE = 80


def _match(label: str, timestamp: str = "", seconds: float | None = None) -> LabelMatch:
    return LabelMatch(label, label_shape(label) or "mixed", "", timestamp, "", "colon", seconds=seconds)


def structured_turns(structured: Structured, choices: LabelChoices | None = None):
    """(header paragraphs, raw turns, warnings, grammar), as turns.split_turns returns them.
    Paragraph numbers stand in for line numbers: the file has no lines of its own."""
    choices = choices or LabelChoices()
    forced = {label.casefold() for label in choices.force}
    refused = {label.casefold() for label in choices.refuse}
    header = [RawParagraph([text], n) for n, text in enumerate(structured.header, start=1)]
    number = len(header)
    turns: list[RawTurn] = []
    rejected: dict[str, RejectedLabel] = {}
    for spoken in structured.turns:
        number += 1
        if spoken.label.casefold() in refused and turns:
            current = turns[-1]
            current.paragraphs.append(RawParagraph([f"{spoken.label}: {spoken.paragraphs[0]}"], number))
            paragraphs = spoken.paragraphs[1:]
        else:
            current = RawTurn(_match(spoken.label, spoken.timestamp, spoken.seconds), number)
            turns.append(current)
            paragraphs = spoken.paragraphs
        for text in paragraphs:
            number += 1
            found = match_label_line(text)
            if found and found.label.casefold() in forced and found.rest:
                current = RawTurn(_match(found.label), number, [RawParagraph([found.rest], number)])
                turns.append(current)
                continue
            if found and found.label.casefold() not in forced:
                entry = rejected.setdefault(
                    found.label, RejectedLabel(found.label, 0, " ".join(text.split())[:_MAX_EXAMPLE], number)
                )
                entry.count += 1
            current.paragraphs.append(RawParagraph([text], number))
    turns = [t for t in turns if t.paragraphs]
    accepted = list(dict.fromkeys(t.match.label for t in turns))
    # No "used only once" list: that warning asks whether text ending in a colon is a
    # speaker, and here the markup, not a colon, says so.
    grammar = Grammar(set(), accepted, list(rejected.values()), [])
    return header, turns, [], grammar
