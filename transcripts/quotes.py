"""Finding a quoted passage again, even after the transcript was corrected.

A quote link carries the turn's public id, the exact words and a little context
(prefix, suffix). Corrections may have edited the words, split the turn, moved it or
given it a new public id, so the passage is looked for in this order:

  1. the exact words (whitespace, case, curly quotes and dash styles ignored) in the
     quoted turn, then in the other turns of the event, nearest first;
  2. a near match of the words (word-level alignment, see `_near_match`) in the same order.

Several exact occurrences in one turn are told apart by how well the text around each
one agrees with the link's prefix and suffix. Nothing here touches the database: it
works on the turn list the page has already fetched.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

# A quote link's text is a sentence or a paragraph; longer values are cut so a crafted
# URL cannot make the page align megabytes of text.
MAX_QUOTE_CHARS = 1200
MAX_CONTEXT_CHARS = 80
# How similar (0..1, difflib's 2*matches/total over words) a corrected passage must
# still be to count as the quoted one.
NEAR_MATCH_RATIO = 0.7
# A turn sharing fewer of the quote's distinct words than this is not aligned at all.
MIN_SHARED_WORDS = 0.5

_FOLD = str.maketrans({
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"',
    "\u2014": "-", "\u2013": "-", "\u2012": "-", "\u2212": "-", "\u00a0": " ",
})
_WORD_RE = re.compile(r"\w+")


@dataclass(frozen=True)
class Span:
    """Characters [start, end) of one paragraph of a turn."""

    paragraph: int
    start: int
    end: int


@dataclass
class QuoteLocation:
    turn: object  # the Turn holding the passage (or the quoted turn, when the words are gone)
    how: str  # "exact", "near" or "missing"
    spans: list[Span] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return self.how != "missing"

    def passage(self) -> str:
        """The passage as the transcript now words it."""
        return " ".join(self.turn.paragraphs[s.paragraph][s.start:s.end] for s in self.spans)


def fold(text: str) -> str:
    """The comparable form of a quote or context: folded characters, single spaces."""
    return " ".join(text.translate(_FOLD).casefold().split())


class FoldedText:
    """A turn's paragraphs as one folded string, remembering where each character came from."""

    def __init__(self, paragraphs: list[str]):
        chars: list[str] = []
        origin: list[tuple[int, int]] = []
        for p, paragraph in enumerate(paragraphs):
            for i, ch in enumerate(paragraph):
                if ch.isspace() or ch == "\u00a0":
                    if chars and chars[-1] != " ":
                        chars.append(" ")
                        origin.append((p, i))
                    continue
                for folded in ch.translate(_FOLD).casefold():
                    chars.append(folded)
                    origin.append((p, i))
            if chars and chars[-1] != " ":
                chars.append(" ")  # paragraphs read as one text, as a selection does
                origin.append((p, len(paragraph)))
        self.text = "".join(chars)
        self.origin = origin
        self.lengths = [len(p) for p in paragraphs]

    def spans(self, start: int, end: int) -> list[Span]:
        """Paragraph spans covering folded characters [start, end)."""
        while end > start and self.text[end - 1] == " ":
            end -= 1
        if end <= start:
            return []
        p_first, i_first = self.origin[start]
        p_last, i_last = self.origin[end - 1]
        i_last += 1
        return [
            Span(p, i_first if p == p_first else 0, i_last if p == p_last else self.lengths[p])
            for p in range(p_first, p_last + 1)
        ]


def _context_score(folded: str, start: int, end: int, prefix: str, suffix: str) -> int:
    """How many characters of the link's prefix and suffix agree with the text around [start, end)."""
    before = folded[:start].rstrip()
    after = folded[end:].lstrip()
    score = 0
    for a, b in zip(reversed(before), reversed(prefix)):
        if a != b:
            break
        score += 1
    for a, b in zip(after, suffix):
        if a != b:
            break
        score += 1
    return score


def _exact_match(text: FoldedText, quote: str, prefix: str, suffix: str) -> tuple[int, int] | None:
    best, best_score = None, -1
    start = text.text.find(quote)
    while start != -1:
        score = _context_score(text.text, start, start + len(quote), prefix, suffix)
        if score > best_score:
            best, best_score = (start, start + len(quote)), score
        start = text.text.find(quote, start + 1)
    return best


def _near_match(text: FoldedText, quote_words: list[str]) -> tuple[float, int, int] | None:
    """The densest stretch of the turn aligning with the quote's words: (ratio, start, end).

    difflib aligns the two word lists; the stretch is the run of aligned blocks no longer
    than the quote plus room for inserted words, holding the most matched words.
    """
    tokens = list(_WORD_RE.finditer(text.text))
    words = [m.group() for m in tokens]
    wanted = set(quote_words)
    if not words or len(wanted & set(words)) < MIN_SHARED_WORDS * len(wanted):
        return None
    matcher = difflib.SequenceMatcher(None, quote_words, words, autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    max_span = int(len(quote_words) * 1.5) + 3
    best = None
    first = matched = 0
    for last, block in enumerate(blocks):
        matched += block.size
        while block.b + block.size - blocks[first].b > max_span:
            matched -= blocks[first].size
            first += 1
        if first > last:
            continue
        span_words = block.b + block.size - blocks[first].b
        ratio = 2 * matched / (len(quote_words) + span_words)
        if best is None or ratio > best[0]:
            best = (ratio, tokens[blocks[first].b].start(), tokens[block.b + block.size - 1].end())
    if best is None or best[0] < NEAR_MATCH_RATIO:
        return None
    return best


def locate_quote(turns: list, *, public_id: str, position: int | None, text: str, prefix: str = "", suffix: str = "") -> QuoteLocation | None:
    """Where the quoted words are now among `turns` (one event's, in order).

    `public_id` is the turn the link named; `position` where it stood when it no longer
    exists (from an old revision), so the search can start nearby. Returns None when
    neither the words nor the turn can be placed in this event.
    """
    quote = fold(text[:MAX_QUOTE_CHARS])
    prefix = fold(prefix[-MAX_CONTEXT_CHARS:])
    suffix = fold(suffix[:MAX_CONTEXT_CHARS])
    quoted = next((t for t in turns if t.public_id == public_id), None)
    if quoted is not None:
        position = quoted.position
    ordered = sorted(turns, key=lambda t: (t is not quoted, abs(t.position - (position or 0)), t.position))
    if quote:
        folded = {t.public_id: FoldedText(t.paragraphs) for t in ordered}
        for turn in ordered:
            hit = _exact_match(folded[turn.public_id], quote, prefix, suffix)
            if hit:
                return QuoteLocation(turn, "exact", folded[turn.public_id].spans(*hit))
        quote_words = _WORD_RE.findall(quote)
        best = None
        for turn in ordered if quote_words else []:
            near = _near_match(folded[turn.public_id], quote_words)
            if near and (best is None or near[0] > best[0][0]):
                best = (near, turn)
        if best:
            (_, start, end), turn = best
            return QuoteLocation(turn, "near", folded[turn.public_id].spans(start, end))
    if quoted is None and ordered and position is not None:
        quoted = ordered[0]  # the turn now standing where the quoted one stood
    return QuoteLocation(quoted, "missing") if quoted is not None else None
