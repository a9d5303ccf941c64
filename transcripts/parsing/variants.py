"""One person, one participant: the forms a document uses for one speaker become one.

A transcript names a speaker in several ways; each form resolves to a participant, and
this module folds the participants that are one person into the first of them:

* spacing and punctuation: "HON. DR. J. SMITH" and "HON. DR J. SMITH";
* a long first form and short later ones: "The Minister for Health (Ms Jane Roe)", then
  "Ms Roe" (the name in brackets is the name; a family name alone is that person when
  exactly one other participant has it);
* initials defined on first use: "Ann Lee (AL)", then "AL".

Nothing is merged on a guess: a family name or initials shared by two participants
merge with neither.
"""

from __future__ import annotations

import re

from transcripts.normalise import name_key

from .model import OTHER, Participant
from .names import TITLE_WORDS

_BRACKETED = re.compile(r"^(?P<outer>.*?)\s*\((?P<inner>[^()]+)\)\s*$")
_INITIALS = re.compile(r"^[A-Z]{2,4}$")


def _name_words(name: str) -> list[str]:
    """The words of a name without honorifics and titles ("Ms Jane Roe" -> Jane, Roe)."""
    words = name.replace(".", ". ").split()
    while len(words) > 1 and words[0].strip(".").casefold() in TITLE_WORDS | {"hon", "the", "rt", "right"}:
        words = words[1:]
    return words


def initials(name: str) -> str:
    """ "Ann Lee" -> "AL" (honorifics and particles skipped)."""
    return "".join(w[0].upper() for w in _name_words(name) if w[:1].isupper())


def bracketed_name(name: str) -> tuple[str, str]:
    """(the name, initials it defines) of a bracketed form: "The Minister for Health (Ms
    Jane Roe)" -> ("Jane Roe", ""), "Ann Lee (AL)" -> ("Ann Lee", "AL"); else (name, "")."""
    m = _BRACKETED.match(name)
    if not m:
        return name, ""
    inner, outer = m.group("inner").strip(), m.group("outer").strip()
    if _INITIALS.match(inner) and outer and initials(outer) == inner:
        return outer, inner
    words = _name_words(inner)
    if len(words) >= 2 and all(w[:1].isupper() for w in words):
        return " ".join(words), ""
    return name, ""


def spelling_key(name: str) -> str:
    """How two spellings of one name compare: case, accents, full stops and spacing ignored,
    honorifics kept ("HON. DR J. SMITH" == "Hon. Dr. J. Smith")."""
    return name_key(name.replace(",", " "))


def merge_variants(participants: list[Participant]) -> dict[str, Participant]:
    """Each participant's key -> the participant it is one person with (itself if none).
    Bracketed names are unwrapped in place; the first form of a person is kept."""
    defined: dict[str, list[Participant]] = {}
    for p in participants:
        p.name, defines = bracketed_name(p.name)
        if defines:
            defined.setdefault(defines, []).append(p)
    into: dict[str, Participant] = {}
    by_spelling: dict[str, Participant] = {}
    for p in participants:
        into[p.key] = by_spelling.setdefault(spelling_key(p.name), p)
    kept = list({id(p): p for p in into.values()}.values())
    by_family: dict[str, list[Participant]] = {}
    for p in kept:
        words = _name_words(p.name)
        if len(words) >= 2:
            by_family.setdefault(words[-1].casefold(), []).append(p)
    for p in kept:
        words = _name_words(p.name)
        target, label = None, p.label.strip(" .:")
        if len(words) == 1 and _INITIALS.match(label) and len(defined.get(label, [])) == 1:
            target = defined[label][0]
        elif len(words) == 1 and len(by_family.get(words[0].casefold(), [])) == 1:
            target = by_family[words[0].casefold()][0]
        if target is not None and target is not p:
            for key, now in into.items():
                if now is p:
                    into[key] = target
    for p in participants:
        target = into[p.key]
        if target is not p and target.role == OTHER and p.role != OTHER:
            target.role, target.role_reason = p.role, p.role_reason
    return into
