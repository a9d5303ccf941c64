"""Finding a quoted passage again, even after the transcript was corrected.

A quote link carries the turn's public id, the exact words and a little context
(prefix, suffix). Corrections may have edited the words, split the turn, moved it or
given it a new public id, so the passage is looked for in this order:

  1. the exact words (whitespace, case, curly quotes and dash styles ignored) in the
     quoted turn, then in the turns the view fetched around it, nearest first;
  2. a near match of the words (word-level alignment, see `_near_match`) in the same order.

Several exact occurrences in one turn are told apart by how well the text around each
one agrees with the link's prefix and suffix. Short links carry a key instead of the
words (`quote_key`), which `find_key` turns back into them. Nothing here touches the
database: the view hands over the few turns (and past revisions) worth looking in, so the
work per request is bounded however long the event or the turn.
"""

from __future__ import annotations

import difflib
import heapq
import re
import unicodedata
from dataclasses import dataclass, field

# fold: the comparable form of a quote or its context (normalise's, as search and names
# compare); PUNCTUATION: quote styles and dashes straightened one character for one, so a
# translated turn keeps its offsets.
from transcripts.normalise import PUNCTUATION, fold

# A quote link's text is a sentence or a paragraph; longer values are cut so a crafted
# URL cannot make the page align megabytes of text.
MAX_QUOTE_CHARS = 1200
MAX_CONTEXT_CHARS = 80
# How similar (0..1, difflib's 2*matches/total over words) a corrected passage must
# still be to count as the quoted one.
NEAR_MATCH_RATIO = 0.7
# A turn sharing fewer of the quote's distinct words than this is not aligned at all.
MIN_SHARED_WORDS = 0.5

_WORD_RE = re.compile(r"\w+")

# Scripts written without spaces between words (Thai, Lao, Myanmar, Khmer, kana, Han): nothing
# in the text says where their words end, so any point between two of their letters may be a
# quote's edge. Elsewhere a quote starts and ends only where a word does.
_UNSPACED = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f]"
)


def _joins(char: str) -> bool:
    """Whether `char` continues a word written with spaces: a letter, digit or underscore (as
    `\\w` has it), or a combining mark such as a decomposed accent; never an unspaced script's."""
    return (char.isalnum() or char == "_" or unicodedata.category(char)[0] == "M") and not _UNSPACED.match(char)


def inside_word(text: str, at: int) -> bool:
    """Whether offset `at` of `text` falls between two letters of one word."""
    return 0 < at < len(text) and _joins(text[at - 1]) and _joins(text[at])


def cut_quote(text: str) -> str:
    """The quote's first MAX_QUOTE_CHARS characters, ending where a word does: half a word is
    never where the transcript's words start or end, so it would never be found."""
    end = min(len(text), MAX_QUOTE_CHARS)
    while inside_word(text, end):
        end -= 1
    return text[:end]


@dataclass(frozen=True)
class Span:
    """Characters [start, end) of one paragraph of a turn."""

    paragraph: int
    start: int
    end: int


@dataclass
class QuoteLocation:
    turn: object  # the Turn holding the passage (or the quoted turn, when the words are gone)
    # "exact", "near" (corrected since), "missing" (an earlier revision held the words, no longer)
    # or "absent" (no revision of the turn ever held them: a fabricated quote)
    how: str
    spans: list[Span] = field(default_factory=list)
    quoted: str = ""  # the words as the link quoted them, when the transcript now words them otherwise

    @property
    def found(self) -> bool:
        return self.how in ("exact", "near")

    def passage(self) -> str:
        """The passage as the transcript now words it."""
        return " ".join(self.turn.paragraphs[s.paragraph][s.start : s.end] for s in self.spans)


PARAGRAPH_BREAK = "\n\n"


