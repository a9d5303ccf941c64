"""Did they say it? A pasted quote compared with what the archive holds.

The quote is folded as search folds words (case, accents, curly quotes and punctuation
do not count) and cut at ellipses, so "we must act … and we will" is two pieces that must
both stand, in order, in one turn. Each candidate turn (found by the search engine) is
aligned word by word with rapidfuzz: first the exact words, then the closest stretch of the
turn (the densest window of the quote's words, then an edit-distance alignment inside it).
A turn whose every piece stands word for word said it verbatim; otherwise its similarity is
the share of words the alignment keeps, and the word-level differences are listed.

Pure Python over texts handed in: the view fetches the candidates, so the work per request
is bounded by MAX_CANDIDATES turns of at most MAX_TURN_CHARS characters each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz.distance import Indel, Levenshtein

from transcripts.normalise import PUNCTUATION, STOP_WORDS, iter_words

MAX_QUOTE_CHARS = 2000
MAX_QUOTE_WORDS = 200
MAX_CANDIDATES = 40
MAX_TURN_CHARS = 300_000  # an outsized turn is compared on its first 300,000 characters
# How similar (0..1) the closest passage must be to count as the quote said with differences.
SIMILAR_ENOUGH = 0.6
# Below this, the closest passages are listed but the answer is "not in the archive".
WORTH_LISTING = 0.3

VERBATIM = "verbatim"
DIFFERENT = "different"
SOMEONE_ELSE = "someone_else"
NOT_FOUND = "not_found"

# An ellipsis, typed or typeset, with any brackets around it: where a quote skips words.
_ELLIPSIS_RE = re.compile(r"\s*[\[(]?\s*(?:\u2026|\.\s*\.\s*\.)\s*[\])]?\s*")


@dataclass
class Word:
    folded: str
    start: int  # offsets of the written word in the turn's text
    end: int


@dataclass
class Change:
    """One step of the word-level difference between the quote and the passage."""

    kind: str  # "same", "changed", "inserted" (in the quote, not said), "dropped" (said, not in the quote)
    quoted: str = ""
    said: str = ""


@dataclass
class PieceMatch:
    start: int  # word indexes into the turn's words, [start, end)
    end: int
    similarity: float
    changes: list[Change] = field(default_factory=list)

    @property
    def exact(self) -> bool:
        return self.similarity == 1.0


@dataclass
class TurnMatch:
    """How one turn holds the quote."""

    turn: object
    pieces: list[PieceMatch]
    similarity: float
    passage: str  # the words of the turn the quote lines up with, as written
    context_before: str = ""
    context_after: str = ""

    @property
    def verbatim(self) -> bool:
        return all(p.exact for p in self.pieces)

    @property
    def spliced(self) -> bool:
        """The quote joins words from more than one place in the turn."""
        return len(self.pieces) > 1

    @property
    def changes(self) -> list[Change]:
        out: list[Change] = []
        for i, piece in enumerate(self.pieces):
            if i:
                out.append(Change("skipped", quoted="…"))
            out.extend(piece.changes)
        return out


def quote_pieces(quote: str) -> list[list[str]]:
    """The quote's folded words, cut at ellipses; pieces with no word are left out."""
    text = quote[:MAX_QUOTE_CHARS].translate(PUNCTUATION)
    pieces = [[w for w, _, _ in iter_words(part)] for part in _ELLIPSIS_RE.split(text)]
    pieces = [p for p in pieces if p]
    budget, kept = MAX_QUOTE_WORDS, []
    for piece in pieces:
        if budget <= 0:
            break
        kept.append(piece[:budget])
        budget -= len(kept[-1])
    return kept


def telling_words(pieces: list[list[str]]) -> list[str]:
    """The quote's words a search can use (no stop words), each once, in order."""
    telling = list(dict.fromkeys(w for piece in pieces for w in piece if w not in STOP_WORDS and len(w) > 1))
    return telling or list(dict.fromkeys(w for piece in pieces for w in piece))


def turn_words(text: str) -> list[Word]:
    return [Word(w, s, e) for w, s, e in iter_words(text[:MAX_TURN_CHARS].translate(PUNCTUATION))]


def _find_exact(haystack: list[str], needle: list[str], start: int) -> int:
    """The first index >= start where `needle` stands word for word in `haystack`, or -1."""
    n = len(needle)
    first = needle[0]
    i = start
    while True:
        try:
            i = haystack.index(first, i)
        except ValueError:
            return -1
        if haystack[i : i + n] == needle:
            return i
        i += 1


def _densest_window(haystack: list[str], needle: list[str], start: int) -> int:
    """The start of the window (as long as the needle) holding most of the needle's words."""
    wanted = set(needle)
    n = len(needle)
    hits = [1 if w in wanted else 0 for w in haystack[start:]]
    if not hits:
        return start
    count = sum(hits[:n])
    best, best_at = count, 0
    for i in range(1, max(1, len(hits) - n + 1)):
        count += hits[i + n - 1] - hits[i - 1] if i + n - 1 < len(hits) else -hits[i - 1]
        if count > best:
            best, best_at = count, i
    return start + best_at


