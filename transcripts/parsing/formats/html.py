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
from .speakers import variant_speakers

_LOOKS_HTML_RE = re.compile(r"<(?:!doctype html|html|body|pre|p|div|br)\b", re.I)
# How a page marks a speaker at the start of a paragraph element, even one who speaks
# once: a label, its colon and a tab (Word's hanging indent: "<P>McIlroy:&#9;If you …"),
# or a label alone in its own bold or styled element ("<SPAN class=ft1>Clerk: </SPAN>…").
_PARA = r"<(?:p|div|li|dd|dt)\b[^>]*>\s*"
_LABEL = r"(?P<{}>[^\W\d_][^<>:\n]{{0,60}}?)"
_MARKED_LABEL_RE = re.compile(
    rf"{_PARA}(?:<[^>]{{1,80}}>\s*)*{_LABEL.format('tabbed')}:(?:&#0*9;|\t)"
    rf"|{_PARA}<(?P<tag>span|b|strong|font|em)\b[^>]{{0,80}}>\s*{_LABEL.format('own')}\s*(?::\s*</(?P=tag)>|</(?P=tag)>\s*:)",
    re.I,
)
MIN_MARKED_LABELS = 3  # paragraphs opened that way before the page counts as written so
# A <title> that names the program that made the page, not the event.
_TOOL_TITLE_RE = re.compile(r"^(?:created by|converted|generated|untitled|document\d*$|microsoft word)|converter", re.I)
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
    title = "" if _TOOL_TITLE_RE.search(title) else _complete_title(title.strip(" -–—|:"), body)
    found = [" ".join((m.group("tabbed") or m.group("own")).split()) for m in _MARKED_LABEL_RE.finditer(text)]
    marked = {label for label in found if label_shape(label)} if len(found) >= MIN_MARKED_LABELS else set()
    if inner is not None:
        return Layout(inner.text, "html", inner.warnings, inner.labels | marked, title=title)
    speakers = variant_speakers(marked)
    return Layout(_unglue(body, marked), "html", labels=marked, title=title, speakers=speakers)


_CUT_TITLE_RE = re.compile(r"\b(?:and|the|of|for|on|in|to|a|an|with|by|at)$", re.I)
_RULE_RE = re.compile(r"^\s*[=_\-*]{5,}\s*$")


def _complete_title(title: str, body: str) -> str:
    """A <title> cut off mid-phrase ("MONETARY POLICY AND THE") is finished from the page's
    own title lines, which run on to a rule ("STATE OF THE ECONOMY, PART II", then "====")."""
    if not _CUT_TITLE_RE.search(title):
        return title
    lines = body.split("\n")
    wanted = " ".join(title.split()).casefold()
    for i, line in enumerate(lines[:300]):
        if " ".join(line.split()).casefold() != wanted:
            continue
        more = []
        for following in lines[i + 1 : i + 8]:
            if _RULE_RE.match(following):
                break
            if following.strip():
                more.append(" ".join(following.split()))
        if more and len(more) <= 2:
            return " ".join([" ".join(title.split()), *more])
    return title


def _unglue(body: str, labels: set[str]) -> str:
    """ "… 3RD READINGS Mayor Katz: Thank you": a PDF converter ran a heading in capitals
    into the paragraph after it; the marked label starts its own paragraph again."""
    if not labels:
        return body
    names = "|".join(re.escape(label) for label in sorted(labels, key=len, reverse=True))
    return re.sub(rf"(?m)^([^a-z\n]{{3,200}}?[A-Z0-9]) (?=(?:{names}):\s)", "\\1\n\n", body)
