"""What the lines before the first speaker say: title, date, photo credit, bio lines
and the event description.

Web-page transcripts (CFR's, for one) put a title first, then the date and the photo
credit, then one bio line per speaker (often without the name: the name was a link
that did not survive copying), then a one-paragraph description. The bio lines are
returned in order with their name when one is written on the line before; people.py
matches the unnamed ones to speakers by content, never by position.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from .dates import parse_date, parse_numeric_date
from .turns import RawParagraph

# "REUTERS/Go Nakamura", "Kevin Lamarque/Reuters", "AP Photo/Evan Vucci", "Photo: …".
_CREDIT_PREFIX_RE = re.compile(
    r"^(?:photo(?:graph)?(?:\s+credit)?|image(?:\s+credit)?|credit)\s*:\s*(?P<credit>\S.*)$", re.I
)
_CREDIT_SLASH_RE = re.compile(r"^[^\W\d_][^/\s]*(?:\s+[^/\s]+){0,4}\s*/\s*[^\W\d_][^/]*(?:/[^/]+)?$")
_AGENCY_RE = re.compile(r"\b(?:reuters|getty images|ap photo|afp|bloomberg|shutterstock|epa|xinhua)\b", re.I)
_DATE_PREFIX_RE = re.compile(r"^(.{6,40}?\b\d{4})\b")
# Section headings on event pages; they carry no data of their own.
HEADINGS = {
    "speakers",
    "speaker",
    "presider",
    "presiders",
    "moderator",
    "moderators",
    "panelists",
    "panelist",
    "participants",
    "discussants",
    "introductory speaker",
    "transcript",
    "event transcript",
    "full transcript",
    "overview",
    "summary",
    "about the event",
}
_NAME_LINE_RE = re.compile(r"^[A-Z][\w'’.\-]*(?:\s+(?:[A-Z][\w'’.\-]*|de|van|von|der|da|di|bin|al)){1,3}$")


@dataclass
class Bio:
    text: str
    name: str = ""  # when the header wrote the name next to the bio line


@dataclass
class Header:
    title: str = ""
    date: datetime.date | None = None
    date_doubt: str = ""  # why the date may be wrong ("03/04/2022" reads two ways), or ""
    photo_credit: str = ""
    description: str = ""
    bios: list[Bio] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)  # header text none of the above


def clean(text: str) -> str:
    """Collapse runs of white space (incl. the no-break spaces web pages are full of)."""
    return " ".join(text.split())


def _date(line: str) -> tuple[datetime.date | None, str]:
    """The date a header line states, and why it is in doubt (or "")."""
    found = parse_date(line)
    if found is None and len(line.split()) <= 12:
        m = _DATE_PREFIX_RE.match(line)
        found = parse_date(m.group(1)) if m else None
    if found is None:
        return parse_numeric_date(line.removeprefix("Date:").strip())
    return found, ""


def _credit(line: str) -> str:
    m = _CREDIT_PREFIX_RE.match(line)
    if m:
        return m.group("credit").strip()
    if "://" in line or "," in line or line.endswith(".") or len(line.split()) > 8:
        return ""
    if _CREDIT_SLASH_RE.match(line) or _AGENCY_RE.search(line):
        return line
    return ""


def _is_sentence(text: str) -> bool:
    """Prose (a description), as opposed to a bio line of titles and affiliations."""
    words = text.split()
    lower = sum(1 for w in words if w[:1].islower())
    return len(words) >= 8 and text.rstrip("”\"’' ")[-1:] in ".!?" and lower * 3 >= len(words)


def read_header(paragraphs: list[RawParagraph]) -> Header:
    header = Header()
    blocks: list[list[str]] = []
    for para in paragraphs:
        kept = []
        for raw in para.lines:
            line = clean(raw.lstrip("#"))  # a Markdown heading is still just the line
            if not line:
                continue
            if line.lower().rstrip(":") in HEADINGS:
                continue
            when, doubt = _date(line) if header.date is None else (None, "")
            if when is not None:
                header.date, header.date_doubt = when, doubt
                continue
            credit = _credit(line) if not header.photo_credit else ""
            if credit:
                header.photo_credit = credit
                continue
            kept.append(line)
        if kept:
            blocks.append(kept)
    if blocks and not header.title:
        first = " ".join(blocks[0])
        if len(first.split()) <= 30 and not _is_sentence(first):
            header.title = first
            blocks.pop(0)
    pending_name = ""
    for lines in blocks:
        text = " ".join(lines)
        if len(lines) > 1 and _NAME_LINE_RE.match(lines[0]):
            header.bios.append(Bio(" ".join(lines[1:]), lines[0]))  # "Name" then bio, one block
        elif _NAME_LINE_RE.match(text) and not pending_name:
            pending_name = text  # a name alone: the next block is that person's bio
            continue
        elif _is_sentence(text):
            if pending_name:
                header.unused.append(pending_name)  # a lone name before prose: no bio
            if header.description:
                header.unused.append(text)
            else:
                header.description = text
        else:
            header.bios.append(Bio(text, pending_name))
        pending_name = ""
    if pending_name:
        header.unused.append(pending_name)
    return header
