"""Who speaks: labels -> participants, roles, bio lines, and Q-turn questioners.

* A label is looked up in the front matter first (by label or name).
* "OPERATOR" is the participant "Operator" (role operator).
* A full-name label ("Jane Doe", "JANE DOE", "MS. JANE DOE") is that name, cased as the
  text writes it; a surname label ("LAGON", "MR. LEHRER") is completed from the text
  (names.py). Failing that the title-cased label is used and a warning says so.
* The presider says so ("I'll be presiding", "As moderator, …"); failing that a
  MODERATOR/PRESIDER/HOST label; failing that the first speaker, when their first turn
  names another speaker in full (an introduction). Other named speakers are panelists
  when the presider names them or they speak before the Q&A; otherwise "other".
* Each "Q" turn belongs to the questioner announced since the previous Q turn ("Our
  next question will be from Shirin Tahir-Kheli."); their affiliation comes from the
  announcement or from how they introduce themselves ("I'm Jaeduk Seo from Radio Free
  Asia"). With no announcement the speaker stays None and a warning says so.
"""

from __future__ import annotations

import re

from transcripts.normalise import truncate

from .bios import introduction, match_bios
from .frontmatter import FrontMatter
from .header import Header, clean
from .labels import ARTICLES, HONORIFICS, OPERATOR_LABELS, QUESTION_LABELS, LabelMatch, label_shape
from .model import (
    CHAIR,
    COUNSEL,
    DISCUSSION,
    HOST,
    MEMBER,
    OPERATOR,
    OTHER,
    PANELIST,
    PRESIDER,
    QUESTION,
    QUESTIONER,
    SPEAKER,
    WITNESS,
    Participant,
    Turn,
)
from .names import TITLE_WORDS as ENGLISH_TITLE_WORDS
from .names import find_cased, find_full_name, is_given_name, self_introduction, sentences, title_case
from .role_words import (
    CJK_ROLE_AFFIXES,
    PLACEHOLDER_WORDS_ELSEWHERE,
    TITLE_WORDS_ELSEWHERE,
    cjk_name_and_roles,
    cjk_role,
    word_role,
)
from .variants import merge_variants

# Words that say what someone is, in English and in the other languages labels come in.
TITLE_WORDS = ENGLISH_TITLE_WORDS | TITLE_WORDS_ELSEWHERE

ROLE_LABELS = {"MODERATOR", "PRESIDER", "HOST", "CHAIR", "INTERVIEWER"}
# Words that only say what someone is: a label made of these names nobody.
ROLE_WORDS = (
    TITLE_WORDS
    | ARTICLES
    | {
        "chairperson",
        "court",
        "moderator",
        "presider",
        "presiding",
        "host",
        "co-host",
        "cohost",
        "interviewer",
        "announcer",
        "narrator",
        "offscreen",
        "voice",
        "pro",
        "tempore",
        "speaker",
        "clerk",
        "vice",
        "participant",
        "participants",
        "audience",
        "member",
        "questioner",
        "unidentified",
        "unknown",
        "male",
        "female",
        "panelist",
        "witness",
        "counsel",
    }
)
GENERIC_LABELS = {
    "AUDIENCE",
    "AUDIENCE MEMBER",
    "PARTICIPANT",
    "SPEAKER",
    "UNIDENTIFIED SPEAKER",
    "UNKNOWN",
    "UNKNOWN SPEAKER",
    "VOICE",
    "MALE SPEAKER",
    "FEMALE SPEAKER",
    "QUESTIONER",
    "QUESTION",
    "A",
}
_APOS = "(?:'|’)"
PRESIDE_RE = re.compile(
    rf"\bI(?:{_APOS}ll| will| am|{_APOS}m)(?: be)?(?: your| the| today{_APOS}s)?"
    rf"\s+(?:presid(?:ing|er)|moderat(?:ing|or))\b"
    r"|\b[Aa]s (?:the |your )?(?:presider|moderator)\b",
)
_NAME = r"[A-Z][\w'’\-]*(?:\s+(?:(?:van|von|de|der|da|di|bin|al|la|le)\s+)?(?:[A-Z]\.|[A-Z][\w'’\-]*)){0,3}"
_AFF = r"[A-Z][\w&'’\-]*(?:\s+(?:of|for|and|on|the|in|&|[A-Z][\w&'’\-]*))*"
ANNOUNCE_RE = re.compile(
    rf"\bquestion(?:er)?s?\b[^.?!\n]{{0,40}}?\bfrom\s+(?:(?:Mr|Mrs|Ms|Dr|Professor|Prof|Ambassador|Senator)\.?\s+)?"
    rf"(?P<name>{_NAME})(?:\s*,?\s+(?:with|of|from|at)\s+(?:the\s+)?(?P<aff>{_AFF}))?"
)
_SELF_AFF_RE = re.compile(rf"\bI(?:{_APOS}m| am)\s+(?:with|from)\s+(?:the\s+)?(?P<aff>{_AFF})")


