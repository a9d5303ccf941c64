"""Properties of the alignment: whatever stretches the captions lose or garble, a turn that
gets a time gets the right one (within 2 s), and times never run backwards. Speakers pause and speak
at their own pace, so a guess across a lost stretch would show."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from transcripts.media.alignment import align
from transcripts.media.captions import TimedWord

VOCABULARY = [
    f"{a}{b}"
    for a in ("ka", "lo", "mi", "sun", "tor", "vel", "ash", "quin", "dre", "zo")
    for b in ("ra", "men", "tis", "ol", "bex", "ny", "port", "ith", "u", "gan")
] + ["the", "and", "of", "to", "a", "in", "that", "is", "we", "it"]


def make_turns(seed: int, count: int) -> list[list[str]]:
    rng = random.Random(seed)
    common = VOCABULARY[-10:]
    turns = []
    for _ in range(count):
        words = [
            rng.choice(common) if rng.random() < 0.4 else rng.choice(VOCABULARY) for _ in range(rng.randint(3, 60))
        ]
        turns.append(words)
    return turns


@settings(max_examples=150, deadline=None, derandomize=True)
@given(
    seed=st.integers(0, 10_000),
    count=st.integers(2, 40),
    lost=st.sets(st.integers(0, 39), max_size=12),
    garble=st.floats(0.0, 0.15),
)
def test_timed_turns_are_right_and_lost_turns_are_untimed_or_right(seed, count, lost, garble):
    turns = make_turns(seed, count)
    rng = random.Random(seed + 1)
    captions, truth, t = [], [], 5.0
    for index, words in enumerate(turns):
        t += rng.uniform(0.0, 6.0)  # a pause before the turn
        truth.append(t)
        pace = rng.uniform(0.2, 0.8)  # speakers speak at their own speed
        for word in words:
            if index not in lost:
                if rng.random() < garble / 2:
                    pass  # dropped
                elif rng.random() < garble / 2:
                    captions.append(TimedWord(rng.choice(VOCABULARY), t, False))  # misheard
                else:
                    captions.append(TimedWord(word, t, False))
            t += pace
    result = align([[" ".join(words)] for words in turns], captions)
    timed = [(got, want) for got, want in zip(result.turn_starts, truth) if got is not None]
    assert all(abs(got - want) <= 2.0 for got, want in timed), [(round(g, 1), w) for g, w in timed if abs(g - w) > 2]
    starts = [got for got, _ in timed]
    assert starts == sorted(starts)
