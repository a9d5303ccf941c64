"""parse_transcript: text -> Transcript. The steps, each in its own module:

front matter (frontmatter.py) -> turns and header lines (turns.py, labels.py) ->
page furniture cut from the end (turns.py) -> header facts (header.py) -> paragraphs
with stage directions marked (stage.py) -> sections and kinds (here) -> speakers,
roles, bios, questioners (people.py) -> front matter overrides.
"""

from __future__ import annotations

import re

from transcripts.event_fields import BY_NAME, FRONT_MATTER_FIELDS
from transcripts.languages import UnknownLanguage, language_code

from .dates import date_in_file_name, date_in_speech, parse_date
from .examination import credit_witnesses
from .formats import read_layout
from .formats.speakers import merge_people
from .formats.structured import structured_turns
from .frontmatter import FrontMatter, split_front_matter
from .grammar import LabelChoices
from .header import Header, clean, read_header
from .labels import OPERATOR_LABELS, QUESTION_LABELS
from .model import CHAIR, COUNSEL, DISCUSSION, PROCEDURAL, QA, QUESTION, REMARK, Paragraph, ParseError, Transcript, Turn
from .people import ANNOUNCE_RE, build_people
from .review import review_warnings
from .runon import split_run_on_lines
from .stage import is_stage_only, split_stage_directions
from .titles import HIGH, LOW, NO_TITLE, assess_title, title_warning
from .turns import cut_furniture, split_turns

CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
NO_TURNS = (
    "No speaker turns found: the parser looks for lines that start with a speaker label such as "
    "'LAGON:' or 'Jane Doe:'. Check the file is a transcript, or add labels."
)
# The presider opening the floor: this turn and all after it are the Q&A section.
INVITATION_RE = re.compile(
    r"invite (?:our )?members|join (?:our|the|this) conversation with (?:their |your )?questions"
    r"|open (?:it|this|things|the (?:floor|discussion|conversation)) up (?:to|for) (?:your |audience )?questions"
    r"|take (?:some )?questions from|audience questions|questions from (?:the|our) (?:audience|members)"
    r"|question-and-answer|question and answer session",
    re.IGNORECASE,
)
_DEFERRED_RE = re.compile(
    r"\b(?:later|in a (?:bit|few|moment|minute|little|while)|after (?:that|which|this|our|we)|"
    r"at the end|halfway|second half|then (?:we(?:'|’)ll|we will|we(?:'|’)re going to)|before we)\b",
    re.I,
)
_ORGANISER_RE = re.compile(
    r"\bWelcome to (?:today(?:'|’)s|this|the|tonight(?:'|’)s|this (?:morning|afternoon|evening)(?:'|’)s) "
    r"(?P<org>[A-Z][\w&'’.\-]*(?:\s+(?:of|for|on|and|the|&|[A-Z][\w&'’.\-]*)){0,7}?)\s+"
    r"(?:virtual\s+|hybrid\s+|special\s+)?(?:meeting|event|session|discussion|webinar|panel|conference|forum|briefing|symposium|roundtable)\b"
)

# Dropped by the importer when the title comes from elsewhere (a sidecar, --title, the upload form).
NO_TITLE_WARNING = NO_TITLE  # the warning a title given at import (--title, the upload form) makes moot