class FoldedText:
    """A turn's paragraphs as one string with quote styles and dashes folded (same length as the
    original, so offsets map straight back). Folding is `str.translate`, matching is `re`: both
    run in C, so a 2 MB paragraph costs milliseconds, not minutes."""

    def __init__(self, paragraphs: list[str]):
        self.paragraphs = paragraphs
        folded = PARAGRAPH_BREAK.join(paragraphs).translate(PUNCTUATION)
        lowered = folded.lower()
        # Lower case when that keeps every offset (nearly always): then patterns need no
        # case-insensitive flag, which would stop `re` from scanning for their first letters fast.
        self.lowered = len(lowered) == len(folded)
        self.text = lowered if self.lowered else folded
        self.starts = []
        offset = 0
        for paragraph in paragraphs:
            self.starts.append(offset)
            offset += len(paragraph) + len(PARAGRAPH_BREAK)

    def finditer(self, pattern: Pattern):
        found = pattern.lower.finditer(self.text) if self.lowered else pattern.any_case.finditer(self.text)
        text = self.text
        return (m for m in found if not (inside_word(text, m.start()) or inside_word(text, m.end())))

    def search(self, pattern: Pattern):
        return next(self.finditer(pattern), None)

    def spans(self, start: int, end: int) -> list[Span]:
        """Paragraph spans covering characters [start, end) of the joined text (a match starts and
        ends on a word or a stop, never on the whitespace between paragraphs)."""
        spans = []
        for p, (p_start, paragraph) in enumerate(zip(self.starts, self.paragraphs)):
            p_end = p_start + len(paragraph)
            if p_start < end and p_end > start:
                spans.append(Span(p, max(start, p_start) - p_start, min(end, p_end) - p_start))
        return spans


@dataclass(frozen=True)
class Pattern:
    """One pattern compiled twice: over lower-cased text (fast), and case-insensitive for the rest.
    A match counts only where it neither starts nor ends inside a word ("fair deal" is not in
    "an unfair deal"): checked on each match rather than with look-arounds, which would stop
    `re` from jumping to the pattern's first letters."""

    lower: re.Pattern
    any_case: re.Pattern

    @classmethod
    def of(cls, source: str) -> Pattern:
        return cls(re.compile(source), re.compile(source, re.IGNORECASE))


def quote_pattern(quote: str) -> Pattern | None:
    """The quote's words in order, any run of whitespace between them, case ignored."""
    words = quote.translate(PUNCTUATION).lower().split()
    return Pattern.of(r"\s+".join(map(re.escape, words))) if words else None


# The short key of a quote link: its first and last few words and how many words lie between
# ("and-i-ll-give~10~very-clear-focus"), or every word of a short quote. Stable across
# anything that keeps those words, and a few dozen characters instead of the whole passage.
KEY_WORDS = 4
MAX_KEY_GAP = 400
_KEY_RE = re.compile(r"\w+(?:-\w+)*(?:~\d{1,3}~\w+(?:-\w+)*)?")


def quote_key(text: str) -> str:
    words = [w.lower() for w in _WORD_RE.findall(text.translate(PUNCTUATION))]
    if len(words) <= 2 * KEY_WORDS:
        return "-".join(words)
    gap = len(words) - 2 * KEY_WORDS
    return f"{'-'.join(words[:KEY_WORDS])}~{gap}~{'-'.join(words[-KEY_WORDS:])}"


def key_pattern(key: str) -> Pattern | None:
    """The passage a short key stands for, as a pattern over a turn's text; None for a malformed key."""
    if len(key) > 400 or not _KEY_RE.fullmatch(key):
        return None
    parts = key.lower().split("~")

    def words(part: str) -> str:
        return r"\W+".join(map(re.escape, part.split("-")))

    if len(parts) == 1:
        body = words(parts[0])
    else:
        gap = int(parts[1])
        if gap > MAX_KEY_GAP:
            return None
        body = words(parts[0]) + (rf"(?:\W+\w+){{{gap}}}" if gap else "") + r"\W+" + words(parts[2])
    # A sentence's closing stop (and quotation mark) belongs to the passage, as a selection takes it.
    return Pattern.of(rf"{body}(?!\w)(?:[.!?…]+[\"')\]]*)?")