def _trim_aff(aff: str | None) -> str:
    words = (aff or "").split()
    while words and words[-1].lower() in {"of", "for", "and", "on", "the", "in", "&"}:
        words.pop()
    return " ".join(words)


def _affiliation(name: str, text: str) -> str:
    m = re.search(rf"{re.escape(name)}\s*,?\s+(?:from|with|of|at)\s+(?:the\s+)?(?P<aff>{_AFF})", text)
    m = m or _SELF_AFF_RE.search(text)
    return _trim_aff(m.group("aff")) if m else ""


# Words of labels that stand for nobody in particular ("Audience Member", "Announcer
# offscreen", "UNIDENTIFIED VOICE"): such a speaker is never promoted to panelist.
PLACEHOLDER_WORDS = {
    "audience",
    "unidentified",
    "unknown",
    "participant",
    "participants",
    "announcer",
    "voice",
    "narrator",
    "offscreen",
    "crowd",
    "questioner",
    "male",
    "female",
} | PLACEHOLDER_WORDS_ELSEWHERE


# Words a label is made of when it names a role or a placeholder, not a person: "Operator",
# "Q", "Unidentified Audience Member", "Speaker 2", "SPEAKER_00", "Reporter", "The CHAIR".
GENERIC_WORDS = (
    (ROLE_WORDS - ENGLISH_TITLE_WORDS - ARTICLES)
    | PLACEHOLDER_WORDS
    | {
        "operator",
        "reporter",
        "journalist",
        "caller",
        "question",
        "q",
        "a",
        "man",
        "woman",
        "person",
        "guest",
        "presenter",
        "interpreter",
        "translator",
        "officer",
        "chair",
        "chairman",
        "chairwoman",
        "chairperson",
        "several",
        "multiple",
        "voices",
        "speakers",
        "all",
        "unnamed",
        "an",
    }
    | {affix for affix, role in CJK_ROLE_AFFIXES.items() if role}  # "委員長", "司会", "记者"
)
# The presiding roles: whoever holds one opens the event and hands over.
PRESIDING_ROLES = (PRESIDER, HOST, CHAIR)
# Title words that make a speaker a member of the body holding the session.
MEMBER_TITLES = {
    "senator",
    "sen",
    "representative",
    "rep",
    "assemblyman",
    "assemblywoman",
    "assemblymember",
    "councillor",
    "councilor",
    "councilman",
    "councilwoman",
    "councilmember",
    "congressman",
    "congresswoman",
    "alderman",
    "mp",
    "mla",
    "td",
}
COUNSEL_WORDS = {"counsel", "attorney", "prosecutor", "solicitor", "barrister", "advocate"}


def is_generic_name(name: str) -> bool:
    """True when `name` names a role or a placeholder rather than a person ("Operator",
    "Q", "Moderator", "Unidentified Audience Member", "Speaker 2", "SPEAKER_00"): such a
    speaker belongs to one event only and is no person of the archive."""
    words = [w for w in re.split(r"[\s_.:,()#]+", name.casefold()) if w]
    # "Speaker 2", "Speaker B" are placeholders; "Q" and "A" (an examination's answers) are roles.
    kept = [w for w in words if not w.isdigit() and (len(w) > 1 or w in ("q", "a"))]
    if len(kept) > 1 and kept[0] in ARTICLES:  # "Le Président", "Die Moderatorin"; "Le" alone is a name
        kept = kept[1:]
    return bool(kept) and all(w in GENERIC_WORDS for w in kept)