def parse_transcript(text: str, choices: LabelChoices | None = None, filename: str = "") -> Transcript:
    """Parse a transcript's text. `choices` are a reviewer's label decisions (grammar.py);
    `filename` is the uploaded file's name (a date in it is used when the text has none)."""
    if not isinstance(text, str):
        raise ParseError("parse_transcript expects text; decode uploaded bytes with decode_bytes() first.")
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    # Control characters from PDF copies ("Matters\x08……") are nothing a reader sees and
    # are not stored: drop them here so the preview is what is stored. Tabs, newlines and
    # form feeds (page breaks in court records) stay.
    text = CONTROL_RE.sub("", text)
    if not text.strip():
        raise ParseError("The transcript is empty: there is no text to import.")
    fm, body, offset = split_front_matter(text)
    layout = read_layout(body)
    if layout.text is not body:
        body, offset = layout.text, 0  # line numbers in warnings are the converted text's
    unrolled = split_run_on_lines(body)
    if unrolled != body:
        body, offset = unrolled, 0
    # Front-matter names and labels let a mixed-case label count even if used once.
    known = {v.casefold() for p in (fm.participants if fm else []) for v in (p["name"], p.get("label", "")) if v}
    known |= {label.casefold() for label in layout.labels}  # the format itself marks them as speakers
    only = {label.casefold() for label in layout.labels} if layout.exclusive else None
    if layout.structured is not None:
        header_paras, raw_turns, warnings, grammar = structured_turns(layout.structured, choices)
    else:
        header_paras, raw_turns, warnings, grammar = split_turns(body.split("\n"), offset + 1, known, choices, only)
    if not raw_turns:
        raise ParseError(NO_TURNS)
    result = Transcript(warnings=list(fm.warnings) if fm else [])
    result.warnings += layout.warnings + warnings
    result.label_candidates = grammar.rejected
    furniture = cut_furniture(raw_turns[-1])
    if furniture:
        result.warnings.append(furniture)

    header = read_header(header_paras)
    result.title, result.date, result.photo_credit = header.title, header.date, header.photo_credit
    result.description = header.description
    # A page's <title> when its text has no title of its own, or only bracketed record
    # metadata ("[Congressional Record Volume 151, Number 99 …] [Senate] [Pages …]").
    if layout.title and (not result.title or result.title.startswith("[")):
        result.title = layout.title
        stated = re.search(r"\(([^()]{6,40})\)", layout.title)
        result.date = result.date or (parse_date(stated.group(1)) if stated else None)
    if layout.title_page and (header.bios or header.unused):
        result.warnings.append(
            "The title pages before the first speaker were read for the title and date only; "
            "their list of participants was not used (check names and titles in the preview)."
        )
        header.bios, header.unused = [], []
    result.date = result.date or layout.date
    result.language = _declared_language(layout, result.warnings)
    for extra in header.unused:
        result.warnings.append(f"Text before the first speaker was not used: '{extra[:60]}'.")

    result.turns = [
        Turn(
            i,
            raw.match.label,
            None,
            REMARK,
            DISCUSSION,
            [Paragraph(p.text, split_stage_directions(p.text)) for p in raw.paragraphs],
            raw.match.timestamp,
            raw.match.seconds,
        )
        for i, raw in enumerate(raw_turns, start=1)
    ]
    _sections_and_kinds(result.turns)
    first = result.turns[0].text
    org = _ORGANISER_RE.search(first)
    result.organiser = clean(org.group("org")) if org else ""

    matches = {}
    for raw in raw_turns:
        matches.setdefault(raw.match.label, raw.match)
    header_text = "\n".join(p.text for p in header_paras)
    full_text = header_text + "\n" + "\n".join(t.text for t in result.turns)
    result.participants, people_warnings = build_people(result.turns, matches, header, fm, full_text, header_text)
    if layout.speakers:
        named = merge_people(result.participants, result.turns, layout.speakers)
        # The file named these people: the guesses about their labels no longer apply.
        people_warnings = [w for w in people_warnings if not any(w.startswith(f"Label '{x}'") for x in named)]
    result.warnings += people_warnings
    _examiners_ask(result, raw_turns)
    credit_witnesses(result, [raw.witness for raw in raw_turns], full_text)
    from_text = bool(result.title) and result.title == header.title
    result.title, result.title_confidence, doubt = assess_title(result.title, from_text)
    if fm:
        _apply_front_matter(result, fm, header)
        if fm.fields.get("title"):
            result.title_confidence, doubt = HIGH, ""
    result.title_doubt = doubt
    _trust_date(result, header, bool(fm and fm.fields.get("date")), filename)
    result.warnings += review_warnings(result, grammar)
    if not result.title:
        result.warnings.append(NO_TITLE)
    elif doubt:
        result.warnings.append(title_warning(result.title, doubt))
    if result.date_doubt:
        when = f"{result.date.day} {result.date:%B %Y}"
        result.warnings.append(f"The date {when} may be wrong: {result.date_doubt}. Check it in the preview.")
    return result


def _trust_date(result: Transcript, header: Header, stated: bool, filename: str) -> None:
    """How far to trust the date: a heading, the file's own record or `date:` is trusted
    unless its day and month read two ways; with none of those, a date in the file name or
    in the first turns' speech is offered, marked low."""
    if result.date is not None:
        doubt = header.date_doubt if result.date == header.date and not stated else ""
        result.date_confidence, result.date_doubt = (LOW, doubt) if doubt else (HIGH, "")
        return
    named = date_in_file_name(filename)
    spoken, index = date_in_speech([t.text for t in result.turns[:3]])
    if named:
        result.date, result.date_doubt = named, f"it was taken from the file name “{filename}”"
    elif spoken:
        result.date, result.date_doubt = spoken, f"it is a date a speaker says in turn {index + 1}, not a heading"
    else:
        return
    result.date_confidence = LOW