def find_key(paragraph_lists: list[list[str]], key: str) -> str:
    """The words a short key stands for, as the first of `paragraph_lists` (turns, as they stand
    or as revisions held them) words them; "" when none holds them."""
    pattern = key_pattern(key)
    for paragraphs in paragraph_lists if pattern else []:
        found = _search_key(FoldedText(paragraphs), pattern, key)
        if found:
            return PARAGRAPH_BREAK.join(paragraphs)[found.start() : found.end()]
    return ""


# A key with a gap ("the~400~end") is tried at no more than this many places its first
# words stand, each a bounded match: searched freely, every "the" of a 2 MB turn started
# a 400-word match, seconds of CPU for one public request.
MAX_KEY_STARTS = 2000


def _search_key(text: FoldedText, pattern: Pattern, key: str):
    parts = key.lower().split("~")
    if len(parts) == 1 or parts[1].strip("0") == "":
        return text.search(pattern)
    if text.lowered and not all(word in text.text for word in [*parts[0].split("-"), *parts[2].split("-")]):
        return None  # a word of the key is nowhere in the turn
    starts = key_pattern(parts[0])
    full = pattern.lower if text.lowered else pattern.any_case
    for n, start in enumerate(text.finditer(starts)):
        if n == MAX_KEY_STARTS:
            return None
        found = full.match(text.text, start.start())
        if found:
            return found
    return None


def holds_words(paragraph_lists: list[list[str]], text: str) -> bool:
    """Whether any of `paragraph_lists` (a turn's past revisions) held exactly these words."""
    pattern = quote_pattern(cut_quote(text))
    return bool(pattern) and any(FoldedText(p).search(pattern) for p in paragraph_lists)


def _context_score(text: str, start: int, end: int, prefix: str, suffix: str) -> int:
    """How many characters of the link's (folded) prefix and suffix agree with the text around [start, end)."""
    before = fold(text[max(0, start - 4 * MAX_CONTEXT_CHARS) : start])
    after = fold(text[end : end + 4 * MAX_CONTEXT_CHARS])
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


# A quote that recurs more often than this in one turn is placed by the first this many.
MAX_OCCURRENCES = 200


def _exact_match(text: FoldedText, pattern: Pattern, prefix: str, suffix: str) -> tuple[int, int] | None:
    best, best_score = None, -1
    for n, found in enumerate(text.finditer(pattern)):
        if n == MAX_OCCURRENCES:
            break
        score = _context_score(text.text, found.start(), found.end(), prefix, suffix)
        if score > best_score:
            best, best_score = (found.start(), found.end()), score
    return best


# A long turn is aligned only in the few stretches that hold the most of the quote's words
# (found with C-speed searches for each word): difflib over a 2 MB paragraph took minutes,
# and even splitting it into Python word objects takes most of a second.
NEAR_WINDOWS = 3
NEAR_DIRECT_CHARS = 20_000
DENSE_WORDS = 8


def _near_match(text: FoldedText, quote_words: list[str]) -> tuple[float, int, int] | None:
    """The densest stretch of the turn aligning with the quote's words: (ratio, start, end)."""
    wanted = set(quote_words)
    if len(text.text) <= NEAR_DIRECT_CHARS:
        regions = [(0, len(text.text))]
    else:
        regions = _dense_regions(text.text, wanted, width=3 * sum(len(w) + 1 for w in quote_words) + 200)
    best = None
    for start, end in regions:
        tokens = list(_WORD_RE.finditer(text.text, start, end))
        near = _align([fold(m.group()) for m in tokens], quote_words, wanted)
        if near and (best is None or near[0] > best[0]):
            best = (near[0], tokens[near[1]].start(), tokens[near[2]].end())
    return best


