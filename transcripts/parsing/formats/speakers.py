"""Turns and speakers as a structured file states them (XML, JSON): the speaker is in
the markup or a field, so no label grammar is needed, and the markup often says who
the person is (a member's database id, the full name in a parenthesis).

    Spoken(label, paragraphs, timestamp)   one turn as the file gives it
    Speaker(key, name, title)              who a label names: `key` is the same for
                                           every spelling of one person
    person_of(label) -> (name, title)      "The Chair (Mr. Lloyd Longfield (Guelph, Lib.))"
                                           -> ("Lloyd Longfield", "The Chair")
    merge_people(participants, turns, speakers)  one participant per Speaker.key
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import HOST, PRESIDER, Participant, Turn
from ..people import ROLE_WORDS, seat_members

# Honorifics parliaments and broadcasters write before a name, in English and French
# ("Le très hon. Justin Trudeau", "L'hon. Scott Brison", "Mme Ruby Sahota").
_HONORIFIC_RE = re.compile(
    r"^(?:(?:the|le|la|les)\s+)?(?:(?:right|rt\.?|très|tres)\s+)?"
    r"(?:hon\.?|l['’]hon\.?|mr\.?|mrs\.?|ms\.?|miss|mx\.?|dr\.?|prof\.?|sir|dame|lord|lady|baroness|"
    r"m\.|mme\.?|mmes\.?|mlle\.?|mm\.|senator|sen\.)\s+",
    re.I,
)


@dataclass
class Spoken:
    label: str  # as the file writes it
    paragraphs: list[str]
    timestamp: str = ""  # "HH:MM:SS" from the start of the recording, when the file gives it
    seconds: float | None = None


@dataclass(frozen=True)
class Speaker:
    key: str  # one person, whatever the spelling of the label (a database id, a name)
    name: str = ""  # the person's full name, when the file gives it
    title: str = ""  # what they are here: a role, a riding and party, an employer


@dataclass
class Structured:
    """What a structured reader hands the parser instead of text."""

    turns: list[Spoken]
    header: list[str] = field(default_factory=list)  # text before the first turn (title, date lines)


def honorific(text: str) -> str:
    m = _HONORIFIC_RE.match(text.strip())
    return m.group(0).strip() if m else ""


def bare_name(text: str) -> str:
    """ "Le très hon. Justin Trudeau" -> "Justin Trudeau"."""
    text = " ".join(text.split())
    while (m := _HONORIFIC_RE.match(text)) and m.end() < len(text):
        text = text[m.end() :]
    return text


def split_parenthesis(label: str) -> tuple[str, str]:
    """ "A (B (C))" -> ("A", "B (C)"), full-width "会長（佐藤勉君）" too; a label without a
    closing parenthesis -> (label, "")."""
    label = " ".join(label.split())
    if not label.endswith((")", "）")):
        return label, ""
    depth = 0
    for i in range(len(label) - 1, -1, -1):
        depth += {")": 1, "）": 1, "(": -1, "（": -1}.get(label[i], 0)
        if depth == 0:
            return label[:i].strip(), label[i + 1 : -1].strip()
    return label, ""


def person_of(label: str) -> tuple[str, str]:
    """(full name, title) a label states; ("", "") when it names nobody ("Le Président").

    "Mr. Benjamin Fung (Professor, McGill University)" names Benjamin Fung, a professor;
    "The Secretary of State for Northern Ireland (Mr. Merlyn Rees)" names Merlyn Rees,
    the Secretary of State; "Mr. Rees" names Rees (completed by merge_people)."""
    head, inner = split_parenthesis(label)
    if honorific(head):
        name, title = bare_name(head), inner
    elif inner and honorific(inner):
        name, title = bare_name(split_parenthesis(inner)[0]), head
    else:
        return "", ""
    if all(w.strip(".").casefold() in ROLE_WORDS for w in name.split()):
        return "", ""  # "Mr. SPEAKER", "Mr. Deputy Speaker": an office, not a name
    return name, title


def same_person_keys(labels: list[str]) -> dict[str, str]:
    """label -> key, where a short form shares the key of the one longer form it shortens:
    a surname after a title ("Mr. Rees": "The Secretary of State … (Mr. Merlyn Rees)"),
    a bare first name ("Kirk": "Kirk Shillingford"), an office ("Clerk": "City Clerk").
    Two longer forms that fit: no guess."""
    names = {label: person_of(label)[0] or label for label in labels}
    full = [n for n in dict.fromkeys(names.values()) if len(n.split()) >= 2]
    keys = {}
    for label, name in names.items():
        if len(name.split()) == 1:
            office = name.casefold() in ROLE_WORDS
            at = -1 if office or honorific(label) or person_of(label)[0] else 0
            longer = [n for n in full if n.split()[at].casefold() == name.casefold()]
            keys[label] = longer[0] if len(longer) == 1 else name
        else:
            keys[label] = name
    return keys


def _one_letter_apart(a: str, b: str) -> bool:
    """One letter added, dropped, changed, or two neighbours swapped."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        swapped = len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
        return len(diff) == 1 or swapped
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


