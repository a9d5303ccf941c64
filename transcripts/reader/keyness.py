"""What a speaker (or an event) talks about: the words and two-word phrases that set their
turns apart from the whole archive, by Dunning's log-likelihood (G²), the keyness measure
corpus linguists use for "more frequent here than chance allows".

Counting reads turn texts, so it is bounded: a speaker's or event's turns up to
MAX_OWN_WORDS words, and the archive as a deterministic sample of at most REFERENCE_TURNS
turns. Results are cached by the archive's version (page_cache), so any import or edit
recounts on the next request; pages show them only when they are in the cache, and the
terms page (/people/<slug>/terms/, /events/<slug>/terms/) computes them.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from django.db.models import F, Max, Min
from django.db.models.functions import Mod

from transcripts.models import Event, Person, Turn
from transcripts.normalise import STOP_WORDS, fold, words
from transcripts.reader import page_cache

MAX_OWN_WORDS = 400_000
REFERENCE_TURNS = 4_000
MIN_COUNT = 3
TERMS = 20
# Words that carry no subject in speech, on top of the search stop words.
SPEECH_FILLERS = frozenset(
    [
        "think",
        "know",
        "going",
        "really",
        "just",
        "like",
        "yeah",
        "okay",
        "ok",
        "mean",
        "thing",
        "things",
        "lot",
        "well",
        "say",
        "said",
        "get",
        "got",
        "want",
        "make",
        "actually",
        "right",
        "sort",
        "kind",
        "way",
        "people",
        "also",
        "us",
        "one",
        "two",
        "would",
        "could",
        "should",
        "can",
        "will",
        "im",
        "dont",
        "thats",
        "youre",
        "theres",
        "weve",
        "theyre",
        "ive",
        "ill",
        "lets",
        "yes",
        "thank",
        "thanks",
        "much",
        "very",
        "good",
        "great",
        "question",
    ]
)
_REFERENCE_KEY = "keyness:reference"


@dataclass(frozen=True)
class KeyTerm:
    term: str  # as folded words: "forced labor"
    count: int  # in the speaker's (or event's) turns
    per_10k: float  # how often, per 10,000 of their words
    reference_per_10k: float  # how often in the archive
    score: float  # log-likelihood G²


def count_terms(texts, skip: frozenset = frozenset()) -> tuple[Counter, int]:
    """Words and two-word phrases (adjacent telling words) of `texts`, and how many words were read."""
    counts: Counter = Counter()
    total = 0
    stop = STOP_WORDS | SPEECH_FILLERS | skip
    for text in texts:
        all_words = words(text)
        total += len(all_words)
        kept = [w for w in all_words if w not in stop and not w.isdigit() and len(w) > 2]
        counts.update(kept)
        # A phrase is two telling words in a row in the speech itself.
        for a, b in zip(all_words, all_words[1:]):
            if a not in stop and b not in stop and len(a) > 2 and len(b) > 2 and not (a.isdigit() or b.isdigit()):
                counts[f"{a} {b}"] += 1
        if total >= MAX_OWN_WORDS:
            break
    return counts, max(total, 1)


def log_likelihood(a: int, total_a: int, b: int, total_b: int) -> float:
    """Dunning's G² for a term seen `a` times in `total_a` words here and `b` in `total_b` there."""
    expected_a = total_a * (a + b) / (total_a + total_b)
    expected_b = total_b * (a + b) / (total_a + total_b)
    g = 0.0
    if a:
        g += a * math.log(a / expected_a)
    if b:
        g += b * math.log(b / expected_b)
    return 2 * g


def distinctive(own: Counter, own_total: int, ref: Counter, ref_total: int, limit: int = TERMS) -> list[KeyTerm]:
    """The terms more frequent here than in the reference, strongest first; a phrase hides
    its words when it explains them (forced labor, not also forced and labor)."""
    scored = []
    for term, count in own.items():
        if count < MIN_COUNT:
            continue
        other = max(ref.get(term, 0) - count, 0)  # the reference includes these turns
        rest = max(ref_total - own_total, 1)
        if count / own_total <= other / rest:
            continue
        score = log_likelihood(count, own_total, other, rest)
        scored.append(KeyTerm(term, count, 1e4 * count / own_total, 1e4 * other / rest, round(score, 1)))
    scored.sort(key=lambda k: (-k.score, k.term))
    # A word used mostly inside one of the distinctive phrases is said by the phrase.
    covered = {
        word for key in scored if " " in key.term for word in key.term.split() if own.get(word, 0) <= 1.5 * key.count
    }
    return [key for key in scored if key.term not in covered][:limit]


def _reference() -> tuple[Counter, int]:
    """The archive's counts, from an evenly spread sample of published turns."""

    def compute():
        published = Turn.objects.filter(event__in=Event.objects.published())
        bounds = published.aggregate(low=Min("id"), high=Max("id"))
        if bounds["low"] is None:
            return Counter(), 1
        step = max(1, (bounds["high"] - bounds["low"] + 1) // REFERENCE_TURNS)
        sample = published.annotate(slot=Mod(F("id") - bounds["low"], step)).filter(slot=0)
        return count_terms(sample.values_list("text", flat=True)[: REFERENCE_TURNS * 2].iterator())

    return page_cache.cached(_REFERENCE_KEY, page_cache.archive_version(), compute)


def _name_words(people) -> frozenset:
    return frozenset(w for p in people for w in fold(p.name).replace(".", " ").split())


def person_terms(person: Person, *, version: str = "") -> list[KeyTerm] | None:
    """What sets `person` apart. Given the archive `version` a page already read, only what
    is cached for it (None when nothing is): counting is for the terms page."""
    return _terms(f"keyness:person:{person.pk}", version, lambda: _person_terms(person))


def event_terms(event: Event, *, version: str = "") -> list[KeyTerm] | None:
    return _terms(f"keyness:event:{event.pk}", version, lambda: _event_terms(event))


def _terms(name: str, version: str, make):
    if version:
        return page_cache.peek(name, version)
    return page_cache.cached(name, page_cache.archive_version(), make)


def _person_terms(person: Person) -> list[KeyTerm]:
    turns = Turn.objects.filter(appearance__person=person, event__in=Event.objects.published()).order_by("-id")
    # Their own name and those of the people they spoke with ("Ambassador Lagon") say nothing of their subject.
    met = Person.objects.filter(appearances__event__appearances__person=person).distinct()
    own, total = count_terms(turns.values_list("text", flat=True).iterator(), skip=_name_words([person, *met]))
    ref, ref_total = _reference()
    return distinctive(own, total, ref, ref_total)


def _event_terms(event: Event) -> list[KeyTerm]:
    speakers = Person.objects.filter(appearances__event=event).distinct()
    own, total = count_terms(event.turns.values_list("text", flat=True).iterator(), skip=_name_words(speakers))
    ref, ref_total = _reference()
    return distinctive(own, total, ref, ref_total)