def _dense_regions(text: str, wanted: set, width: int) -> list[tuple[int, int]]:
    """The few character windows of `text` holding the most distinct words of `wanted`."""
    step = max(1, width // 2)
    buckets: dict[int, set] = {}
    lowered = text  # FoldedText.text: lower case whenever that keeps offsets
    # The rarest of the quote's words place it best, and cost least to look for. Ties are
    # broken by the word and windows by where they stand, never by a set's order (which
    # changes with each process's hash seed): every process marks the same passage.
    present = sorted((w for w in wanted if w in lowered), key=lambda w: (lowered.count(w), w))[:DENSE_WORDS]
    for word in present:
        # A plain literal search (no case folding, no look-behind) is what makes this fast.
        for found in re.finditer(re.escape(word), lowered):
            start, end = found.span()
            if (start and lowered[start - 1].isalnum()) or (end < len(lowered) and lowered[end].isalnum()):
                continue
            buckets.setdefault(start // step, set()).add(word)
    empty: set = set()
    best = heapq.nlargest(NEAR_WINDOWS, sorted(buckets), key=lambda b: len(buckets[b] | buckets.get(b + 1, empty)))
    return [(b * step, min(len(text), b * step + width)) for b in best]


def _align(words: list[str], quote_words: list[str], wanted: set) -> tuple[float, int, int] | None:
    """difflib aligns the two word lists; the stretch is the run of aligned blocks no longer than
    the quote plus room for inserted words, holding the most matched words: (ratio, first, last word)."""
    if not words or len(wanted & set(words)) < MIN_SHARED_WORDS * len(wanted):
        return None
    matcher = difflib.SequenceMatcher(None, quote_words, words, autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    max_span = int(len(quote_words) * 1.5) + 3
    best = None
    first = matched = 0
    for block in blocks:
        matched += block.size
        # Never past `block` itself: one block is at most the quote's length, within max_span.
        while block.b + block.size - blocks[first].b > max_span:
            matched -= blocks[first].size
            first += 1
        span_words = block.b + block.size - blocks[first].b
        ratio = 2 * matched / (len(quote_words) + span_words)
        if best is None or ratio > best[0]:
            best = (ratio, blocks[first].b, block.b + block.size - 1)
    if best is None or best[0] < NEAR_MATCH_RATIO:
        return None
    return best


def locate_quote(
    turns: list,
    *,
    public_id: str,
    position: int | None,
    text: str,
    prefix: str = "",
    suffix: str = "",
    stages: tuple = ("exact", "near"),
) -> QuoteLocation | None:
    """Where the quoted words are now among `turns` (one event's, in order).

    `public_id` is the turn the link named; `position` where it stood when it no longer
    exists (from an old revision), so the search can start nearby. `stages` says which
    searches to run (a caller may want the exact words first and a near match only later).
    Returns None when neither the words nor the turn can be placed.
    """
    text = cut_quote(text)
    quote = fold(text)
    prefix = fold(prefix[-MAX_CONTEXT_CHARS:])
    suffix = fold(suffix[:MAX_CONTEXT_CHARS])
    quoted = next((t for t in turns if t.public_id == public_id), None)
    if quoted is not None:
        position = quoted.position
    ordered = sorted(turns, key=lambda t: (t is not quoted, abs(t.position - (position or 0)), t.position))
    pattern = quote_pattern(text)
    if pattern:
        folded = {t.public_id: FoldedText(t.paragraphs) for t in ordered}
        for turn in ordered if "exact" in stages else []:
            hit = _exact_match(folded[turn.public_id], pattern, prefix, suffix)
            if hit:
                return QuoteLocation(turn, "exact", folded[turn.public_id].spans(*hit))
        quote_words = _WORD_RE.findall(quote)  # folded already
        best = None
        for turn in ordered if quote_words and "near" in stages else []:
            near = _near_match(folded[turn.public_id], quote_words)
            if near and (best is None or near[0] > best[0][0]):
                best = (near, turn)
        if best:
            (_, start, end), turn = best
            return QuoteLocation(turn, "near", folded[turn.public_id].spans(start, end))
    if quoted is None and ordered and position is not None:
        quoted = ordered[0]  # the turn now standing where the quoted one stood
    return QuoteLocation(quoted, "missing") if quoted is not None else None