def give_role(person: Participant, role: str, reason: str) -> None:
    person.role, person.role_reason = role, reason


class People:
    """Collects participants under unique keys while labels are resolved."""

    def __init__(self):
        self.by_key: dict[str, Participant] = {}
        self.warnings: list[str] = []
        self.placeholders: set[str] = set()  # keys of participants named after a role label

    def add(self, person: Participant, reuse: bool = True) -> Participant:
        key = " ".join(person.name.split()) or "Unnamed"
        if reuse and key in self.by_key:
            known = self.by_key[key]
            if known.role == OTHER and person.role != OTHER:  # a later label says what they are
                known.role, known.role_reason = person.role, person.role_reason
            return known
        base, n = key, 2
        while key in self.by_key:
            key, n = f"{base} ({n})", n + 1
        person.key = key
        self.by_key[key] = person
        return person


def build_people(
    turns: list[Turn],
    matches: dict[str, LabelMatch],
    header: Header,
    fm: FrontMatter | None,
    text: str,
    header_text: str = "",
) -> tuple[list[Participant], list[str]]:
    """Set every turn's speaker; return (participants in display order, warnings)."""
    people = People()
    listed = [
        people.add(
            Participant(
                "", p["name"], p.get("label", ""), p.get("role") or OTHER, p.get("title", ""), p.get("affiliation", "")
            ),
            reuse=False,
        )
        for p in (fm.participants if fm else [])
    ]
    fm_roles = {p.key for p, raw in zip(listed, fm.participants if fm else []) if raw.get("role")}
    for p in listed:
        p.role_reason = f"the front matter says role: {p.role}" if p.key in fm_roles else ""
    by_label: dict[str, Participant] = {}
    turns_of: dict[str, list[Turn]] = {}
    for turn in turns:
        turns_of.setdefault(turn.label, []).append(turn)
    for label, match in matches.items():
        if label in QUESTION_LABELS:
            continue
        person = _resolve(label, match, listed, people, " ".join(t.text for t in turns_of[label]), text)
        person.label = person.label or label
        person.affiliation = person.affiliation or match.affiliation
        if person.role != OTHER and not person.role_reason:
            person.role_reason = f"the label says “{label}”"
        by_label[label] = person
    _merge_variants(people, by_label)
    for turn in turns:
        if turn.label in by_label:
            turn.speaker = by_label[turn.label].key

    _stated_roles(header_text, by_label, fm_roles)
    presider = _find_presider(turns, by_label, listed, fm_roles)
    presider_text = " ".join(t.text for t in turns if presider and t.speaker == presider.key)
    _speaking_roles(turns, by_label, people, fm_roles, presider, presider_text)
    questioners = _questioners(turns, people)
    for person in people.by_key.values():
        person.generic = is_generic_name(person.name)
    _attach_bios(header, turns, people)

    def intro_order(p: Participant) -> tuple:
        spot = presider_text.find(p.name) if presider_text else -1
        first = next((t.position for t in turns if t.speaker == p.key), 10**9)
        return (spot if spot >= 0 else 10**9, first)

    everyone = list(people.by_key.values())
    ordered = [p for p in everyone if p.role in PRESIDING_ROLES]
    ordered += sorted((p for p in everyone if p.role == PANELIST), key=intro_order)
    ordered += [p for p in everyone if p.role == OPERATOR]
    ordered += questioners + [p for p in everyone if p.role == QUESTIONER and p not in questioners]
    ordered += sorted((p for p in everyone if p not in ordered), key=intro_order)
    return ordered, people.warnings


PRESIDING_WORDS = {"moderator", "presider", "presiding", "interviewer"}
CHAIR_WORDS = {"chair", "chairman", "chairwoman", "chairperson", "court"}  # "THE COURT": the judge presides


