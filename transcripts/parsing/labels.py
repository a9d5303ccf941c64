"""Speaker labels at the start of a line: "LAGON:", "MR. LEHRER:", "Jane Doe:",
"JANE DOE (Acme Institute):", "**JANE DOE:**", "**Jane Doe**:", with an optional
timestamp "[00:01:23]" / "(00:01:23)" / "[01:23]" before the label, before the colon,
or right after the colon.

Which label shapes count (speech often has "Note: …", "Question: why …", "Yes: and …"
at a line start, so a bare "Word:" must not open a turn):
  * ALL-CAPS: 1–4 upper-case tokens ("LAGON", "TAHIR-KHELI", "JANE DOE"), optionally
    followed by a number ("SPEAKER 2"). Single letters only as "Q" or "A".
  * honorific + name, any case: "MR. LEHRER", "Dr. Jones", "MS. JANE SMITH".
  * mixed case: 2–4 capitalised name words ("Jane Doe", "Jan van Dijk"). These are
    *candidates* only: `parse` accepts them when the same label starts a line at
    least twice, or names a participant listed in the front matter.
After the colon there must be a space or the end of the line ("HTTP://…" is no label).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

HONORIFICS = {
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sen", "senator", "rep",
    "gov", "governor", "amb", "ambassador", "gen", "general", "rev", "sir", "dame", "hon",
    "judge", "justice", "adm", "admiral", "col", "colonel", "capt", "captain", "secretary",
}
# Capitalised words that open ordinary sentences and so cannot start a mixed-case label.
NOT_NAME_START = {
    "the", "a", "an", "and", "but", "so", "or", "if", "then", "yes", "no", "well", "note",
    "question", "answer", "thank", "thanks", "here", "there", "this", "that", "these", "those",
    "in", "on", "at", "for", "from", "to", "of", "with", "by", "as", "my", "our", "your",
    "his", "her", "their", "we", "you", "he", "she", "they", "it", "i", "what", "when", "where",
    "who", "why", "how", "one", "two", "first", "second", "third", "step", "part", "chapter",
    "section", "update", "source", "see", "re", "subject", "date", "title", "topic", "topics",
    "speakers", "related", "more", "top", "watch", "read", "listen", "photo", "video", "audio",
    "transcript", "summary", "bottom", "key", "main", "next", "last", "final", "quote", "ps",
}
NAME_PARTICLES = {"de", "del", "della", "der", "den", "van", "von", "da", "di", "du", "la", "le", "bin", "ibn", "al", "el", "ten", "ter", "y"}
QUESTION_LABELS = {"Q"}
OPERATOR_LABELS = {"OPERATOR"}

def _ts(name: str) -> str:
    return rf"[\[(]\s*(?P<{name}>\d{{1,2}}:\d{{2}}(?::\d{{2}})?)\s*[\])]"

_TOKEN = r"[^\W\d_][\w'’.\-]*"
LABEL_LINE_RE = re.compile(
    rf"""^[ \t]*(?:{_ts('ts1')}[ \t]*)?            # timestamp before the label
    (?P<open>\*\*)?[ \t]*
    (?P<name>{_TOKEN}(?:[ \t]+[\w'’.\-]+){{0,4}})
    [ \t]*(?:\((?P<aff>[^()\n]{{1,100}})\)[ \t]*)?   # "(Acme Institute)"
    (?:{_ts('ts2')}[ \t]*)?                             # timestamp before the colon
    (?P<close1>\*\*)?[ \t]*:[ \t]*(?P<close2>\*\*)?
    (?=[ \t]|$)[ \t]*(?:{_ts('ts3')}[ \t]*)?            # timestamp after the colon
    (?P<rest>.*)$""",
    re.VERBOSE,
)
TIMESTAMP_LINE_RE = re.compile(rf"^[ \t]*{_ts('ts')}[ \t]*$")


@dataclass
class LabelMatch:
    label: str  # normalised: stars, timestamp and affiliation removed, spaces collapsed
    shape: str  # "caps", "honorific" or "mixed"
    affiliation: str
    timestamp: str  # "HH:MM:SS" or ""
    rest: str  # the speech after the label on the same line


def normalise_timestamp(raw: str) -> str:
    """"1:23" (mm:ss) -> "00:01:23"; "1:02:03" -> "01:02:03"."""
    parts = [int(p) for p in raw.split(":")]
    if len(parts) == 2:
        parts.insert(0, 0)
    return "%02d:%02d:%02d" % tuple(parts)


def label_shape(label: str) -> str | None:
    """Classify a label's wording (see module doc); None when it is not label-shaped."""
    tokens = label.split()
    if not 1 <= len(tokens) <= 5:
        return None
    words = tokens[:-1] if len(tokens) > 1 and tokens[-1].isdigit() else tokens
    if len(words) > 4 or not all(any(ch.isalpha() for ch in w) for w in words):
        return None
    if words[0].rstrip(".").lower() in HONORIFICS and len(words) >= 2:
        if all(w[:1].isupper() for w in words[1:]) and not words[-1].endswith("."):
            return "honorific"
        return None
    if all(w == w.upper() and w != w.lower() for w in words):  # no lower-case letters
        if len(words) == 1 and len(words[0].strip(".")) == 1 and words[0].strip(".") not in ("Q", "A"):
            return None
        if words[0].startswith(".") or words[-1].endswith(".") and words[-1].count(".") > 1:
            return None  # "U.S.:" and friends are abbreviations, not names
        return "caps"
    if len(words) < 2 or words[0].lower() in NOT_NAME_START or words[-1].endswith("."):
        return None
    for i, w in enumerate(words):
        if w.lower() in NAME_PARTICLES and 0 < i < len(words) - 1:
            continue
        if not (w[:1].isupper() and any(ch.islower() for ch in w)):
            return None
    return "mixed"


def match_label_line(line: str) -> LabelMatch | None:
    """The label at the start of `line`, if the line has a label-shaped one."""
    if ":" not in line:
        return None
    m = LABEL_LINE_RE.match(line)
    if not m:
        return None
    if bool(m.group("open")) != bool(m.group("close1") or m.group("close2")):
        return None  # unbalanced "**"
    label = " ".join(m.group("name").split())
    shape = label_shape(label)
    if shape is None:
        return None
    stamps = [m.group(g) for g in ("ts1", "ts2", "ts3") if m.group(g)]
    timestamp = normalise_timestamp(stamps[0]) if stamps else ""
    return LabelMatch(label, shape, (m.group("aff") or "").strip(), timestamp, m.group("rest").strip())