def _changes(needle: list[str], said: list[str]) -> list[Change]:
    out = []
    for op in Levenshtein.opcodes(needle, said):
        quoted = " ".join(needle[op.src_start : op.src_end])
        spoken = " ".join(said[op.dest_start : op.dest_end])
        kind = {"equal": "same", "replace": "changed", "delete": "inserted", "insert": "dropped"}[op.tag]
        out.append(Change(kind, quoted=quoted, said=spoken))
    return out


def _closest(haystack: list[str], needle: list[str], start: int) -> PieceMatch | None:
    if start >= len(haystack):
        return None
    at = _densest_window(haystack, needle, start)
    n = len(needle)
    lo, hi = max(start, at - n // 2), min(len(haystack), at + n + n // 2)
    region = haystack[lo:hi]
    # The longest common subsequence (insertions and deletions only) keeps every word it can;
    # the passage runs from the first word it keeps to the last.
    ops = [op for op in Indel.opcodes(needle, region) if op.tag == "equal"]
    if not ops:
        return None
    a, b = lo + ops[0].dest_start, lo + ops[-1].dest_end
    said = haystack[a:b]
    similarity = Indel.normalized_similarity(needle, said)
    return PieceMatch(a, b, similarity, _changes(needle, said))


def match_turn(turn, text: str, pieces: list[list[str]], words: list[Word] | None = None) -> TurnMatch | None:
    """How `text` (the turn's paragraphs joined; `words`, its turn_words when already
    read) holds the quote's pieces, in order."""
    words = turn_words(text) if words is None else words
    folded = [w.folded for w in words]
    matches: list[PieceMatch] = []
    position = 0
    for piece in pieces:
        at = _find_exact(folded, piece, position)
        if at >= 0:
            match = PieceMatch(at, at + len(piece), 1.0, [Change("same", " ".join(piece), " ".join(piece))])
        else:
            match = _closest(folded, piece, position)
            if match is None:
                return None
        matches.append(match)
        position = match.end
    total = sum(len(p) for p in pieces)
    similarity = sum(m.similarity * len(p) for m, p in zip(matches, pieces)) / total
    first, last = words[matches[0].start], words[matches[-1].end - 1]
    return TurnMatch(
        turn=turn,
        pieces=matches,
        similarity=round(similarity, 3),
        passage=text[first.start : last.end],
        context_before=text[max(0, first.start - 120) : first.start],
        context_after=text[last.end : last.end + 120],
    )


def split_sentences(quote: str) -> str:
    """A quote spliced from two sentences without an ellipsis ("We must act. We will win.")
    read as pieces: each sentence must stand in the turn, in order."""
    return re.sub(r"(?<=[.!?])\s+(?=\S)", " … ", quote)


@dataclass
class Verdict:
    answer: str  # VERBATIM, DIFFERENT, SOMEONE_ELSE or NOT_FOUND
    best: TurnMatch | None
    closest: list[TurnMatch]
    by_someone_else: TurnMatch | None = None


def rank(quote: str, candidates: list[tuple[object, str]], speaker_of=None, speaker: str = "") -> Verdict:
    """The verdict on `quote` given candidate (turn, text) pairs. `speaker_of(turn)` names the
    turn's speaker as a slug; when `speaker` is given, a match by anyone else is "said by
    someone else" unless the named speaker said it too."""
    matches = []
    candidates = [(turn, text, turn_words(text)) for turn, text in candidates[:MAX_CANDIDATES]]
    for pieces in _readings(quote):
        for turn, text, words in candidates:  # each turn's words read once, for every reading
            found = match_turn(turn, text, pieces, words)
            if found and found.similarity >= WORTH_LISTING:
                matches.append(found)
    best_per_turn: dict[int, TurnMatch] = {}
    for m in matches:
        key = id(m.turn)
        kept = best_per_turn.get(key)
        if kept is None or (m.verbatim, m.similarity, -len(m.pieces)) > (
            kept.verbatim,
            kept.similarity,
            -len(kept.pieces),
        ):
            best_per_turn[key] = m
    closest = sorted(best_per_turn.values(), key=lambda m: (m.verbatim, m.similarity), reverse=True)
    if not closest or closest[0].similarity < SIMILAR_ENOUGH:
        return Verdict(NOT_FOUND, None, closest[:5])
    if speaker and speaker_of is not None:
        theirs = [m for m in closest if speaker_of(m.turn) == speaker and m.similarity >= SIMILAR_ENOUGH]
        if not theirs:
            return Verdict(SOMEONE_ELSE, None, closest[:5], by_someone_else=closest[0])
        best = theirs[0]
    else:
        best = closest[0]
    return Verdict(VERBATIM if best.verbatim else DIFFERENT, best, closest[:5])


def _preference(match: TurnMatch) -> tuple:
    """Verbatim first, then the most similar, then the fewest places joined."""
    return (match.verbatim, match.similarity, -len(match.pieces))


def _readings(quote: str) -> list[list[list[str]]]:
    """The quote as written (cut at ellipses), and sentence by sentence when that differs."""
    readings = [quote_pieces(quote)]
    spliced = quote_pieces(split_sentences(quote))
    if spliced != readings[0]:
        readings.append(spliced)
    return [r for r in readings if r]