def label_role(label: str) -> str | None:
    """The role a label itself states ("MODERATOR", "The PRESIDING OFFICER", "Audience
    questioner", "HOST"), or None. A label that also names someone ("CHAIR BERNSTEIN")
    states a job title, not a role at this event, so it gives no role."""
    words = [w.strip(".").casefold() for w in label.split()]
    if label.upper() in OPERATOR_LABELS:
        return OPERATOR
    if label in QUESTION_LABELS or "audience" in words or "questioner" in words:
        return QUESTIONER
    if label in CJK_ROLE_AFFIXES:  # "主席", "司会": a role alone
        return CJK_ROLE_AFFIXES[label] or None
    if not all(w in ROLE_WORDS for w in words):
        return None
    said = next((word_role(w) for w in words if word_role(w)), None)
    if said:  # "Le Président", "Die Präsidentin", "Témoin"
        return said
    if {"host", "co-host", "cohost"} & set(words):
        return HOST
    if CHAIR_WORDS & set(words):
        return CHAIR
    if PRESIDING_WORDS & set(words) or words[-2:] == ["pro", "tempore"] or words == ["the", "speaker"]:
        return PRESIDER
    if "witness" in words:
        return WITNESS
    if COUNSEL_WORDS & set(words):
        return COUNSEL
    return None


def member_role(spoken_as: str) -> str | None:
    """MEMBER when a label names someone by a member's title ("SENATOR MURPHY", "Rep. Lee")."""
    words = [w.strip(".").casefold() for w in spoken_as.split()]
    return MEMBER if len(words) >= 2 and words[0] in MEMBER_TITLES else None


def strip_titles(words: list[str]) -> tuple[list[str], list[str]]:
    """("OCFS", "COMMISSIONER", "POOLE") -> (["OCFS", "COMMISSIONER"], ["POOLE"])."""
    cut = 0
    while cut < len(words) - 1:
        word = words[cut].strip(".").casefold()
        following = words[cut + 1].strip(".").casefold()
        acronym = words[cut].isupper() and len(words[cut]) <= 4 and following in TITLE_WORDS
        if word not in TITLE_WORDS and not acronym:
            break
        cut += 1
    return words[:cut], words[cut:]


