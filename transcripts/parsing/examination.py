"""Who answers in a court examination: the witness the transcript names.

A trial or deposition record writes the answers as "A." lines. Who gives them is said in
the record's own headings, before the examination starts:

    ERIN McNAMARA,
      called as a witness by the Government,
      having been duly sworn, testified as follows:

    JANE DOE, WITNESS, SWORN
    DIRECT EXAMINATION OF JANE DOE
    THE WITNESS: My name is Louie Bonsukan.

The "A" turns (and "THE WITNESS:" turns) after such a heading are that witness's, until
the next witness is named or the record says the witness left ("(Witness excused)").
With no heading the answers stay with a generic "A" speaker.
"""

from __future__ import annotations

import re

from transcripts.normalise import truncate

from .model import WITNESS, Participant, Transcript
from .names import find_cased, self_introduction, title_case

ANSWER_LABELS = {"A", "THE WITNESS"}
_NAME = r"(?P<name>[A-Z][A-Za-z'’.\-]*(?:[ \u00a0]+[A-Z][A-Za-z'’.\-]*){1,4})"
# "ERIN McNAMARA," alone on its line, then "called as a witness" / "having been duly sworn".
_NAME_ALONE_RE = re.compile(rf"^\s*{_NAME},\s*$")
_SWORN_RE = re.compile(r"\b(?:called as a witness|duly sworn|(?:first )?sworn|affirmed)\b", re.I)
# "JANE DOE, WITNESS, SWORN", "JANE DOE, called as a witness, having been …" on one line.
_NAME_SWORN_RE = re.compile(rf"^\s*{_NAME},\s*(?i:a\s+)?(?i:WITNESS|called as a witness|having been)\b")
# "DIRECT EXAMINATION OF JANE DOE", "CROSS-EXAMINATION OF MR. ROE".
_EXAMINATION_OF_RE = re.compile(
    rf"^\s*(?i:(?:RE)?DIRECT|(?:RE)?CROSS)[- ](?i:EXAMINATION OF)\s+"
    rf"(?:(?:MR|MRS|MS|DR|Mr|Mrs|Ms|Dr)\.?\s+)?{_NAME}\s*:?\s*$"
)
_LEFT_RE = re.compile(r"^\s*\(?\s*(?:the\s+)?witness\s+(?:excused|sworn|steps? down|withdr[ae]w)", re.I)
LEFT = object()  # the witness named before has left the stand
# A quick look before the regexes: every heading above ends in a comma or holds one of
# these words (most lines of a long record hold none).
WITNESS_HINT_RE = re.compile(r"itness|ITNESS|xamination|XAMINATION|having been|,\s*$")


def witness_heading(lines: list[str], i: int):
    """The witness named by line `i` (a name as written), LEFT, or None."""
    line = lines[i]
    if _LEFT_RE.match(line):
        return LEFT
    m = _EXAMINATION_OF_RE.match(line) or _NAME_SWORN_RE.match(line)
    if m is None:
        m = _NAME_ALONE_RE.match(line)
        following = " ".join(lines[i + 1 : i + 3])
        if m is None or not _SWORN_RE.search(following):
            return None
    name = " ".join(m.group("name").split())
    return None if name.upper().startswith(("THE ", "BY ")) else name


def introduced_witness(label: str, rest: str) -> str:
    """ "THE WITNESS: My name is Louie Bonsukan." -> "Louie Bonsukan", else ""."""
    return self_introduction(rest) if label == "THE WITNESS" else ""


def credit_witnesses(result: Transcript, witnesses: list[str], text: str) -> None:
    """Give each answer turn (`witnesses[i]` names the witness of turn i, or "") to that
    witness: one participant per witness, role witness, with the heading as the reason."""
    by_name: dict[str, Participant] = {}
    cased: dict[str, str] = {}  # each heading's name, looked up in the text once
    keys = {p.key for p in result.participants}
    for turn, written in zip(result.turns, witnesses):
        if not written or turn.label not in ANSWER_LABELS:
            continue
        if written not in cased:  # "ERIN McNAMARA" -> "Erin McNamara"
            cased[written] = find_cased(written.split(), text) or title_case(written)
        name = cased[written]
        person = by_name.get(name.casefold()) or next(
            (p for p in result.participants if p.name.casefold() == name.casefold() and p.label not in ANSWER_LABELS),
            None,
        )
        if person is None:
            key, n = name, 2
            while key in keys:
                key, n = f"{name} ({n})", n + 1
            keys.add(key)
            reason = f"answers the examination after “{truncate(written, 40)}” is named as the witness"
            person = Participant(key, name, turn.label, WITNESS, role_reason=reason)
            result.participants.append(person)
        elif person.role != WITNESS:
            person.role, person.role_reason = WITNESS, f"answers the examination after “{written}” is named"
        by_name[name.casefold()] = person
        turn.speaker = person.key
    if by_name:
        speaking = {t.speaker for t in result.turns}
        result.participants = [p for p in result.participants if p.label not in ANSWER_LABELS or p.key in speaking]