MIN_TYPO_LENGTH = 5  # "KERIRK" for "KERIK"; short names differ by one letter for real ("COHEN", "COHAN")
TYPO_USES = 3  # the right spelling is used at least this often


def typo_keys(labels: list[str]) -> dict[str, str]:
    """label -> the label it misspells: written once, one letter off a label written
    often. "KERIRK" once among eighteen "KERIK" is a slip of the typist's."""
    counts: dict[str, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    found = {}
    for label, n in counts.items():
        if n != 1 or len(label) < MIN_TYPO_LENGTH:
            continue
        near = [
            x
            for x, m in counts.items()
            if m >= TYPO_USES and len(x) >= MIN_TYPO_LENGTH and _one_letter_apart(label.casefold(), x.casefold())
        ]
        if len(near) == 1:
            found[label] = near[0]
    return found


def variant_speakers(labels: set[str]) -> dict[str, Speaker]:
    """Speakers for labels a format marks, when some are spellings of one person; else {}."""
    keys = same_person_keys(sorted(labels))
    return {label: Speaker(key) for label, key in keys.items()} if len(set(keys.values())) < len(keys) else {}


_RANK = {PRESIDER: 0, HOST: 1}


def merge_people(participants: list[Participant], turns: list[Turn], speakers: dict[str, Speaker]) -> list[str]:
    """Make every label of one Speaker.key point to one participant, named and titled
    as the file states; return the labels whose person the file named or that were
    merged into another participant (the guesses people.py warned about are moot)."""
    groups: dict[str, list[Participant]] = {}
    by_key = {p.key: p for p in participants}
    for turn in turns:
        speaker = speakers.get(turn.label)
        person = by_key.get(turn.speaker or "")
        if speaker is None or person is None:
            continue
        group = groups.setdefault(speaker.key, [])
        if person not in group:
            group.append(person)
    named: list[str] = []
    rename: dict[str, Participant] = {}  # old key -> the participant kept for that person
    for key, group in groups.items():
        stated = [s for s in speakers.values() if s.key == key]
        keep = min(group, key=lambda p: _RANK.get(p.role, 9))
        name = max((s.name for s in stated), key=len, default="")
        if name:
            keep.name = name
            named += [label for label, s in speakers.items() if s.key == key]
        else:  # "Kirk" and "Kirk Shillingford": the fuller name
            keep.name = max((p.name for p in group), key=lambda n: len(n.split()))
        keep.title = keep.title or next((s.title for s in stated if s.title), "")
        for person in group:
            rename[person.key] = keep
            if person is not keep:  # its label's guesses (a surname with no full name) no longer apply
                named.append(person.label)
    kept = list({id(p): p for p in rename.values()}.values())
    gone = {id(p) for p in participants if p.key in rename and rename[p.key] is not p}
    participants[:] = [p for p in participants if id(p) not in gone]
    kept_ids = {id(p) for p in kept}
    taken = {p.key for p in participants if id(p) not in kept_ids}
    for person in kept:  # keys are names: a renamed person gets a key from the new name
        base = " ".join(person.name.split()) or person.key
        key, n = base, 2
        while key in taken:
            key, n = f"{base} ({n})", n + 1
        taken.add(key)
        person.key = key
    for turn in turns:
        if turn.speaker in rename:
            turn.speaker = rename[turn.speaker].key
    seat_members(participants)  # the file's titles ("Brampton-Nord, Lib.") came after people.py's roles
    return named
