"""Matching the header's unnamed bio lines to speakers by what they say.

Event pages list one bio line per speaker without the name, and their order need not
follow anything in the text. The presider's introductions say the same things in
prose ("We have Susan Coppedge, who is senior counsel at Krevolin and Horst …"), so
each bio is scored against each speaker's *introduction*: the sentences from the one
naming them up to the next sentence naming someone else. Shared words count by rarity
across the bio lines (IDF), so "Krevolin", "Nottingham" or "Backpage" decide, while
"trafficking" or "former", found in several bios, barely count. The best overall
assignment wins; a bio that shares nothing with anybody stays unassigned (the caller
warns), because a wrong bio is worse than none.
"""

from __future__ import annotations

import itertools
import math

from transcripts.normalise import BIO_STOP_WORDS
from transcripts.normalise import words as folded_words

from .names import sentences


def words(text: str) -> set[str]:
    return {w for w in folded_words(text) if len(w) > 2 and w not in BIO_STOP_WORDS}


def introduction(name: str, others: list[str], paragraphs: list[str]) -> str:
    """The sentences about `name`: from the sentence naming them to the next one naming
    another participant, in every paragraph that names them."""
    found = []
    for paragraph in paragraphs:
        if name not in paragraph:
            continue
        taking = False
        for sentence in sentences(paragraph):
            if name in sentence:
                taking = True
            elif any(other in sentence for other in others):
                taking = False
            if taking:
                found.append(sentence)
    return " ".join(found)


def match_bios(bios: list[str], intros: dict[str, str]) -> dict[int, str]:
    """{bio index: participant key} maximising the total rarity-weighted overlap."""
    if not bios or not intros:
        return {}
    bio_words = [words(b) for b in bios]
    df: dict[str, int] = {}
    for ws in bio_words:
        for w in ws:
            df[w] = df.get(w, 0) + 1
    idf = {w: math.log((1 + len(bios)) / n) for w, n in df.items()}
    keys = list(intros)
    intro_words = {k: words(intros[k]) for k in keys}
    # One shared word is chance ("fellow", "policy"); two or more is evidence.
    score = [
        [sum(idf[w] for w in bw & intro_words[k]) if len(bw & intro_words[k]) >= 2 else 0.0 for k in keys]
        for bw in bio_words
    ]

    def total(pairs):
        return sum(score[i][j] for i, j in pairs if score[i][j] > 0)

    rows, cols = range(len(bios)), range(len(keys))
    if min(len(bios), len(keys)) <= 7 and max(len(bios), len(keys)) <= 9:
        if len(bios) <= len(keys):
            options = (list(zip(rows, perm)) for perm in itertools.permutations(cols, len(bios)))
        else:
            options = (list(zip(perm, cols)) for perm in itertools.permutations(rows, len(keys)))
        best = max(options, key=total)
    else:  # many speakers: greedy on the strongest pairs
        best, used_i, used_j = [], set(), set()
        for _score, i, j in sorted(((score[i][j], i, j) for i in rows for j in cols), reverse=True):
            if i not in used_i and j not in used_j:
                best.append((i, j))
                used_i.add(i)
                used_j.add(j)
    return {i: keys[j] for i, j in best if score[i][j] > 0}
