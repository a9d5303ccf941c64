"""HTML pages: the text of the page, never the markup. A page whose text is one
<pre> block (the Congressional Record's) keeps that block's lines exactly; otherwise
block elements (<p>, <div>, headings, list items) become paragraph breaks, <br> a line break.
Scripts, styles and the <head> are dropped; the page's <title> is the event's title. Uses only
the standard library's parser."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from ..labels import label_shape
from . import Layout

_LOOKS_HTML_RE = re.compile(r"<(?:!doctype html|html|body|pre|p|div|br)\b", re.I)
# "<P>McIlroy:&#9;If you …": a label, its colon and a tab (Word's hanging indent) at the
# start of a paragraph element is how the page marks a speaker, even one who speaks once.
_TAB_LABEL_RE = re.compile(
    r"<(?:p|div|li)\b[^>]*>\s*(?:<[^>]{1,80}>\s*)*(?P<label>[^\W\d_][^<>:\n]{0,40}?):(?:&#0*9;|\t)", re.I
)
MIN_TAB_LABELS = 3  # paragraphs opened that way before the page counts as written so
BLOCKS = {
    "p",
    "div",
    "li",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "section",
    "article",
    "header",
    "footer",
    "table",
    "ul",
    "ol",
    "hr",
}
SKIP = {"script", "style", "head", "title", "noscript", "template"}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.pre: list[str] = []
        self.skipping = 0
        self.in_pre = 0
        self.title: list[str] = []
        self.in_title = False

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self.in_title = True
        if tag in SKIP:
            self.skipping += 1
        elif tag == "pre":
            self.in_pre += 1
        elif tag in BLOCKS:
            self.parts.append("\n\n")
        elif tag == "br":
            self.parts.append("\n")  # a line break inside a paragraph, joined like a hard wrap

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        if tag in SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag == "pre":
            self.in_pre = max(0, self.in_pre - 1)
        elif tag in BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if self.in_title:
            self.title.append(data)
        if self.skipping:
            return
        if self.in_pre:
            self.pre.append(data)
            self.parts.append(data)
        else:
            self.parts.append(re.sub(r"[ \t\r\n]+", " ", data))


def read(text: str) -> Layout | None:
    head = text[:3000]
    if not _LOOKS_HTML_RE.search(head) or head.count("<") < 3:
        return None
    parser = _Text()
    parser.feed(text)
    parser.close()
    pre = "".join(parser.pre)
    plain = "".join(parser.parts)
    if pre.strip() and len(pre) >= 0.8 * len(plain.strip()):
        body = pre
    else:
        body = re.sub(r"\n[ \t]*\n(?:[ \t]*\n)+", "\n\n", "\n".join(line.strip() for line in plain.split("\n")))
    from . import indented

    inner = indented.read(body)  # a <pre> record marks paragraphs by an indent
    title = " ".join("".join(parser.title).split())
    found = [" ".join(m.group("label").split()) for m in _TAB_LABEL_RE.finditer(text)]
    tabbed = {label for label in found if label_shape(label)} if len(found) >= MIN_TAB_LABELS else set()
    if inner is not None:
        return Layout(inner.text, "html", inner.warnings, inner.labels | tabbed, title=title)
    return Layout(body, "html", labels=tabbed, title=title)
