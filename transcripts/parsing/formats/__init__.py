"""Readers for the layouts and file types transcripts arrive in, all ending as plain
"Label: text" paragraphs for the parser.

    read_upload(data, filename) -> (text, warnings)   bytes of any accepted file -> text
    read_layout(text) -> Layout                       recognises a layout by its content

Layouts, tried in this order (each module says how it recognises its own):
captions (WebVTT from Zoom or Teams, SubRip), HTML pages, court-reporter text with line
numbers, Rev and Otter exports, Markdown, paragraphs marked by an indent. Plain text
is returned unchanged. A reader that knows which labels are speakers (a caption's
voice, an export's speaker line) lists them in `Layout.labels`, so even a speaker who
says one sentence is a speaker.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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


def read_layout(text: str) -> Layout:
    from . import captions, court, html, indented, markdown, services

    for reader in (captions.read, html.read, court.read, services.read, markdown.read, indented.read):
        layout = reader(text)
        if layout is not None:
            return layout
    return Layout(text)


# Last: upload.py imports Layout and read_layout from this module.
from .upload import read_upload  # noqa: E402

__all__ = ["Layout", "read_layout", "read_upload"]
