"""Timing a transcript from captions: align the transcript's words to the captions' words.

Captions (a YouTube auto-caption download, a Zoom or Rev export) say roughly the same
words as the transcript, with times, but lower-cased, unpunctuated, with misheard words
and whole stretches missing. The alignment, in pure Python and linear-ish in length:

1. Both sides become plain tokens (case, accents, punctuation dropped; "don't" -> "dont").
2. Anchors: word trigrams that occur exactly once in each side. Their pairs, kept as the
   longest increasing subsequence in caption order, give a monotone backbone (a trigram
   repeated by chance elsewhere cannot pull the alignment off course).
3. Between two anchors, difflib matches the few words in the gap (bounded, so cheap).
4. A turn (or paragraph) starts at the time of its first word when that word was matched;
   otherwise it is interpolated between the nearest matched words on either side, only
   when both are close and their times are consistent. No near match: no time, rather
   than a wrong one.
"""

from __future__ import annotations

import bisect
import difflib
import itertools
import re
import statistics
from dataclasses import dataclass, field

from transcripts.media.captions import TimedWord
from transcripts.media.timecode import parse_clock
from transcripts.normalise import fold
from transcripts.parsing import split_stage_directions

ANCHOR_N = 3
# A word the captions lost is placed between its matched neighbours only when those are at
# most this far apart in time: then the guess cannot be further than that from the truth.
MAX_BRACKET_SECONDS = 2.0
# Faster than anyone speaks: 43 transcript words between captions words 1 s apart were lost.
MIN_SECONDS_PER_WORD = 0.1
# Otherwise a turn whose first words were misheard starts this many words before its first
# matched word, at a typical speaking pace (the error stays near a second).
MAX_WORDS_BEFORE_MATCH = 2
TYPICAL_SECONDS_PER_WORD = 0.4

_NON_WORD = re.compile(r"[^0-9a-z]+")


def tokens(text: str) -> list[str]:
    """Plain comparable words: 'Don't — St. Louis!' -> ['dont', 'st', 'louis']."""
    return [t for t in _NON_WORD.split(fold(text).replace("'", "")) if t]


@dataclass
class AlignmentResult:
    turn_starts: list[float | None]
    paragraph_starts: list[list[float | None]]
    words_total: int
    words_matched: int


@dataclass
class AlignmentReport:
    turns_total: int
    turns_timed: int
    paragraphs_total: int
    paragraphs_timed: int
    words_matched_percent: float
    # Median of (aligned − transcript's own time) over turns that had one; None when none had.
    median_offset_seconds: float | None = None
    captions_name: str = ""
    aligned_at: str = ""
    seconds_taken: float = 0.0
    untimed_turns: list[int] = field(default_factory=list)  # positions

    @property
    def coverage_percent(self) -> float:
        return round(100 * self.turns_timed / self.turns_total, 1) if self.turns_total else 0.0

    def as_dict(self) -> dict:
        return {
            "turns_total": self.turns_total,
            "turns_timed": self.turns_timed,
            "coverage_percent": self.coverage_percent,
            "paragraphs_total": self.paragraphs_total,
            "paragraphs_timed": self.paragraphs_timed,
            "words_matched_percent": self.words_matched_percent,
            "median_offset_seconds": self.median_offset_seconds,
            "captions_name": self.captions_name,
            "aligned_at": self.aligned_at,
            "seconds_taken": self.seconds_taken,
            "untimed_turns": self.untimed_turns[:200],
        }


def _unique_ngrams(seq: list[str], n: int) -> dict[tuple, int]:
    seen: dict[tuple, int] = {}
    repeated = set()
    for i in range(len(seq) - n + 1):
        gram = tuple(seq[i : i + n])
        if gram in seen:
            repeated.add(gram)
        else:
            seen[gram] = i
    return {g: i for g, i in seen.items() if g not in repeated}