def _resolve(
    label: str, match: LabelMatch, listed: list[Participant], people: People, own_text: str, text: str
) -> Participant:
    folded = label.casefold()
    for p in listed:
        if folded in (p.label.casefold(), p.name.casefold()):
            return p
    if label.upper() in OPERATOR_LABELS:
        return people.add(Participant("", "Operator", label, OPERATOR))
    if match.shape == "uncased":
        return _uncased(label, people)
    bare = _without_affiliation(label, match.affiliation)  # "Petra Pau (DIE LINKE)": the party is no name
    spoken_as = bare.split(", ")[0]  # "STEVE INSKEEP, HOST": a name, then what they are here
    # "Acting Chairperson (Senator Fintan Warfield)": a role, then the person holding it.
    held = bare != label and _only_role_words(bare.split()) and label_shape(match.affiliation) in NAMED_SHAPES
    if match.shape == "office" or held:  # "Minister for Health, … (Deputy Ann Lee)": the holder, titled by the office
        _, holder = strip_titles(match.affiliation.split())
        name = " ".join(holder)
        found = next((p for p in listed if p.name.casefold() == name.casefold()), None)
        office_role = label_role(label.split(" (")[0]) or OTHER
        return found or people.add(Participant("", name, label, office_role, label.rsplit(" (", 1)[0]))
    # The role a label states after the name ("…, HOST") or as an office before its holder ("The Chair (…)").
    role = label_role(label.split(", ")[-1]) or label_role(label.split(" (")[0]) or member_role(spoken_as) or OTHER
    words = spoken_as.split()
    if match.shape == "honorific":  # "Dr. h. c. Wolfgang Thierse": the degree's abbreviations are no name
        words = [w for w in words[1:] if not re.fullmatch(r"[a-z]{1,3}\.", w)]
    if " of " in " ".join(words):  # "Mr. SMITH of New Jersey": the place tells two Smiths apart
        words = " ".join(words).split(" of ")[0].split()
    if _only_role_words(words) or match.shape == "role":
        introduced = self_introduction(own_text) if label.upper() in ROLE_LABELS else ""
        if introduced:  # "MODERATOR: Good morning, I'm Pat Green."
            return people.add(Participant("", introduced, label, role if role != OTHER else PRESIDER))
        name = title_case(label)  # "The PRESIDING OFFICER", "Announcer offscreen": a role, not a name
        people.warnings.append(f"Label '{label}' does not name a person; it will be shown as '{name}'.")
        return _placeholder(people, Participant("", name, label, role))
    titles, words = strip_titles(words) if match.shape == "caps" else _leading_titles(words, match.shape)
    shown = [w for w in titles if w.strip(".").casefold() not in HONORIFICS]  # "Dr." is no office
    title = title_case(" ".join(shown)) if shown else ""
    said = next((word_role(w) for w in titles if word_role(w)), "")
    if role == OTHER and said:  # "Präsident Dr. Norbert Lammert": the chair of the sitting
        role = said
        reason = f"the label calls them “{next(w for w in titles if word_role(w))}”"
        return _named(words, match, listed, people, text, Participant("", "", label, role, title, role_reason=reason))
    if len(words) >= 2 and not words[-1].isdigit():
        return _named(words, match, listed, people, text, Participant("", "", label, role, title))
    if label.upper() in GENERIC_LABELS or words[-1].isdigit() or role == QUESTIONER:
        name = title_case(label)  # "AUDIENCE MEMBER", "SPEAKER 2": a placeholder, not a name
        people.warnings.append(f"Label '{label}' does not name a person; it will be shown as '{name}'.")
        return _placeholder(people, Participant("", name, label, role))
    surname = words[0]
    found = next((p for p in listed if p.name.split()[-1].casefold() == surname.casefold()), None)
    # "ANN:" under a front matter list naming one Ann: the list gives the full name.
    given = [p for p in listed if len(p.name.split()) > 1 and p.name.split()[0].casefold() == surname.casefold()]
    found = found or (given[0] if len(given) == 1 else None)
    if found:
        return found
    # "MODERATOR:" is no surname to look up, but the moderator may say "I'm Pat Green".
    # The Congressional Record's "Mr. ISSA." never writes the full name near, and its
    # roll calls would offer wrong ones, so a period label keeps the surname.
    if label.upper() in ROLE_LABELS:
        name = self_introduction(own_text)
    else:
        name = find_full_name(surname, text) if match.ending != "period" else ""
    if not name:
        name = title_case(" ".join(words))
        people.warnings.append(f"Label '{label}' could not be matched to a full name; it will be shown as '{name}'.")
    person = people.add(Participant("", name, label, role, title))
    if label.upper() in ROLE_LABELS and person.role == OTHER:
        person.role = PRESIDER
    return person


NAMED_SHAPES = ("honorific", "mixed", "caps")


def _without_affiliation(label: str, affiliation: str) -> str:
    """ "Petra Pau (DIE LINKE)" -> "Petra Pau": the label without the bracket the parser kept."""
    bracket = f"({affiliation})"
    return label[: -len(bracket)].rstrip() if affiliation and label.endswith(bracket) else label


def _only_role_words(words: list[str]) -> bool:
    """ "The Chair", "Le Président", "Acting Chairperson"; not "LE" alone (a family name)."""
    folded = [w.strip(".").casefold() for w in words]
    return all(w in ROLE_WORDS for w in folded) and any(w not in ARTICLES for w in folded)


def _leading_titles(words: list[str], shape: str) -> tuple[list[str], list[str]]:
    """ "Präsident Dr. Norbert Lammert" -> (["Präsident", "Dr."], ["Norbert", "Lammert"]): titles
    before a written-out name (two words or more stay); a surname alone keeps its title."""
    if shape != "mixed":
        return [], words
    titles, rest = strip_titles(words)
    return (titles, rest) if len(rest) >= 2 else ([], words)


def _named(words, match, listed, people, text, person: Participant) -> Participant:
    """The participant for a label holding a full name (`words`); `person` carries the rest."""
    if match.shape == "mixed":
        person.name = " ".join(words)
    else:
        person.name = find_cased(words, text) or title_case(" ".join(words))
    found = next((p for p in listed if p.name.casefold() == person.name.casefold()), None)
    return found or people.add(person)


