"""Markdown to safe HTML, rendered once at save time (descriptions, bios).

Python-Markdown is quadratic on some shapes: each unclosed `[` or `(` scans to the end
of its paragraph, and raw-HTML detection rescans the document for every `<`. So before
rendering, the input is bounded: raw HTML is not interpreted (it is shown as text, which
nh3 would have stripped to nearly nothing anyway), and text that is too long, too deeply
nested or too full of brackets for a real description is shown as plain paragraphs.
Everything here is then linear in the input.
"""

import html
import re

import markdown
import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "em",
    "strong",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "abbr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
# Deeply nested Markdown (">>>>>>…") can make the renderer recurse far; past this
# depth the text is not a real description, so it is shown as plain text instead.
MAX_NESTING = 50
# A description or bio is a few paragraphs; far longer text is shown as plain text.
MAX_MARKDOWN_CHARS = 20_000
# Python-Markdown scans from each `[` (and each `(` of a link target) to its closing
# bracket, or to the end of the paragraph when there is none: the total length of those
# scans bounds the work. A paragraph of a hundred ordinary links costs a few thousand.
MAX_BRACKET_WORK = 400_000
BRACKETS = {"[": re.compile(r"[\[\]]"), "(": re.compile(r"[()]")}
# Raw HTML and <autolinks>: the processors whose cost grows with every `<`.
RAW_HTML_PROCESSORS = (
    ("preprocessors", "html_block"),
    ("inlinePatterns", "html"),
    ("inlinePatterns", "autolink"),
    ("inlinePatterns", "automail"),
)
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def render_markdown(source: str) -> str:
    if not source:
        return ""
    if not _renders_in_linear_time(source):
        return _plain_paragraphs(source)
    return nh3.clean(
        _markdown().convert(source),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener",
    )


def _markdown() -> markdown.Markdown:
    md = markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")
    for registry, name in RAW_HTML_PROCESSORS:
        if name in getattr(md, registry):
            getattr(md, registry).deregister(name)
    # md_in_html (part of "extra") only acts on raw HTML blocks, which are no longer found.
    if "markdown_block" in md.parser.blockprocessors:
        md.parser.blockprocessors.deregister("markdown_block")
    return md


def _renders_in_linear_time(source: str) -> bool:
    if len(source) > MAX_MARKDOWN_CHARS or _nesting_depth(source) > MAX_NESTING:
        return False
    work = 0
    for paragraph in PARAGRAPH_BREAK.split(source):
        work += sum(_scan_length(paragraph, opener) for opener in BRACKETS)
        if work > MAX_BRACKET_WORK:
            return False
    return True


def _scan_length(paragraph: str, opener: str) -> int:
    """How far the renderer scans from each `opener` to its match, summed, in one pass."""
    open_at: list[int] = []
    total = 0
    for match in BRACKETS[opener].finditer(paragraph):
        if match.group() == opener:
            open_at.append(match.start())
        elif open_at:
            total += match.start() - open_at.pop()
    return total + sum(len(paragraph) - start for start in open_at)


def _plain_paragraphs(source: str) -> str:
    paragraphs = [p.strip() for p in PARAGRAPH_BREAK.split(source) if p.strip()]
    return "".join("<p>" + html.escape(p) + "</p>" for p in paragraphs)


def _nesting_depth(source: str) -> int:
    deepest = 0
    for line in source.splitlines():
        stripped = line.lstrip(" >-*+\t")
        deepest = max(deepest, len(line) - len(stripped))
    return deepest
