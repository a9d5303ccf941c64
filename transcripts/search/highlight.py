"""Highlighting and snippets, made from the database text (the index stores no text).

A word is marked when its index term matches a query term (see text.py), so what is
highlighted is what matched; a phrase is marked as one span. Everything else is escaped.
"""

from __future__ import annotations

from collections import Counter, deque
from typing import NamedTuple

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from transcripts.search.syntax import ParsedQuery, parse_query
from transcripts.search.text import fold, search_language, terms

SNIPPET_CHARS = 300
LEAD_CHARS = 70  # context kept before the first match in a snippet
# Matches a snippet looks among for its best window: plenty for a 300-character extract,
# and a bound on the work for a turn that says one word twenty thousand times.
SNIPPET_MATCHES = 200


class Span(NamedTuple):
    start: int
    end: int
    key: str  # which query term matched, so snippets can prefer windows with several


class QueryMarks:
    """What one query marks in any text: its words' and phrases' index terms, stemmed once
    for a whole page of texts (not once per text), with `language`'s stemmer, by default
    that of the search around it (text.searching_in), as the index was asked."""

    def __init__(self, parsed: ParsedQuery, language: str | None = None):
        self.language = search_language() if language is None else language
        self.words: set[str] = set()
        self.phrases: list[tuple[str, ...]] = []
        for group in parsed.groups:
            for term in group:
                stems = tuple(t.text for t in terms(term.text, language=self.language))
                if len(stems) == 1:
                    self.words.add(stems[0])
                elif stems:
                    self.phrases.append(stems)
        # A cheap test that skips analysing text that cannot match: a Porter stem, less
        # its last two letters, is always a prefix of the word it came from.
        self.prefixes = [s[: max(1, len(s) - 2)] for s in list(self.words) + [p[0] for p in self.phrases]]
        self.by_last_word: dict[str, list[tuple[str, ...]]] = {}
        for phrase in self.phrases:
            self.by_last_word.setdefault(phrase[-1], []).append(phrase)
        self.longest = max((len(p) for p in self.phrases), default=1)

    def _could_match(self, text: str) -> bool:
        lowered = text.lower()  # usually enough, and far cheaper than folding accents
        if any(prefix in lowered for prefix in self.prefixes):
            return True
        folded = lowered if text.isascii() else fold(text)
        return folded is not lowered and any(prefix in folded for prefix in self.prefixes)

    def spans(self, text: str, limit: int | None = None) -> list[Span]:
        """Where the query's words and phrases are in `text`, overlapping matches merged.
        With `limit`, reading stops at that many matches (a snippet needs a few, and a
        turn can hold tens of thousands)."""
        words, by_last_word = self.words, self.by_last_word
        if not text or not (words or by_last_word) or not self._could_match(text):
            return []
        recent: deque = deque(maxlen=self.longest)  # for phrases ending here
        spans: list[Span] = []
        for token in terms(text, language=self.language):
            recent.append(token)
            if token.text in words:
                spans.append(Span(token.start, token.end, token.text))
            for phrase in by_last_word.get(token.text, ()):
                size = len(phrase)
                if len(recent) >= size and all(recent[-size + i].text == phrase[i] for i in range(size - 1)):
                    spans.append(Span(recent[-size].start, token.end, " ".join(phrase)))
            if limit is not None and len(spans) >= limit:
                break
        spans.sort()
        merged: list[Span] = []
        for span in spans:
            if merged and span.start <= merged[-1].end:
                last = merged[-1]
                merged[-1] = Span(last.start, max(last.end, span.end), last.key)
            else:
                merged.append(span)
        return merged

    def highlight(self, text: str) -> SafeString:
        """The whole text, escaped, with what the query matches in <mark>."""
        return mark_safe(_render(text, self.spans(text), 0, len(text)))

    def snippet(self, text: str, size: int = SNIPPET_CHARS) -> SafeString:
        """A short extract around the best match, escaped, matches in <mark>; the start
        of the text when nothing matches (a turn found by its speaker's name)."""
        spans = self.spans(text, limit=SNIPPET_MATCHES)
        start = _word_boundary_before(text, _best_window(text, spans, size)) if spans else 0
        end = _word_boundary_after(text, min(len(text), start + size))
        body = _render(text, spans, start, end).replace("\n", " ")
        return mark_safe(("… " if start > 0 else "") + body.strip() + (" …" if end < len(text) else ""))


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
    """Where a `size`-character window should start to show the most distinct matched
    terms: each window starts a little before a match; one pass with a moving end (the
    old scan of every later match for every match was quadratic in matches)."""
    best_start, best_score = 0, -1
    inside: Counter = Counter()  # keys of spans[i:j], the spans that fit the current window
    j = 0
    for i, span in enumerate(spans):
        start = max(0, span.start - LEAD_CHARS)
        while j < len(spans) and spans[j].end <= start + size:
            inside[spans[j].key] += 1
            j += 1
        if len(inside) > best_score:
            best_start, best_score = start, len(inside)
        if j > i:  # spans[i] leaves the window as the next one starts
            inside[span.key] -= 1
            if not inside[span.key]:
                del inside[span.key]
        else:
            j = i + 1
    return best_start


def _marks(query: str | ParsedQuery) -> QueryMarks:
    return QueryMarks(parse_query(query) if isinstance(query, str) else query)


def highlight_all(text: str, query: str | ParsedQuery) -> SafeString:
    """QueryMarks.highlight for one text."""
    return _marks(query).highlight(text)


def snippet(text: str, query: str | ParsedQuery, size: int = SNIPPET_CHARS) -> SafeString:
    """QueryMarks.snippet for one text (a page of them makes one QueryMarks for all)."""
    return _marks(query).snippet(text, size)
