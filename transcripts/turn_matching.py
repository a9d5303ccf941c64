"""Which turns of a corrected transcript are the old ones, in near-linear time.

A correction keeps the public id of every turn it did not change, and of a turn it
changed a little, so quote links keep pointing at it. Unchanged turns are found by
their exact (speaker, text) in order (difflib on hashed keys); what is left between two
unchanged stretches is paired first by identical text (a turn given to another
speaker), then by similarity, each new turn compared only with the unmatched old turns
near its place and only on the first SIMILARITY_CHARS characters (rapidfuzz, in C).
Comparing every old turn with every new one, character by character, made a heavily
changed correction take tens of seconds inside the import's write transaction.
"""

from __future__ import annotations

import difflib
from collections import defaultdict

from rapidfuzz import fuzz

# A changed turn keeps its public id when at least this similar to the old one.
SAME_TURN_RATIO = 0.6
# Old turns a changed turn is compared with: those this many places either side of where
# it would be. A correction moves turns a little, not across the transcript.
NEIGHBOURS = 25
# Characters of each turn compared (with the two lengths): a turn is recognised by its
# beginning; a 2 MB turn compared whole would cost seconds.
SIMILARITY_CHARS = 2000


def match_turns(old_keys: list[tuple[str, str]], new_keys: list[tuple[str, str]]) -> list[tuple[int, int]]:
    """Pairs (old index, new index) of the turns that are the same turn, given each turn's
    (speaker, text). A new turn in no pair is added; an old one in no pair was removed."""
    codes = {key: n for n, key in enumerate(dict.fromkeys(old_keys + new_keys))}
    matcher = difflib.SequenceMatcher(None, [codes[k] for k in old_keys], [codes[k] for k in new_keys], autojunk=False)
    pairs = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pairs += zip(range(i1, i2), range(j1, j2))
        elif i1 < i2 and j1 < j2:
            pairs += _match_changed(old_keys, new_keys, range(i1, i2), range(j1, j2))
    return pairs


def _match_changed(old_keys, new_keys, olds: range, news: range) -> list[tuple[int, int]]:
    """Pair the turns of a changed stretch: same text first, then the most similar nearby."""
    pairs, unmatched_old = [], dict.fromkeys(olds)
    by_text = defaultdict(list)
    for i in olds:
        by_text[old_keys[i][1]].append(i)
    unmatched_new = []
    for j in news:
        same = by_text.get(new_keys[j][1])
        if same:
            i = same.pop(0)
            del unmatched_old[i]
            pairs.append((i, j))
        else:
            unmatched_new.append(j)
    cutoff = SAME_TURN_RATIO * 100
    for j in unmatched_new:
        if not unmatched_old:
            break
        expected = olds.start + (j - news.start) * len(olds) // len(news)
        text = new_keys[j][1]
        best, best_score = None, cutoff
        for i in range(max(olds.start, expected - NEIGHBOURS), min(olds.stop, expected + NEIGHBOURS + 1)):
            if i not in unmatched_old:
                continue
            score = _similarity(old_keys[i][1], text, cutoff)
            if score > best_score or (score == best_score and best is None):
                best, best_score = i, score
        if best is not None:
            del unmatched_old[best]
            pairs.append((best, j))
    return pairs


def _similarity(old: str, new: str, cutoff: float) -> float:
    """rapidfuzz's ratio (0-100) of the two texts' beginnings, never more than their lengths
    allow: a turn cut to its first paragraph is not the same turn."""
    if not old and not new:
        return 100.0
    most = 200 * min(len(old), len(new)) / (len(old) + len(new))
    if most < cutoff:
        return 0.0
    return min(most, fuzz.ratio(old[:SIMILARITY_CHARS], new[:SIMILARITY_CHARS], score_cutoff=cutoff))
