"""Stage directions: "(Laughs.)", "(audio break)", "[inaudible]".

Transcribers put non-speech events in brackets inside the speech. They stay in the
paragraph text exactly where they were (so quoting and re-rendering never lose them);
`split_stage_directions` only *marks* them so renderers can style them.

The rule (not every parenthetical is a stage direction: "(IREX)", "(2015–2017)" are not):
a bracketed span "( … )" or "[ … ]" on one line is a stage direction when either
  1. its text starts with a word from STAGE_VOCABULARY ("laughs", "audio break",
     "gives queuing instructions", …; any case, trailing "." optional), or
  2. it reads like a capitalised verb phrase ending with a full stop, as transcribers
     write them: "(Shows slide.)", "(Speaking in Spanish.)" — first word capitalised
     and ending in -s or -ing, any second word lower-case, at most 8 words, no digits.
     Rule 2 never applies to square brackets or to a single capitalised word, so
     "(Thomas.)", "(Acme Institute.)" or "[Ed.]" stay speech.
"""

from __future__ import annotations

import re

from .model import Segment

STAGE_VOCABULARY = (
    "laughs",
    "laughter",
    "laughing",
    "laugh",
    "chuckles",
    "chuckling",
    "giggles",
    "applause",
    "applauds",
    "cheers",
    "cheering",
    "booing",
    "boos",
    "inaudible",
    "unintelligible",
    "indiscernible",
    "crosstalk",
    "cross talk",
    "cross-talk",
    "audio break",
    "break in audio",
    "audio gap",
    "audio cuts out",
    "audio drops",
    "technical difficulties",
    "technical difficulty",
    "technical issues",
    "connection lost",
    "gives queuing instructions",
    "queuing instructions",
    "operator instructions",
    "pause",
    "pauses",
    "long pause",
    "silence",
    "coughs",
    "coughing",
    "sighs",
    "sneezes",
    "video clip",
    "video plays",
    "video",
    "audio clip",
    "music",
    "off mic",
    "off-mic",
    "off microphone",
    "mic off",
    "microphone off",
    "no audio",
    "background noise",
    "phone rings",
    "interruption",
    "interrupts",
    "interrupting",
    "speaks in",
    "speaking in",
    "through interpreter",
    "through an interpreter",
    "as translated",
    "via interpreter",
    "translated",
    "recording",
    "end of recording",
    "end of transcript",
    "break",
    "recess",
    "gavel",
    "nods",
    "shakes head",
    "gestures",
    "groans",
    "murmurs",
    "end",
)
_VOCAB = sorted(STAGE_VOCABULARY, key=len, reverse=True)
_VOCAB_RE = re.compile(r"(?:" + "|".join(re.escape(v) for v in _VOCAB) + r")(?![a-z])")

# One bracketed span on one line, no nesting, bounded length (keeps the scan linear).
# Court reporters also write notes in braces: "{Chuckling.}", "{inaudible}".
_SPAN_RE = re.compile(r"\(([^()\n]{1,120})\)|\[([^\[\]\n]{1,120})\]|\{([^{}\n]{1,120})\}")
# A whole paragraph of parliamentary narration, as the Congressional Record prints it
# between speeches: "Mr. REED addressed the Chair.", "The yeas and nays were ordered."
# (Only past-tense reports: "The Clerk will report." is the chair speaking.)
_MEMBER = (
    r"(?:Mr|Mrs|Ms|Miss)\. (?:Mc|Mac|De)?[A-Z][A-Za-z'\-]+(?: [A-Z]\.)?(?: [A-Z][A-Za-z'\-]+)?"
    r"(?: of [A-Z][a-z]+(?: [A-Z][a-z]+)*)?"
)
NARRATION_RE = re.compile(
    rf"^(?:{_MEMBER}(?:,? (?:and )?{_MEMBER})* (?:addressed the Chair|changed (?:his|her|their) votes? from .{{1,40}}"
    r"|was recognized.{0,60}|asked and was given permission .{1,200}|assumed the chair)"
    r"|The (?:yeas and nays were ordered|result of the vote was announced.{0,60}"
    r"|(?:legislative |journal |assistant legislative |reading )?[Cc]lerk "
    r"(?:read|called|designated|proceeded)\b.{0,120}"
    r"|(?:motion|amendment|bill|resolution|joint resolution|concurrent resolution)(?: \([^()]{1,40}\))?"
    r"(?: to [a-z ]{1,60})? "
    r"(?:was|were) (?:agreed to|rejected|ordered|passed|withdrawn|laid on the table|considered|read)\b.{0,80})"
    r"|A recorded vote was ordered|So the (?:amendment|motion|bill) was .{1,60}|The vote was taken by .{1,80})[.:]?$"
)
_WORD_RE = re.compile(r"[^\W\d_][\w'’\-]*")


def is_stage_direction(inner: str, square: bool = False) -> bool:
    """True when the text inside one pair of brackets is a stage direction (see module doc)."""
    body = inner.strip()
    if not body or any(ch.isdigit() for ch in body):
        return False
    if _VOCAB_RE.match(body.lower().rstrip(".!")):
        return True
    if square or not body.endswith("."):
        return False
    words = body[:-1].split()
    if not 2 <= len(words) <= 8 or not all(_WORD_RE.fullmatch(w.strip(",;")) for w in words):
        return False
    first, second = words[0], words[1]
    verbish = first.lower().endswith("ing") or (first.lower().endswith("s") and not first.lower().endswith("ss"))
    return first[:1].isupper() and first[1:].islower() and verbish and second[:1].islower()


def split_stage_directions(text: str) -> list[Segment]:
    """Split a paragraph into speech and stage segments; "".join of the texts == text."""
    if len(text) <= 300 and NARRATION_RE.match(text):
        return [Segment("stage", text)]
    segments: list[Segment] = []
    pos = 0
    for match in _SPAN_RE.finditer(text):
        square = match.group(1) is None  # square brackets or braces: vocabulary only
        inner = match.group(1) if not square else (match.group(2) or match.group(3))
        if not is_stage_direction(inner, square):
            continue
        if match.start() > pos:
            segments.append(Segment("speech", text[pos : match.start()]))
        segments.append(Segment("stage", match.group(0)))
        pos = match.end()
    if pos < len(text) or not segments:
        segments.append(Segment("speech", text[pos:]))
    return segments


def is_stage_only(segments: list[Segment]) -> bool:
    """A paragraph with stage directions and nothing spoken besides punctuation."""
    has_stage = any(s.kind == "stage" for s in segments)
    spoken = "".join(s.text for s in segments if s.kind == "speech")
    return has_stage and not any(ch.isalnum() for ch in spoken)