def _invites(text: str) -> bool:
    """An invitation to ask questions *now*: "… we'll open it up to questions later"
    in the opening remarks announces the Q&A, it does not start it."""
    low = text.lower()
    if "question" not in low and "invite" not in low:  # every invitation names one; skips the regex
        return False
    for m in INVITATION_RE.finditer(text):
        start = max(text.rfind(". ", 0, m.start()), text.rfind("? ", 0, m.start())) + 1
        end = min((i for i in (text.find(". ", m.end()), text.find("? ", m.end())) if i >= 0), default=len(text))
        sentence = text[start:end]
        if not _DEFERRED_RE.search(sentence) or re.search(r"\bnow\b", sentence, re.I):
            return True
    return False


def _sections_and_kinds(turns: list[Turn]) -> None:
    """Sections: "discussion" until the presider invites questions (that turn starts
    "qa"); with no invitation, the Q&A starts at the first Q turn or the first operator
    turn that announces a question / gives queuing instructions.
    Kinds: Q -> question; operator, or only stage directions -> procedural; else remark."""
    invited = next((t.position for t in turns if t.label not in QUESTION_LABELS and _invites(t.text)), None)
    asked = next((t.position for t in turns if t.label in QUESTION_LABELS), None)
    start = min((p for p in (invited, asked) if p is not None), default=None)  # a Q turn is always Q&A
    if invited is None:
        # An operator also speaks at the start of some calls, so only one running the queue counts.
        queue = next(
            (
                t.position
                for t in turns
                if t.label.upper() in OPERATOR_LABELS and (ANNOUNCE_RE.search(t.text) or "queu" in t.text.lower())
            ),
            None,
        )
        start = min((p for p in (queue, asked) if p is not None), default=None)
    for turn in turns:
        turn.section = QA if start is not None and turn.position >= start else DISCUSSION
        if turn.label in QUESTION_LABELS:
            turn.kind = QUESTION
        elif turn.label.upper() in OPERATOR_LABELS or all(is_stage_only(p.segments) for p in turn.paragraphs):
            turn.kind = PROCEDURAL
        else:
            turn.kind = REMARK


def _examiners_ask(result: Transcript, raw_turns) -> None:
    """In a court examination the "Q" lines are the lawyer's a "BY MR. X:" heading named:
    such a turn is that participant's, and needs no announced questioner."""
    by_label = {p.label: p for p in result.participants if p.label}
    answered = set()
    for turn, raw in zip(result.turns, raw_turns):
        lawyer = by_label.get(raw.examiner)
        if lawyer is not None:
            turn.speaker = lawyer.key
            if lawyer.role not in (COUNSEL, CHAIR):
                lawyer.role, lawyer.role_reason = COUNSEL, f"examines the witness (“BY {raw.examiner}:”)"
            answered.add(f"Q turn {turn.position} (")
    if answered:  # people.py warned about each before the heading was known
        result.warnings = [w for w in result.warnings if w[: w.find("(") + 1] not in answered]
        still_asking = {t.speaker for t in result.turns}
        result.participants = [p for p in result.participants if p.label != "Q" or p.key in still_asking]


def _apply_front_matter(result: Transcript, fm: FrontMatter, header: Header) -> None:
    """Front matter wins over what the header lines suggested."""
    f = fm.fields
    for key in FRONT_MATTER_FIELDS:
        if f.get(key) and BY_NAME[key].kind in ("text", "url"):
            setattr(result, key, f[key].strip() if BY_NAME[key].multiline else clean(f[key]))
    if f.get("language"):
        try:
            result.language = language_code(f["language"])
        except UnknownLanguage as error:  # refused: a wrong language would pick the wrong stemmer
            raise ParseError(f"Front matter: {error}") from None
    if fm.topics:
        result.topics = fm.topics
    if f.get("date"):
        when = parse_date(f["date"])
        if when is None:  # say so, and keep the header's date if it had a readable one
            result.warnings.append(f"Could not read the date '{f['date']}'; expected e.g. 2022-02-17.")
        result.date = when or header.date


def _declared_language(layout, warnings: list[str]) -> str:
    """The language the file's markup declares (<html lang>, xml:lang), if it is one;
    never guessed from the words."""
    if not layout.language:
        return ""
    try:
        return language_code(layout.language)
    except UnknownLanguage:
        warnings.append(
            f"The file declares the language {layout.language[:20]!r}, which is not an ISO 639-1 language; "
            "no language was recorded (give one in the preview if the event has one)."
        )
        return ""