def _uncased(label: str, people: People) -> Participant:
    """ "主持人许波" (host Xu Bo), "郭文贵先生" (Mr Guo Wengui), "记者东方" (reporter Dongfang): the
    role words around a name written without spaces are its title, not part of it."""
    name, affixes = cjk_name_and_roles(label)
    role = cjk_role(affixes) or (CJK_ROLE_AFFIXES.get(label) or OTHER)
    reason = f"the label calls them “{next(a for a in affixes if CJK_ROLE_AFFIXES[a])}”" if cjk_role(affixes) else ""
    title = next((a for a in affixes if CJK_ROLE_AFFIXES[a] and a not in ("提问", "提問")), "")
    if label in CJK_ROLE_AFFIXES:  # "主席:", "司会:": a role alone, no name
        return _placeholder(people, Participant("", label, label, role, role_reason=f"the label says “{label}”"))
    person = people.add(Participant("", name, label, role, title, role_reason=reason))
    if person.role == OTHER and role != OTHER:  # "东方" first, "记者东方" later: the later label tells the role
        give_role(person, role, reason)
    person.title = person.title or title
    return person


# A header that says who presides: "PRESIDING: Senator Terrence Murphy, Chair", "Host: …".
STATED_ROLE_RE = re.compile(
    r"\b(?P<role>PRESIDING|PRESIDER|MODERATOR|MODERATED BY|HOST|HOSTS|Host|Moderator)\s*:"
    r"(?P<span>.{1,300}?)(?=\b[A-Z][A-Z ()]{3,}:|$)",
    re.S,
)


def _stated_roles(header_text: str, by_label: dict[str, Participant], fm_roles: set[str]) -> None:
    """Speakers the header lists under "PRESIDING:" / "Host:" get that role."""
    for m in STATED_ROLE_RE.finditer(header_text):
        role = HOST if m.group("role").lower().startswith("host") else PRESIDER
        for person in {p.key: p for p in by_label.values()}.values():
            surname = person.name.split()[-1] if person.name.split() else ""
            named = len(surname) > 2 and re.search(rf"\b{re.escape(surname)}\b", m.group("span"))
            if named and person.key not in fm_roles:
                give_role(person, role, f"the header lists them under “{m.group('role')}:”")


def _placeholder(people: People, person: Participant) -> Participant:
    person = people.add(person)
    words = {w.strip(".").casefold() for w in person.label.split()}
    if words & PLACEHOLDER_WORDS or person.label.upper() in GENERIC_LABELS:
        people.placeholders.add(person.key)
    return person


def _find_presider(turns, by_label, listed, fm_roles) -> Participant | None:
    for p in listed:
        if p.role == PRESIDER:
            return p
    said = next((t for t in turns if t.label in by_label and PRESIDE_RE.search(t.text)), None)
    candidate = by_label[said.label] if said else None
    reason = f"says they preside in turn {said.position}" if said else ""
    if candidate is None:
        candidate = next((p for p in by_label.values() if p.role in PRESIDING_ROLES), None)
    if candidate is None and turns and turns[0].label in by_label:
        first = by_label[turns[0].label]
        others = [p.name for p in by_label.values() if p is not first and " " in p.name and p.role != OPERATOR]
        if any(name in turns[0].text for name in others):
            candidate, reason = first, "opens the event and introduces the other speakers"
    if candidate is None:
        candidate, reason = _interviewer(turns, by_label)
    if candidate is not None and candidate.role not in (OPERATOR, HOST, CHAIR) and candidate.key not in fm_roles:
        give_role(candidate, PRESIDER, reason or candidate.role_reason)
    return candidate if candidate is not None and candidate.role in PRESIDING_ROLES else None


def _asks(turn: Turn) -> bool:
    return turn.kind == QUESTION or turn.text.rstrip(' "”’)').endswith("?")


def _has_question(turn: Turn) -> bool:
    return turn.kind == QUESTION or "?" in turn.text


