"""Readers for the layouts and file types transcripts arrive in, ending as plain
"Label: text" paragraphs for the parser, or, for a structured file, as ready turns.

    read_upload(data, filename) -> (text, warnings)   bytes of any accepted file -> text
    read_layout(text) -> Layout                       recognises a layout by its content

Layouts, tried in this order (each module says how it recognises its own):
parliamentary XML and JSON records, whose markup names the speaker (hansard.py,
records.py: their turns come ready-made, see speakers.py), captions (WebVTT from Zoom
or Teams, SubRip), HTML pages, court-reporter text with line numbers, Rev and Otter
exports, Markdown, paragraphs marked by an indent. Plain text is returned unchanged.
A reader that knows which labels are speakers (a caption's voice, an export's speaker
line) lists them in `Layout.labels`, so even a speaker who says one sentence is one.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from .speakers import Speaker, Structured


@dataclass
class Layout:
    text: str
    name: str = "plain"
    warnings: list[str] = field(default_factory=list)
    labels: set[str] = field(default_factory=set)
    # The text before the first turn is a title page (court reporters list everyone
    # there in their own table), not the bio lines a web page carries.
    title_page: bool = False
    # The layout found every label itself (court reporters' turn indent): nothing else
    # that looks like a label is one.
    exclusive: bool = False
    title: str = ""  # a title the format states (an HTML page's <title>)
    # A structured file (XML, JSON) whose markup names each turn's speaker: its turns,
    # read without the label grammar (speakers.py).
    structured: Structured | None = None
    # Who each label names, when the format says (a member's id, a full name in the
    # markup) or its labels show one person under several spellings ("Kirk", "Kirk
    # Shillingford"): each Speaker.key becomes one participant.
    speakers: dict[str, Speaker] = field(default_factory=dict)
    date: datetime.date | None = None  # a date the format states (a record's date field)
    language: str = ""  # the language the markup declares (<html lang="fr">, xml:lang), as written


# The language a page's <html lang> or an XML document's root element (xml:lang) declares;
# a lang on some inner element is a quotation's, not the transcript's.
_DECLARED_LANGUAGE_RE = {
    "html": re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z][\w-]{0,30})", re.I),
    "xml": re.compile(
        r"^\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*<[\w:.-]+\b[^>]*?\bxml:lang\s*=\s*[\"']?([A-Za-z][\w-]{0,30})",
        re.S,
    ),
}
DECLARED_LANGUAGE_CHARS = 3000  # where the root element is, after a prolog and a doctype


def read_layout(text: str) -> Layout:
    from . import captions, court, hansard, html, indented, markdown, records, services

    structured = (hansard.read, records.read)
    for reader in (*structured, captions.read, html.read, court.read, services.read, markdown.read, indented.read):
        layout = reader(text)
        if layout is not None:
            if layout.name in ("html", "xml") and not layout.language:
                declared = _DECLARED_LANGUAGE_RE[layout.name].search(text[:DECLARED_LANGUAGE_CHARS])
                layout.language = declared.group(1) if declared else ""
            return layout
    return Layout(text)


# Last: upload.py imports Layout and read_layout from this module.
from .upload import read_upload  # noqa: E402

__all__ = ["Layout", "read_layout", "read_upload"]
