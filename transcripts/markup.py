"""Markdown to safe HTML, rendered once at save time (descriptions, bios)."""
import markdown
import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "em", "strong", "a", "ul", "ol", "li", "blockquote", "code", "pre",
    "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "abbr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
# Deeply nested Markdown (">>>>>>…") can make the renderer recurse far; past this
# depth the text is not a real description, so it is shown as plain text instead.
MAX_NESTING = 50


def render_markdown(source: str) -> str:
    if not source:
        return ""
    if _nesting_depth(source) > MAX_NESTING:
        return nh3.clean("<p>" + nh3.clean_text(source) + "</p>", tags={"p"})
    html = markdown.markdown(source, extensions=["extra", "sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener",
    )


def _nesting_depth(source: str) -> int:
    deepest = 0
    for line in source.splitlines():
        stripped = line.lstrip(" >-*+\t")
        deepest = max(deepest, len(line) - len(stripped))
    return deepest