def _interviewer(turns, by_label) -> tuple[Participant | None, str]:
    """The speaker who asks most of the questions while another answers them (a town hall's
    or an interview's moderator who never says so), or (None, "")."""
    asked: dict[str, list[int]] = {}
    for turn in turns:
        if turn.label in by_label and by_label[turn.label].role not in (OPERATOR, QUESTIONER):
            counts = asked.setdefault(by_label[turn.label].key, [0, 0])
            counts[0] += _has_question(turn)
            counts[1] += 1
    shares = {key: q / n for key, (q, n) in asked.items() if n >= 3}
    if not shares:
        return None, ""
    key = max(shares, key=shares.get)
    others = [share for other, share in shares.items() if other != key]
    # Clearly the one asking: a third of their turns or more hold a question, half as often
    # again as anyone else's.
    if not others or shares[key] < 0.3 or shares[key] < 1.5 * max(others):
        return None, ""
    person = next(p for p in by_label.values() if p.key == key)
    q, n = asked[key]
    return person, f"asks the questions ({q} of {n} turns hold one) and hands over"


def _only_asks(turns: list[Turn]) -> bool:
    """One or two turns, each a question: how a town-hall audience member takes part."""
    return 0 < len(turns) <= 2 and all(_asks(t) for t in turns)


def _speaking_roles(turns, by_label, people, fm_roles, presider, presider_text) -> None:
    """Roles from how each speaker takes part, for those the labels and header left open:
    a questioner asks and nothing else (when several do so: a town-hall audience); a
    panelist (a witness, at a session with members) is introduced by the presider or
    speaks before the Q&A; anyone else is "other"."""
    speakers = list({p.key: p for p in by_label.values()}.values())
    seat_members(speakers, fm_roles)
    # Members by title (SENATOR, COUNCILLOR) make it a hearing or sitting: the others answer them.
    session = any(p.role == MEMBER for p in speakers)
    turns_of: dict[str | None, list[Turn]] = {}
    for turn in turns:
        turns_of.setdefault(turn.speaker, []).append(turn)
    open_roles = [p for p in speakers if p.key not in fm_roles and p.role in (OTHER, PANELIST, SPEAKER)]
    askers = [p for p in open_roles if presider not in (None, p) and _only_asks(turns_of.get(p.key, []))]
    for person in open_roles:
        if person.key in people.placeholders:
            continue
        own = turns_of.get(person.key, [])
        introduced = presider_text and person.name in presider_text
        early = any(t.section == DISCUSSION for t in own)
        answering = WITNESS if session else PANELIST
        if len(askers) >= 2 and person in askers:
            give_role(person, QUESTIONER, f"only asks questions ({len(own)} turn{'s' if len(own) != 1 else ''})")
        elif introduced:
            give_role(person, answering, "introduced by the presider")
        elif early:
            where = "answers at a session with members" if session else "speaks before the Q&A"
            give_role(person, answering, where)
        else:
            give_role(person, OTHER, "speaks only in the Q&A and is not introduced")


def _party(affiliation: str) -> str:
    """ "CDU/CSU", "DIE LINKE", "D-CA", "Lib." (also the last part of "Guelph, Lib."): how
    a chamber writes a party after a name (short, in capitals or abbreviated), not an
    employer ("Acme Institute"); "" when it is none."""
    party = affiliation.rsplit(", ", 1)[-1].strip()
    letters = [ch for ch in party if ch.isalpha()]
    short = 0 < len(party) <= 40 and bool(letters)
    return party if short and (all(ch.isupper() for ch in letters) or party.endswith(".")) else ""


_LAST_BRACKET_RE = re.compile(r"\(([^()]*)\)\s*$")


def seat_members(speakers: list[Participant], fixed: set[str] = frozenset()) -> None:
    """In a sitting with a chair, a speaker written with a party after the name ("Petra Pau
    (DIE LINKE)", "Mme Ruby Sahota (Brampton-Nord, Lib.)") is a member, whatever how they
    took part suggested; roles from a label that says what they are, or `fixed`, stay."""
    if not any(p.role == CHAIR for p in speakers):
        return
    for person in speakers:
        bracket = _LAST_BRACKET_RE.search(person.label)
        party = _party(person.affiliation) or _party(person.title) or _party(bracket.group(1) if bracket else "")
        if party and person.key not in fixed and person.role in (OTHER, PANELIST, QUESTIONER, WITNESS):
            give_role(person, MEMBER, f"sits for {party} in a sitting with a chair")