def _longest_increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Pairs sorted by the first item: the longest run strictly increasing in the second."""
    tails: list[int] = []  # tails[k]: smallest second item ending an increasing run of k+1
    tail_index: list[int] = []
    back = [-1] * len(pairs)
    for idx, (_, j) in enumerate(pairs):
        k = bisect.bisect_left(tails, j)
        if k == len(tails):
            tails.append(j)
            tail_index.append(idx)
        else:
            tails[k] = j
            tail_index[k] = idx
        back[idx] = tail_index[k - 1] if k else -1
    out = []
    idx = tail_index[-1] if tail_index else -1
    while idx >= 0:
        out.append(pairs[idx])
        idx = back[idx]
    return out[::-1]


def _anchors(a: list[str], b: list[str]) -> list[tuple[int, int]]:
    """Matched (transcript index, caption index) word pairs from unique trigrams."""
    ua, ub = _unique_ngrams(a, ANCHOR_N), _unique_ngrams(b, ANCHOR_N)
    pairs = sorted((i, ub[g]) for g, i in ua.items() if g in ub)
    chain = _longest_increasing(pairs)
    kept = set(chain)
    # A trigram can match by chance across a stretch the captions lost ("that in | the"):
    # only trigrams with an overlapping neighbour on the same diagonal count, and each
    # gives its middle word; the words at a run's edges are left to the gap matching.
    return [(i + 1, j + 1) for i, j in chain if (i - 1, j - 1) in kept or (i + 1, j + 1) in kept]


def _fill_gaps(a: list[str], b: list[str], anchors: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Anchors plus the words difflib matches in each gap between two anchors."""
    bounds = [(-1, -1), *anchors, (len(a), len(b))]
    out: list[tuple[int, int]] = []
    for (i0, j0), (i1, j1) in itertools.pairwise(bounds):
        if i0 >= 0:
            out.append((i0, j0))
        gap_a, gap_b = a[i0 + 1 : i1], b[j0 + 1 : j1]
        if not gap_a or not gap_b:
            continue
        if len(gap_a) == len(gap_b):
            # As many words on each side: misheard words, matched in place, so that a
            # repeated word ("that … that") cannot pair with its twin.
            out.extend((i0 + 1 + k, j0 + 1 + k) for k in range(len(gap_a)) if gap_a[k] == gap_b[k])
            continue
        # In a lopsided gap (the captions lost a stretch) a common word ("the") finds a
        # partner by chance anywhere in it: there only runs of three words or more count.
        lopsided = abs(len(gap_a) - len(gap_b)) > 2
        matcher = difflib.SequenceMatcher(None, gap_a, gap_b, autojunk=False)
        for block in matcher.get_matching_blocks():
            if block.size >= (3 if lopsided else 1):
                out.extend((i0 + 1 + block.a + k, j0 + 1 + block.b + k) for k in range(block.size))
    return out


class _Clock:
    """Times for transcript word positions, from the matched words."""

    def __init__(self, matched: list[tuple[int, int]], times: list[float]):
        self.positions = [i for i, _ in matched]
        self.times = [times[j] for _, j in matched]

    def at(self, i: int, end: int | None = None) -> float | None:
        """The time of word `i`; `end` is where its turn ends (a guess never crosses it)."""
        k = bisect.bisect_left(self.positions, i)
        if k < len(self.positions) and self.positions[k] == i:
            return self.times[k]
        if k == len(self.positions):
            return None
        inext, tn = self.positions[k], self.times[k]
        if k > 0:
            ip, tp = self.positions[k - 1], self.times[k - 1]
            # …and only when the words between could have been said in that time: if not,
            # the captions lost them (or a neighbour matched by chance) and any guess is wrong.
            if (inext - ip) * MIN_SECONDS_PER_WORD <= tn - tp <= MAX_BRACKET_SECONDS:
                return tp + (tn - tp) * (i - ip) / (inext - ip)
        else:
            tp = 0.0
        if inext - i <= MAX_WORDS_BEFORE_MATCH and (end is None or inext < end):
            return max(tp, tn - (inext - i) * TYPICAL_SECONDS_PER_WORD)
        return None


def align(turn_paragraphs: list[list[str]], words: list[TimedWord]) -> AlignmentResult:
    """Start times for each turn and paragraph. `turn_paragraphs` holds each turn's
    spoken text per paragraph (stage directions already removed)."""
    a: list[str] = []
    paragraph_first: list[list[int | None]] = []
    turn_first: list[int] = []
    for paragraphs in turn_paragraphs:
        turn_first.append(len(a))
        firsts = []
        for text in paragraphs:
            toks = tokens(text)
            firsts.append(len(a) if toks else None)
            a.extend(toks)
        paragraph_first.append(firsts)
    b: list[str] = []
    b_times: list[float] = []
    for word in words:  # "town-hall" is two tokens, both starting when the word does
        for token in tokens(word.text):
            b.append(token)
            b_times.append(word.start)
    matched = _fill_gaps(a, b, _anchors(a, b)) if a and b else []
    clock = _Clock(matched, b_times)
    turn_end = [*turn_first[1:], len(a)]
    paragraph_starts = [
        [clock.at(i, end) if i is not None else None for i in firsts] for firsts, end in zip(paragraph_first, turn_end)
    ]
    # A turn starts with its first spoken word; one with none, such as "(Inaudible.)",
    # at the next word spoken after it.
    turn_starts = [clock.at(i, end) if i < len(a) else None for i, end in zip(turn_first, turn_end)]
    return AlignmentResult(turn_starts, paragraph_starts, len(a), len(matched))


def median_offset(aligned: list[float | None], known: list[float | None]) -> float | None:
    diffs = [x - k for x, k in zip(aligned, known) if x is not None and k is not None]
    return round(statistics.median(diffs), 2) if diffs else None


def spoken_paragraphs(paragraphs: list[str]) -> list[str]:
    """Each paragraph's words as said: stage directions such as (Laughter.) left out."""
    return [" ".join(s.text for s in split_stage_directions(p) if s.kind == "speech") for p in paragraphs]


def own_start(turn) -> float | None:
    """The time the transcript itself gives the turn ([01:23:45] marks, exports)."""
    return parse_clock(turn.timestamp) if turn.timestamp else None
