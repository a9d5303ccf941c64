"""Topic suggestions for the upload preview (which existing person a speaker is, is
decided in transcripts.speakers).

Topics come from the transcript's distinctive terms: tf-idf against the rest of the
archive (a term every event uses says nothing), compared with topic names and
descriptions and with the topics of the most similar existing events.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Max

from transcripts.models import Event, Topic, Turn
from transcripts.normalise import TOPIC_STOP_WORDS, fold, name_key

# ---------------------------------------------------------------- topics

# A word of folded text, keeping inner apostrophes and hyphens ("don't", "post-war"): the
# contractions are stop words, and a hyphenated term is one topic idea.
WORD_RE = re.compile(r"[^\W\d_][\w'-]*[^\W_]|[^\W\d_]{3,}")
TOP_TERMS_PER_EVENT = 150
CACHE_SECONDS = 600


def terms(text: str) -> Counter:
    """Words and two-word phrases (no stop words in them), folded."""
    words = [w.strip("'-") for w in WORD_RE.findall(fold(text))]
    keep = [w if len(w) >= 3 and w not in TOPIC_STOP_WORDS else None for w in words]
    counts = Counter(w for w in keep if w)
    counts.update(f"{a} {b}" for a, b in zip(keep, keep[1:]) if a and b)
    return counts


@dataclass
class ArchiveTerms:
    """What the rest of the archive says: document frequencies and each event's main terms."""

    events: int
    df: Counter
    vectors: dict[int, dict[str, float]]  # event id -> unit tf vector over its top terms
    titles: dict[int, str]
    topics: dict[int, list[int]]  # event id -> topic ids


def _unit(weights: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {t: w / norm for t, w in weights.items()}


def archive_terms() -> ArchiveTerms:
    """Built from every event's turns; cached until an event or turn changes."""
    stamp = Event.objects.aggregate(n=Count("id", distinct=True), updated=Max("updated"), turn=Max("turns__id"))
    key = "verbatim-suggest-{n}-{updated}-{turn}".format(**stamp).replace(" ", "_")
    stats = cache.get(key)
    if stats is None:
        stats = _build_archive_terms()
        cache.set(key, stats, CACHE_SECONDS)
    return stats


def _build_archive_terms() -> ArchiveTerms:
    df: Counter = Counter()
    vectors, titles = {}, {}
    for event in Event.objects.only("id", "title").order_by("id"):
        counts = terms(" ".join(Turn.objects.filter(event=event).values_list("text", flat=True)))
        df.update(counts.keys())
        vectors[event.id] = _unit({t: 1 + math.log(c) for t, c in counts.most_common(TOP_TERMS_PER_EVENT)})
        titles[event.id] = event.title
    topics: dict[int, list[int]] = {}
    for event_id, topic_id in Event.topics.through.objects.values_list("event_id", "topic_id"):
        topics.setdefault(event_id, []).append(topic_id)
    return ArchiveTerms(len(titles), df, vectors, titles, topics)


@dataclass
class TopicSuggestion:
    topic: Topic
    score: float
    reasons: list[str]


@dataclass
class Suggestions:
    topics: list[TopicSuggestion]
    terms: list[str]  # distinctive terms that are no topic yet: ideas for new ones


def suggest_topics(text: str, *, names=(), exclude_event_id: int | None = None, limit: int = 6) -> Suggestions:
    """Topics for a transcript's text, best first, each with why; plus its distinctive terms.
    `names` are the speakers' names: their words are no topic."""
    archive = archive_terms()
    counts = terms(text)
    name_words = set(terms(" ".join(names)))
    for term in list(counts):
        if any(word in name_words for word in term.split()):
            del counts[term]
    if not counts:
        return Suggestions([], [])
    # When correcting an event, compare with the archive without that event's old text.
    excluded = _event_terms(exclude_event_id) if exclude_event_id in archive.vectors else None
    n = archive.events - (excluded is not None)
    weights = {}
    for term, tf in counts.items():
        df = archive.df.get(term, 0) - (excluded is not None and term in excluded)
        weights[term] = (1 + math.log(tf)) * math.log((n + 1) / (df + 0.5))
    ranked = sorted(weights, key=lambda t: (-weights[t], t))
    topics = list(Topic.objects.all())
    taken = {name_key(t.name) for t in topics}
    distinctive = _distinctive(ranked, counts, taken)
    new_vector = _unit({t: 1 + math.log(counts[t]) for t, _ in counts.most_common(TOP_TERMS_PER_EVENT)})
    neighbours = sorted(
        (
            (sum(w * vector.get(t, 0.0) for t, w in new_vector.items()), event_id)
            for event_id, vector in archive.vectors.items()
            if event_id != exclude_event_id
        ),
        reverse=True,
    )[:5]
    suggestions = []
    for topic in topics:
        score, reasons = _topic_score(topic, counts, distinctive, neighbours, archive)
        if score >= 0.2:
            suggestions.append(TopicSuggestion(topic, score, reasons))
    suggestions.sort(key=lambda s: (-s.score, s.topic.name))
    return Suggestions(suggestions[:limit], [t for t in distinctive if t not in taken][:12])


def _event_terms(event_id: int) -> set[str]:
    return set(terms(" ".join(Turn.objects.filter(event_id=event_id).values_list("text", flat=True))))


def _distinctive(ranked: list[str], counts: Counter, taken: set[str]) -> list[str]:
    """The top terms, a phrase preferred over its own words, and only terms said at least twice."""
    chosen: list[str] = []
    for term in ranked:
        if counts[term] < 2:
            continue
        words = term.split()
        if len(words) == 1 and any(term in c.split() for c in chosen):
            continue
        if len(words) == 2 and any(c in words for c in chosen):
            chosen = [c for c in chosen if c not in words]
        chosen.append(term)
        if len(chosen) >= 30:
            break
    return chosen


def _topic_score(topic, counts, distinctive, neighbours, archive) -> tuple[float, list[str]]:
    score, reasons = 0.0, []
    name_terms = terms(topic.name)
    phrase = max(name_terms, key=lambda t: (len(t.split()), counts.get(t, 0)), default="")
    said = counts.get(phrase, 0)
    if said:
        score += 0.5 + 0.5 * min(1.0, said / 20)
        reasons.append(f"“{phrase}” is said {said} time{'s' if said != 1 else ''}")
    shared = [t for t in distinctive[:30] if t in terms(topic.description)]
    if shared:
        score += min(0.3, 0.1 * len(shared))
        reasons.append("its description mentions " + ", ".join(shared[:4]))
    similar = [(sim, eid) for sim, eid in neighbours if topic.id in archive.topics.get(eid, []) and sim > 0.1]
    if similar:
        score += max(sim for sim, _ in similar)
        reasons.append(
            "used by similar events: "
            + "; ".join(f"{archive.titles[eid]} ({round(sim * 100)}% alike)" for sim, eid in similar[:2])
        )
    return score, reasons
