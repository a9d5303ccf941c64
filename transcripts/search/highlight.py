"""Highlighting and snippets, made from the database text (the index stores no text).

A word is marked when its index term matches a query term (see text.py), so what is
highlighted is what matched; a phrase is marked as one span. Everything else is escaped.
"""
from __future__ import annotations

from typing import NamedTuple

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from transcripts.search.syntax import ParsedQuery, parse_query
from transcripts.search.text import fold, terms

SNIPPET_CHARS = 300
LEAD_CHARS = 70  # context kept before the first match in a snippet


class Span(NamedTuple):
    start: int
    end: int
    key: str  # which query term matched, so snippets can prefer windows with several


def _wanted(parsed: ParsedQuery) -> tuple[set[str], list[tuple[str, ...]]]:
    words, phrases = set(), []
    for group in parsed.groups:
        for term in group:
            stems = tuple(t.text for t in terms(term.text))
            if len(stems) == 1:
                words.add(stems[0])
            elif stems:
                phrases.append(stems)
    return words, phrases


def _could_match(text: str, words: set[str], phrases: list[tuple[str, ...]]) -> bool:
    """A cheap test that skips analysing text that cannot match: a Porter stem, less its
    last two letters, is always a prefix of the word it came from."""
    prefixes = [s[: max(1, len(s) - 2)] for s in list(words) + [p[0] for p in phrases]]
    lowered = text.lower()  # usually enough, and far cheaper than folding accents
    if any(prefix in lowered for prefix in prefixes):
        return True
    folded = lowered if text.isascii() else fold(text)
    return folded is not lowered and any(prefix in folded for prefix in prefixes)


def match_spans(text: str, parsed: ParsedQuery) -> list[Span]:
    words, phrases = _wanted(parsed)
    if not text or not (words or phrases) or not _could_match(text, words, phrases):
        return []
    tokens = list(terms(text))
    spans = [Span(t.start, t.end, t.text) for t in tokens if t.text in words]
    stems = [t.text for t in tokens]
    for phrase in phrases:
        size = len(phrase)
        for i in range(len(stems) - size + 1):
            if tuple(stems[i : i + size]) == phrase:
                spans.append(Span(tokens[i].start, tokens[i + size - 1].end, " ".join(phrase)))
    spans.sort()
    merged: list[Span] = []
    for span in spans:
        if merged and span.start <= merged[-1].end:
            last = merged[-1]
            merged[-1] = Span(last.start, max(last.end, span.end), last.key)
        else:
            merged.append(span)
    return merged


def _render(text: str, spans: list[Span], start: int, end: int) -> str:
    out, pos = [], start
    for span in spans:
        if span.end <= start or span.start >= end:
            continue
        s, e = max(span.start, start), min(span.end, end)
        out.append(escape(text[pos:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        pos = e
    out.append(escape(text[pos:end]))
    return "".join(out)


def highlight_all(text: str, query: str | ParsedQuery) -> SafeString:
    parsed = parse_query(query) if isinstance(query, str) else query
    return mark_safe(_render(text, match_spans(text, parsed), 0, len(text)))


def _word_boundary_before(text: str, pos: int) -> int:
    if pos <= 0:
        return 0
    space = text.rfind(" ", 0, pos)
    return space + 1 if space != -1 and pos - space < 30 else pos


def _word_boundary_after(text: str, pos: int) -> int:
    if pos >= len(text):
        return len(text)
    space = text.find(" ", pos)
    return space if space != -1 and space - pos < 30 else pos


def _best_window(text: str, spans: list[Span], size: int) -> int:
    """Where a `size`-character window should start to show the most distinct matched terms."""
    best_start, best_score = 0, -1
    for i, span in enumerate(spans):
        start = max(0, span.start - LEAD_CHARS)
        keys = {s.key for s in spans[i:] if s.end <= start + size}
        if len(keys) > best_score:
            best_start, best_score = start, len(keys)
    return best_start


def snippet(text: str, query: str | ParsedQuery, size: int = SNIPPET_CHARS) -> SafeString:
    """A short extract around the best match, escaped, matches in <mark>; the start of
    the text when nothing matches (a turn found by its speaker's name)."""
    parsed = parse_query(query) if isinstance(query, str) else query
    spans = match_spans(text, parsed)
    start = _word_boundary_before(text, _best_window(text, spans, size)) if spans else 0
    end = _word_boundary_after(text, min(len(text), start + size))
    body = _render(text, spans, start, end).replace("\n", " ")
    return mark_safe(("… " if start > 0 else "") + body.strip() + (" …" if end < len(text) else ""))
