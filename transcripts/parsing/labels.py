"""Label-shaped line starts ("candidates") and their shapes.

A candidate is what *could* be a speaker label at the start of a line; grammar.py
decides, for the whole document, which candidates really are labels. Three ways a
label ends:
  * a colon: "LAGON:", "MR. LEHRER:", "Jane Doe:", "JANE DOE (Acme Institute):",
    "**JANE DOE:**", "**Jane Doe**:", "STEVE INSKEEP, HOST:" (NPR), with an optional timestamp "[00:01:23]" /
    "(00:01:23)" / "[01:23.45]" before the label, before the colon or after it.
    After the colon there must be white space (a no-break space counts) or the line end.
  * a period, as the Congressional Record writes them: "Mr. BROWN of Ohio.",
    "Miss McMORRIS.", "The PRESIDING OFFICER (Mr. Graham).", "The SPEAKER pro tempore.";
    the parentheticals are kept apart from the label.
  * nothing, only a no-break space or two or more spaces: "Q   Mr. President, …",
    "PARTICIPANT  Win stuff." (grammar.py takes these only for "Q"/"A" or a label the
    document also writes with a colon).

Shapes (label_shape):
  * "caps": 1–5 upper-case tokens ("LAGON", "TAHIR-KHELI", "MS. O’HARA", "LIAM McLAUGHLIN",
    "DVS DIRECTOR McDONOUGH": Mc/Mac/De/Di/La/Le/Van + capitals count as capitals),
    optionally followed by a number ("SPEAKER 2"). Single letters only as "Q" or "A".
  * "honorific": title + name, any case: "MR. LEHRER", "Dr. Jones", "Mr. DeLAY".
  * "mixed": 2–5 capitalised name words, initials allowed after the first word
    ("Jane Doe", "Jan van Dijk", "Gerald R Ford", "George HW Bush", "Kent C. Dodds").
  * "role": a capitalised word then lower-case words ("Announcer offscreen",
    "Audience questioner").
  * "title": "The" + capitalised words ("The Acting CHAIRMAN"; only with a period).
  * "single": one capitalised word, maybe numbered ("Interviewer", "Speaker 2").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .role_words import is_cjk_pseudo_label

HONORIFICS = {
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "prof",
    "professor",
    "sen",
    "senator",
    "rep",
    "gov",
    "governor",
    "amb",
    "ambassador",
    "gen",
    "general",
    "rev",
    "sir",
    "dame",
    "hon",
    "judge",
    "justice",
    "adm",
    "admiral",
    "col",
    "colonel",
    "capt",
    "captain",
    "secretary",
}
# Capitalised words that open ordinary sentences and so cannot start a mixed-case label.
NOT_NAME_START = {
    "the",
    "a",
    "an",
    "and",
    "but",
    "so",
    "or",
    "if",
    "then",
    "yes",
    "no",
    "well",
    "note",
    "question",
    "answer",
    "thank",
    "thanks",
    "here",
    "there",
    "this",
    "that",
    "these",
    "those",
    "in",
    "on",
    "at",
    "for",
    "from",
    "to",
    "of",
    "with",
    "by",
    "as",
    "my",
    "our",
    "your",
    "his",
    "her",
    "their",
    "we",
    "you",
    "he",
    "she",
    "they",
    "it",
    "i",
    "what",
    "when",
    "where",
    "who",
    "why",
    "how",
    "one",
    "two",
    "first",
    "second",
    "third",
    "step",
    "part",
    "chapter",
    "section",
    "update",
    "source",
    "see",
    "re",
    "subject",
    "date",
    "title",
    "topic",
    "topics",
    "speakers",
    "related",
    "more",
    "top",
    "watch",
    "read",
    "listen",
    "photo",
    "video",
    "audio",
    "transcript",
    "summary",
    "bottom",
    "key",
    "main",
    "next",
    "last",
    "final",
    "quote",
    "ps",
    "just",
    "now",
    "also",
    "again",
    "after",
    "before",
    "stated",
    "pending",
    "present",
    "presiding",
}
NAME_PARTICLES = {
    "de",
    "del",
    "della",
    "der",
    "den",
    "van",
    "von",
    "da",
    "di",
    "du",
    "la",
    "le",
    "bin",
    "ibn",
    "al",
    "el",
    "ten",
    "ter",
    "y",
}
# Words that make "Capitalised lower lower" a sentence fragment, not a role label.
ROLE_STOPWORDS = NOT_NAME_START | {
    "is",
    "are",
    "was",
    "were",
    "be",
    "will",
    "would",
    "can",
    "do",
    "does",
    "did",
    "not",
    "all",
    "about",
    "said",
    "says",
}
QUESTION_LABELS = {"Q"}
# Labels that mark a moment, not a person ("**Break:** [23:42]" in a podcast).
PSEUDO_LABELS = {"break", "ad break", "commercial break", "intermission", "recess", "music", "sponsor"}
OPERATOR_LABELS = {"OPERATOR"}


def is_pseudo_label(label: str) -> bool:
    """A label that marks a moment, not a speaker: "Break", "Music", "录音" (a recording played)."""
    return label.casefold() in PSEUDO_LABELS or is_cjk_pseudo_label(label)


_SP = r"[^\S\n]"  # any white space but a newline: spaces, tabs, no-break spaces


def _ts(name: str) -> str:
    return rf"[\[(]{_SP}*(?P<{name}>\d{{1,2}}:\d{{2}}(?::\d{{2}})?(?:[.,]\d{{1,3}})?){_SP}*[\])]"


_TOKEN = r"[^\W\d_][\w'’.\-]*"
COLON_LABEL_RE = re.compile(
    rf"""^(?P<indent>{_SP}*)(?:{_ts("ts1")}{_SP}*)?            # timestamp before the label
    (?P<open>\*\*)?{_SP}*
    (?P<name>{_TOKEN}(?:{_SP}+[\w'’.\-]+){{0,5}}(?:\(\))?)   # "qx()": a chat handle
    (?:,{_SP}*(?P<role>[A-Z][A-Z\-]+(?:{_SP}[A-Z][A-Z\-]+){{0,3}}))?  # NPR: "STEVE INSKEEP, HOST"
    {_SP}*(?:\((?!{_SP}*\d{{1,2}}:\d)(?P<aff>[^()\n]{{1,100}})\){_SP}*)?   # "(Acme Institute)", not a time
    (?:{_ts("ts2")}{_SP}*)?                             # timestamp before the colon
    (?P<close1>\*\*)?{_SP}*(?P<colon>[:：]){_SP}*(?P<close2>\*\*)?
    (?:(?=\s|$)|(?<=：)|(?=[^\W\d_]))               # "Name:Text" written with no space
    {_SP}*(?:{_ts("ts3")}{_SP}*)?                     # timestamp after the colon
    (?P<rest>.*)$""",
    re.VERBOSE,
)
_CAPS_WORD = r"(?:Mc|Mac|De|Di|La|Le|O['’])?[A-Z][A-Z'’\-]+"
_CASED_WORD = r"(?:Mc|Mac|O['’])?[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
PERIOD_LABEL_RE = re.compile(
    rf"""^(?P<indent>{_SP}*)(?P<name>
        (?:Mr|Mrs|Ms|Miss|Dr)\.?\ (?:{_CAPS_WORD}(?:\ [A-Z]\.)?(?:\ {_CAPS_WORD})?
                                   | {_CASED_WORD}(?:\ {_CASED_WORD})?)   # a committee hearing's "Mr. Koo."
        (?:\ of\ [A-Z][a-z]+(?:\ [A-Z][a-z]+){{0,2}})?
      | The(?:\ [A-Z][A-Za-z]+){{1,3}}(?:\ pro\ tempore)?)
    (?P<paren>(?:\ \([^()\n]{{1,60}}\))*)\.(?:{_SP}+|$)(?P<rest>.*)$""",
    re.VERBOSE,
)
# "Q   text" / "PARTICIPANT  Win stuff.": a label followed by a no-break space or 2+ spaces.
SPACED_LABEL_RE = re.compile(
    rf"^(?P<indent>{_SP}*)(?P<name>[A-Z][A-Z.'’\-]*(?: [A-Z][A-Z.'’\-]*){{0,3}})"
    rf"(?:\u00a0{_SP}*|[ \t]{{2,}})(?P<rest>\S.*)$"
)
TIMESTAMP_LINE_RE = re.compile(rf"^{_SP}*{_ts('ts')}{_SP}*$")
# "**Emma** [0:18] Welcome …": a bold name with no colon, then a timestamp (or nothing).
BOLD_LABEL_RE = re.compile(
    rf"^(?P<indent>{_SP}*)(?:{_ts('ts1')}{_SP}*)?\*\*(?P<name>[^*:：\n]{{1,60}}?)\*\*{_SP}*"
    rf"(?:{_ts('ts2')}{_SP}*)?(?P<rest>.*)$"
)
# "Ann Lee [0:18] Welcome …" (the same with the bold removed, or as some exports write it):
# a name, then a timestamp, then the speech.
TIMED_NAME_RE = re.compile(
    rf"^(?P<indent>{_SP}*)(?P<name>[^\W\d_][^*:：\n\[\]()<>]{{0,59}}?){_SP}*{_ts('ts2')}(?:{_SP}+|$)(?P<rest>.*)$"
)
# "Jane Doe - Thanks for having me.": a name, then a spaced dash (grammar.py takes these
# only in a document whose labels mostly end so).
SPACED_DASH_RE = re.compile(rf"{_SP}[-–—]")  # a quick test before DASH_LABEL_RE
DASH_LABEL_RE = re.compile(
    rf"^(?P<indent>{_SP}*)(?:{_ts('ts1')}{_SP}*)?(?P<name>{_TOKEN}(?:{_SP}+[\w'’.][\w'’.\-]*){{0,4}}?){_SP}+[-–—]{_SP}+(?P<rest>\S.*)$"
)
# "00:00:12 <v Brian Okken>Text": a WebVTT voice tag written into plain text.
VOICE_LABEL_RE = re.compile(
    rf"^(?P<indent>{_SP}*)(?:(?P<ts>\d{{1,2}}:\d{{2}}(?::\d{{2}})?(?:[.,]\d{{1,3}})?){_SP}+)?"
    rf"<v(?:\.[\w.\-]+)?{_SP}+(?P<name>[^<>\n]{{1,60}})>{_SP}*(?P<rest>.*)$"
)
# "Q. Where do you work?" / "A. 26 years." / "Q - Thank you …": examination and audience forms.
EXAMINATION_RE = re.compile(rf"^(?P<indent>{_SP}*)(?P<name>[QA])(?P<mark>\.|{_SP}+[-–—])(?:{_SP}+|$)(?P<rest>.*)$")
# "Minister of State at the Department of Finance (Deputy Sean Fleming): …": an office,
# then the person holding it in parentheses.
OFFICE_LABEL_RE = re.compile(
    rf"^(?P<indent>{_SP}*)(?P<office>[A-Z][\w'’\-]*(?:,?{_SP}+[\w'’\-]+){{1,15}}){_SP}*"
    rf"\((?P<person>[^()\n:]{{3,60}})\){_SP}*:(?:{_SP}+|$)(?P<rest>.*)$"
)
OFFICE_CONNECTORS = {"of", "at", "the", "for", "and", "to", "on", "with", "in", "de", "du", "des", "der", "für"}
# "BY MR. FINKEL:", "ALSO PRESENT:": headings of a court record, not speakers.
HEADING_STARTS = {"by", "also", "appearances", "present", "before"}
# Articles that open an office used as a label: "The Taoiseach:", "An Cathaoirleach:".
ARTICLES = {"the", "an", "le", "la", "les", "el", "il", "der", "die", "das"}
_CAPS_PREFIX_RE = re.compile(r"^(?:Mc|Mac|De|Di|La|Le|Van|Von)(?=[A-Z]{2})")
_INITIAL_RE = re.compile(r"^[A-Z]{1,2}\.?$")
_NAME_PREFIX_RE = re.compile(r"^(?:Mc|Mac|O['’])(?=[A-Z][a-z])")


@dataclass
class LabelMatch:
    label: str  # normalised: stars, timestamp, affiliation and parentheticals removed, spaces collapsed
    shape: str  # see the module doc
    affiliation: str
    timestamp: str  # "HH:MM:SS" or ""
    rest: str  # the speech after the label on the same line
    ending: str = "colon"  # "colon", "period" or "space"
    bold: bool = False  # marked up as a label: bold Markdown around a colon label, or a voice tag
    indent: int = 0
    seconds: float | None = None  # the timestamp in seconds, fractions kept


def normalise_timestamp(raw: str) -> str:
    """ "1:23" (mm:ss) -> "00:01:23"; "1:02:03.5" -> "01:02:03"."""
    hours, minutes, seconds = _hms(raw)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}"


def _hms(raw: str) -> tuple[int, int, int]:
    parts = [int(p) for p in re.split(r"[.,]", raw)[0].split(":")]
    if len(parts) == 2:
        parts.insert(0, 0)
    return parts[0], parts[1], parts[2]


def timestamp_seconds(raw: str) -> float:
    """ "1:23.5" -> 83.5; "01:02:03" -> 3723.0."""
    h, m, s = _hms(raw)
    fraction = re.split(r"[.,]", raw)[1] if re.search(r"[.,]", raw) else ""
    return h * 3600 + m * 60 + s + (float("0." + fraction) if fraction else 0.0)


def _is_caps(word: str) -> bool:
    bare = _CAPS_PREFIX_RE.sub("", word)
    return bare == bare.upper() and bare != bare.lower()


def label_shape(label: str) -> str | None:
    """Classify a label's wording (see module doc); None when it is not label-shaped."""
    tokens = label.split()
    if not 1 <= len(tokens) <= 6:
        return None
    words = tokens[:-1] if len(tokens) > 1 and tokens[-1].isdigit() else tokens
    if len(words) > 5 or not all(any(ch.isalpha() for ch in w) for w in words):
        return None
    if words[0].rstrip(".").lower() in HONORIFICS and len(words) >= 2:
        # "Dr. h. c. Wolfgang Thierse": lower-case degree abbreviations after the title.
        words = [words[0]] + [w for w in words[1:] if not re.fullmatch(r"[a-z]{1,3}\.", w)]
        caps = {_is_caps(w) for w in words[1:] if len(w.strip(".")) > 1}  # "P." and "Ó" are either
        # "Senator Sue Serino OPENING BY" mixes a name with a heading: not one label.
        if all(w[:1].isupper() for w in words[1:]) and not words[-1].endswith(".") and len(caps) == 1:
            return "honorific"
        return None
    if all(_is_caps(w) for w in words):
        if words[0].lower() in HEADING_STARTS:
            return "heading"
        if len(words) == 1 and len(words[0].strip(".")) == 1 and words[0].strip(".") not in ("Q", "A"):
            return None
        if words[0].startswith(".") or words[-1].endswith(".") and words[-1].count(".") > 1:
            return None  # "U.S.:" and friends are abbreviations, not names
        return "caps"
    if not any(ch.isupper() or ch.islower() for w in words for ch in w):
        # A script without letter case (Chinese, Japanese, Arabic …): "主持人许波".
        return "uncased" if sum(len(w) for w in words) <= 12 and len(words) <= 3 else None
    if words[0].lower() in ARTICLES and 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words[1:]):
        return "title"
    if len(words) == 1 and re.fullmatch(r"[a-z][a-z0-9_.\-]*(?:\(\))?|[\w.\-]+\(\)", words[0]):
        return "handle"  # a lower-case chat handle: "kushti", "qx()"
    if words[0].lower() in NOT_NAME_START or words[-1].endswith(".") or not words[0][:1].isupper():
        return None
    if (
        len(words) >= 2
        and all(w.islower() and w.isalpha() and w not in ROLE_STOPWORDS for w in words[1:])
        and len(words) <= 3
        and words[0][1:].islower()
    ):
        return "role"
    bare = _NAME_PREFIX_RE.sub("", words[0])  # "McIlroy", "MacDonald", "O'Brien" are one-word names too
    if len(words) == 1 and bare[:1].isupper() and bare[1:].islower() and bare.isalpha():
        # "Interviewer:", "Speaker 2:", "Obama:": one word is weak evidence ("Senate: You
        # shake …" is a wrapped line), so grammar.py wants it at several paragraph starts.
        return "single"
    if len(words) < 2 or len(words) > 4:
        return None
    for i, w in enumerate(words):
        if 0 < i < len(words) - 1 and (w.lower() in NAME_PARTICLES or _INITIAL_RE.match(w)):
            continue
        if i == 0 and _INITIAL_RE.match(w) and len(w.rstrip(".")) == 1:
            continue  # "J Smith", "J. Smith": a leading initial, with or without its period
        if not (w[:1].isupper() and any(ch.islower() for ch in w)):
            return None
    return "mixed"


def match_label_line(line: str) -> LabelMatch | None:
    """The label-shaped start of `line`, if it has one."""
    if "<v" in line:
        found = _voice_label(line)
        if found:
            return found
    if ":" in line or "：" in line:
        found = _colon_label(line) or _office_label(line)
        if found:
            return found
    if "**" in line or "[" in line or "(" in line:
        found = _bold_label(line)
        if found:
            return found
    if line.lstrip()[:1] in ("Q", "A"):
        m = EXAMINATION_RE.match(line)
        if m:
            # "Q." / "A." examine a witness; "Q -" is an audience question, maybe with no "A -".
            ending = "examination" if m.group("mark") == "." else "audience"
            return LabelMatch(
                m.group("name"), "caps", "", "", m.group("rest").strip(), ending, False, len(m.group("indent"))
            )
    if SPACED_DASH_RE.search(line):
        found = _dash_label(line)
        if found:
            return found
    if "." in line and line[:1] in " \tT":
        found = _period_label(line)
        if found:
            return found
    m = SPACED_LABEL_RE.match(line)  # a deposition's "Q.  …" was read above, as an examination
    if m and label_shape(m.group("name")) == "caps":
        return LabelMatch(
            m.group("name"), "caps", "", "", m.group("rest").strip(), "space", False, len(m.group("indent"))
        )
    return None


def _colon_label(line: str) -> LabelMatch | None:
    m = COLON_LABEL_RE.match(line)
    if not m:
        return None
    if bool(m.group("open")) != bool(m.group("close1") or m.group("close2")):
        return None  # unbalanced "**"
    label = " ".join(m.group("name").split())
    shape = label_shape(label)
    if shape is None or (m.group("role") and shape != "caps"):
        return None
    stamps = [m.group(g) for g in ("ts1", "ts2", "ts3") if m.group(g)]
    if shape == "handle" and not (m.group("open") or stamps):
        return None  # a lower-case word before a colon is a sentence unless marked as a speaker
    if m.group("role"):
        label = f"{label}, {' '.join(m.group('role').split())}"
    affiliation = " ".join((m.group("aff") or "").split())
    if affiliation and shape not in ("caps", "heading"):
        # "Petra Pau (DIE LINKE):", "Acting Chairperson (Senator Fintan Warfield):": a
        # mixed-case label keeps its party or holder, which tells same-named people apart.
        label = f"{label} ({affiliation})"
    return _colon_match(m, label, shape, affiliation, stamps[0] if stamps else "", bool(m.group("open")))


def _colon_match(m: re.Match, label: str, shape: str, affiliation: str, stamp: str, bold: bool) -> LabelMatch:
    """A colon-ended (or equally marked) label from its regex match and raw timestamp."""
    return LabelMatch(
        label,
        shape,
        affiliation,
        normalise_timestamp(stamp) if stamp else "",
        m.group("rest").strip(),
        "colon",
        bold,
        len(m.group("indent")),
        timestamp_seconds(stamp) if stamp else None,
    )


def _office_label(line: str) -> LabelMatch | None:
    """ "Minister for Children, Equality … (Deputy Roderic O’Gorman):" – the office's
    words are capitalised or connectors, and the parentheses hold a name."""
    m = OFFICE_LABEL_RE.match(line)
    if not m:
        return None
    words = m.group("office").replace(",", " ").split()
    if not all(w[:1].isupper() or w in OFFICE_CONNECTORS for w in words):
        return None
    person = " ".join(m.group("person").split())
    if label_shape(person) not in ("honorific", "mixed"):
        return None
    label = f"{' '.join(m.group('office').split())} ({person})"
    return _colon_match(m, label, "office", person, "", False)


def _bold_label(line: str) -> LabelMatch | None:
    """ "**Emma** [0:18] Welcome …": bold marks the name, a timestamp (or the line end) ends
    it; "Emma [0:18] Welcome …": a timestamp right after the name ends it."""
    m = BOLD_LABEL_RE.match(line)
    if not m or not (m.group("ts1") or m.group("ts2") or not m.group("rest")):
        m = TIMED_NAME_RE.match(line)
        if not m:
            return None
    label = " ".join(m.group("name").split())
    shape = label_shape(label)
    if shape in (None, "heading"):
        return None
    # Bold with no colon is weak evidence ("**Key point**"): counted like a plain name.
    stamp = m.group("ts2") or m.groupdict().get("ts1") or ""  # TIMED_NAME_RE has no ts1
    return _colon_match(m, label, shape, "", stamp, False)


def _dash_label(line: str) -> LabelMatch | None:
    m = DASH_LABEL_RE.match(line)
    if not m:
        return None
    label = " ".join(m.group("name").split())
    shape = label_shape(label)
    if shape not in ("mixed", "caps", "honorific", "single", "uncased"):
        return None
    found = _colon_match(m, label, shape, "", m.group("ts1") or "", False)
    found.ending = "dash"
    return found


def _voice_label(line: str) -> LabelMatch | None:
    """ "00:00:12 <v Brian Okken>Text": the voice tag names the speaker, whatever its shape."""
    m = VOICE_LABEL_RE.match(line)
    if not m:
        return None
    return _colon_match(m, " ".join(m.group("name").split()), "voice", "", m.group("ts") or "", True)


def _period_label(line: str) -> LabelMatch | None:
    m = PERIOD_LABEL_RE.match(line)
    if not m:
        return None
    label = m.group("name")
    if label.startswith("The "):
        shape = "title"
    elif label_shape(label.split(" of ")[0]) == "honorific":
        shape = "honorific"
    else:
        return None
    return LabelMatch(label, shape, "", "", m.group("rest").strip(), "period", False, len(m.group("indent")))
