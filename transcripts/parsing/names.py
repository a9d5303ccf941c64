"""Finding a speaker's full name in the transcript text.

Transcripts label speakers by surname ("LAGON:") but introduce them in full ("I'm
Mark Lagon", "We have Susan Coppedge, who is …"). We look for a capitalised given name
(optionally followed by an initial) right before the surname, skipping titles and
sentence words ("Ambassador Lagon", "Thanks Kara" are not names), and take the most
frequent such name. When nothing is found the caller falls back to the title-cased
label and says so in a warning.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from .labels import HONORIFICS, NAME_PARTICLES, NOT_NAME_START

TITLE_WORDS = HONORIFICS | {
    "president",
    "secretary",
    "minister",
    "chairman",
    "chairwoman",
    "chair",
    "madam",
    "mister",
    "dean",
    "director",
    "mayor",
    "prime",
    "attorney",
    "deputy",
    "chief",
    "former",
    "lord",
    "lady",
    "reverend",
    "father",
    "sister",
    "brother",
    "doctor",
    "commissioner",
    "congressman",
    "congresswoman",
    "representative",
    "sheikh",
    "queen",
    "king",
    "prince",
    "princess",
    "officer",
    "agent",
    "detective",
    "sergeant",
    "lieutenant",
    "major",
    "coach",
    "auntie",
    "uncle",
    "saint",
    "assemblyman",
    "assemblywoman",
    "assemblymember",
    "legislator",
    "supervisor",
    "acting",
    "county",
    "executive",
    "councilman",
    "councilwoman",
    "councilmember",
    "delegate",
    "lt",
    "vice",
    "leader",
}
NOT_GIVEN_NAME = (
    NOT_NAME_START
    | TITLE_WORDS
    | {
        "welcome",
        "hi",
        "hello",
        "hey",
        "dear",
        "oh",
        "now",
        "also",
        "let",
        "like",
        "maybe",
        "today",
        "ok",
        "okay",
        "great",
        "please",
        "sorry",
        "congratulations",
        "right",
        "sure",
        "professors",
        "ambassadors",
        "mr",
        "said",
        "says",
        "asked",
        "ask",
        "told",
        "call",
        "called",
        "meet",
    }
)
_GIVEN = r"[^\W\d_][\w'’\-]*"
_INTRO_RE = re.compile(
    r"\b(?:I(?:'|’)m|I am|[Tt]his is|[Mm]y name is|[Mm]y name(?:'|’)s)\s+"
    r"(?P<name>[^\W\d_][\w'’\-]*(?:\s+(?:[A-Z]\.|[^\W\d_][\w'’\-]*)){1,3})"
)
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+")


_CAPS_AFTER_PREFIX_RE = re.compile(r"^(Mc|Mac|De|Di|La|Le)([A-Z][A-Z'’\-]+)$")


def title_case(label: str) -> str:
    """ "LAGON" -> "Lagon", "TAHIR-KHELI" -> "Tahir-Kheli", "O’BRIEN" -> "O’Brien", "McCAIN" -> "McCain"."""

    def fix(word: str) -> str:
        prefixed = _CAPS_AFTER_PREFIX_RE.match(word)
        if prefixed:  # "McCONNELL", "DeLAY": the record's capitals after a Mc/Mac/De prefix
            return prefixed.group(1) + fix(prefixed.group(2))
        if any(ch.islower() for ch in word):
            return word  # already written in mixed case: keep it
        return re.sub(r"[^\W\d_]+", lambda m: m.group(0).capitalize(), word)

    return " ".join(fix(w) for w in label.split())


def is_given_name(word: str) -> bool:
    bare = word.rstrip(".")
    return bool(bare) and bare[0].isupper() and any(ch.islower() for ch in bare) and bare.lower() not in NOT_GIVEN_NAME


# Given name and surname one space apart on one line: a roll call's column of names
# ("Israel" above "Issa") is not a name.
_BEFORE_RE = re.compile(rf"(?<![\w'’\-])(?P<given>{_GIVEN})(?:[ \u00a0](?P<initial>[A-Z]\.))?[ \u00a0]$")


def _occurrences(word: str, text: str):
    """Start offsets of `word` as a whole word, any case (str.find on lower-cased text
    is far faster than a case-insensitive regex over a long transcript)."""
    lower, needle = _lowered(text), word.lower()
    if len(lower) != len(text) or len(needle) != len(word):  # rare letters change length
        yield from (m.start() for m in re.finditer(rf"(?<![\w'’\-]){re.escape(word)}(?![\w'’\-])", text, re.I))
        return
    start = lower.find(needle)
    while start >= 0:
        end = start + len(needle)
        if (start == 0 or not _wordish(text[start - 1])) and (end == len(text) or not _wordish(text[end])):
            yield start
        start = lower.find(needle, start + 1)


@lru_cache(maxsize=4)
def _lowered(text: str) -> str:
    """The transcript in lower case, made once per text: every label's name is looked up in
    it (a str keeps its hash, so finding the cached copy costs nothing after the first)."""
    return text.lower()


def _wordish(ch: str) -> bool:
    return ch.isalnum() or ch in "_'’-"


def find_full_name(surname: str, text: str) -> str:
    """The most frequent "Given [X.] Surname" in `text` for a surname, or ""."""
    if not surname or len(surname) < 2:
        return ""
    found: Counter[str] = Counter()
    for start in _occurrences(surname, text):
        last = text[start : start + len(surname)]
        before = _BEFORE_RE.search(text, max(0, start - 60), start)
        if not before or not last[0].isupper() or not is_given_name(before.group("given")):
            continue
        parts = [before.group("given")] + ([before.group("initial")] if before.group("initial") else []) + [last]
        found[" ".join(parts)] += 1
    return found.most_common(1)[0][0] if found else ""  # Counter keeps first-seen order on ties


def find_cased(words: list[str], text: str) -> str:
    """How the text capitalises a multi-word name given in capitals ("JANE MCDONALD")."""
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words) + r"(?![\w'’\-])", re.IGNORECASE)
    for start in _occurrences(words[0], text):  # a plain find per candidate: fast on long texts
        m = pattern.match(text, start)
        if m and m.group(0)[:1].isupper() and not m.group(0).isupper():
            return " ".join(m.group(0).split())
    return ""


def self_introduction(text: str) -> str:
    """ "I'm Mark Lagon" / "This is Kristin Lord from IREX" -> the name, or ""."""
    for m in _INTRO_RE.finditer(text):
        words: list[str] = []
        for word in m.group("name").split():
            if not (word[:1].isupper() or (words and word.lower() in NAME_PARTICLES)):
                break
            words.append(word)
        while words and words[-1].lower() in NAME_PARTICLES:
            words.pop()
        if len(words) >= 2 and is_given_name(words[0]) and all(not w.isupper() or len(w) <= 2 for w in words):
            return " ".join(words)
    return ""


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END_RE.split(text) if s]
