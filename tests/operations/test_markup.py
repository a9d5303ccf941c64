"""Markdown rendering: ordinary Markdown still renders; hostile input renders in linear time."""

import time

import pytest

from transcripts.markup import MAX_MARKDOWN_CHARS, render_markdown

ORDINARY = """See the [CFR page](https://www.cfr.org/event/x "Event") and **bold**, *em*, `code <b>`.

- one
- two

> a quote

A [reference link][cfr] and a [short one].

[cfr]: https://www.cfr.org/
[short one]: https://example.org/short
"""


def test_ordinary_markdown_renders_links_lists_quotes_and_code():
    html = render_markdown(ORDINARY)
    assert '<a href="https://www.cfr.org/event/x" title="Event" rel="nofollow noopener">CFR page</a>' in html
    assert '<a href="https://www.cfr.org/" rel="nofollow noopener">reference link</a>' in html
    assert '<a href="https://example.org/short" rel="nofollow noopener">short one</a>' in html
    assert "<strong>bold</strong>" in html and "<em>em</em>" in html
    assert "<code>code &lt;b&gt;</code>" in html
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html
    assert "<blockquote>\n<p>a quote</p>\n</blockquote>" in html


def test_a_description_with_many_real_links_still_renders_them():
    links = [
        f"Panel {n}: [video](https://example.org/{n}) and [notes](https://example.org/{n}/notes)." for n in range(100)
    ]
    assert render_markdown("\n\n".join(links)).count('rel="nofollow noopener"') == 200
    # All in one paragraph (a reading list) too.
    assert render_markdown(" ".join(links)).count('rel="nofollow noopener"') == 200


def test_raw_html_and_javascript_links_are_not_interpreted():
    html = render_markdown("<script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3))")
    assert "<script" not in html and "<img" not in html and "javascript:" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


HOSTILE = {
    "open brackets": "[" * 50_000,
    "image openers": "![" * 50_000,
    "unclosed link targets": "[a](" * 50_000,
    "nested brackets": "[" * 25_000 + "]" * 25_000,
    "asterisks": "*" * 50_000,
    "underscores": "_" * 50_000,
    "mixed emphasis": "*a_" * 20_000,
    "backticks": "`" * 50_000,
    "code spans": "`a``" * 12_000,
    "angle brackets": "<" * 50_000,
    "open tags": "<a " * 50_000,
    "open tags in paragraphs": "<a \n\n" * 10_000,
    "autolink openers": "<http://a " * 5_000,
    "entities": "&amp;" * 10_000,
    "blockquote nesting": ">" * 50_000 + " x",
    "list nesting": "".join(" " * n + "- x\n" for n in range(0, 4000, 2)),
    "brackets within the limits": "[" * 19 + "a " * 9_990,
    "emphasis within the limits": "_a_ " * 5_000,
    "parentheses and brackets per line": "| [ | ( |\n" * 2_000,
}


@pytest.mark.parametrize("source", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_markdown_renders_in_under_a_second(source):
    # CPU time, not wall time: six other test runs share this machine's two cores, and
    # what is measured is the renderer's own work (quadratic input took minutes of it).
    started = time.process_time()
    html = render_markdown(source)
    elapsed = time.process_time() - started
    assert elapsed < 1.0, f"took {elapsed:.2f} s"
    assert html.startswith("<")
    assert "<script" not in html


def test_text_too_long_for_a_description_is_shown_as_escaped_plain_paragraphs():
    source = "**not bold** <b>x</b>\n\n" + "word " * (MAX_MARKDOWN_CHARS // 5)
    html = render_markdown(source)
    assert html.startswith("<p>**not bold** &lt;b&gt;x&lt;/b&gt;</p><p>word word")
    assert "<strong>" not in html


def test_unclosed_brackets_are_shown_as_text():
    assert render_markdown("[" * 50_000) == "<p>" + "[" * 50_000 + "</p>"