def _merge_variants(people: People, by_label: dict[str, Participant]) -> None:
    """Labels that are one person point to one participant (variants.py), keys re-made
    from the (possibly unwrapped) names."""
    placeholders = {id(people.by_key[key]) for key in people.placeholders if key in people.by_key}
    everyone = list(people.by_key.values())
    into = merge_variants(everyone)
    merged = set()
    for label, person in by_label.items():
        if into[person.key] is not person:
            merged.add(f"Label '{label}' ")  # its "could not be matched" warning no longer holds
        by_label[label] = into[person.key]
    people.warnings = [w for w in people.warnings if not any(w.startswith(m) for m in merged)]
    kept = list({id(p): p for p in into.values()}.values())
    people.by_key.clear()
    for person in kept:
        people.add(person, reuse=False)
    people.placeholders = {p.key for p in kept if id(p) in placeholders}


def _questioners(turns: list[Turn], people: People) -> list[Participant]:
    found: list[Participant] = []
    announced: tuple[str, str] | None = None
    for turn in turns:
        if turn.label not in QUESTION_LABELS:
            for m in ANNOUNCE_RE.finditer(turn.text):
                name = m.group("name")
                if is_given_name(name.split()[0]):
                    announced = (name, _trim_aff(m.group("aff")))
            continue
        if announced is None:
            first = sentences(clean(turn.text))[:1]
            name = self_introduction(first[0]) if first else ""
            if not name:
                start = clean(turn.text)[:40]
                people.warnings.append(
                    f"Q turn {turn.position} ('{start}…') has no announced questioner before it; it is "
                    "attributed to 'Questioner', a speaker of this event only (type a name to change that)."
                )
                reason = "a Q label with no name announced or given"
                turn.speaker = people.add(Participant("", "Questioner", "Q", QUESTIONER, role_reason=reason)).key
                continue
            # "Hi, I'm Jane Doe from Reuters.": offered for this turn; staff confirm it in the preview.
            aff, reason = "", f"introduced themself in turn {turn.position}: “{truncate(first[0], 60)}”"
        else:
            (name, aff), announced = announced, None
            reason = f"a Q label, announced before turn {turn.position}"
        person = next((p for p in found if p.name == name), None)
        if person is None:
            person = people.add(Participant("", name, "Q", QUESTIONER, role_reason=reason), reuse=False)
            found.append(person)
        person.affiliation = (
            person.affiliation or aff or _affiliation(name, turn.paragraphs[0].text if turn.paragraphs else "")
        )
        turn.speaker = person.key
    return found


def _attach_bios(header: Header, turns: list[Turn], people: People) -> None:
    """Header bio lines -> Participant.title (by written name, else by content)."""
    speakers = [p for p in people.by_key.values() if p.role in (PRESIDER, PANELIST, OTHER)]
    unnamed = []
    for bio in header.bios:
        text = clean(bio.text)
        person = next((p for p in speakers if bio.name and p.name.casefold() == clean(bio.name).casefold()), None)
        if person is not None:
            person.title = person.title or text
        else:
            unnamed.append(text)
    candidates = [p for p in speakers if not p.title and " " in p.name]
    paragraphs = [para.text for t in turns for para in t.paragraphs]
    names = [p.name for p in people.by_key.values() if " " in p.name]
    intros = {p.key: introduction(p.name, [n for n in names if n != p.name], paragraphs) for p in candidates}
    assigned = match_bios(unnamed, {k: v for k, v in intros.items() if v})
    for index, text in enumerate(unnamed):
        if index in assigned:
            people.by_key[assigned[index]].title = text
        else:
            people.warnings.append(
                f"The header line '{truncate(text, 60)}' could not be matched to a speaker; it was not used."
            )
