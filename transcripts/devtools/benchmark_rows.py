"""Benchmark rows for reader features that are not pages or searches of their own kind:
checking a quote (/api/check/) against the archive."""

from __future__ import annotations

import random
import statistics

from django.core.cache import cache

from transcripts.devtools.benchmark import Row, register_rows, timed
from transcripts.models import Turn
from transcripts.reader import checking

QUOTES = 12


def altered_quotes(seed: int, count: int = QUOTES) -> list[str]:
    """Twelve-word passages of published turns, each altered as people misquote: one word
    dropped, one changed, or left as said, in turn."""
    rng = random.Random(seed)
    ids = list(
        Turn.objects.filter(event__status="published", word_count__gte=40)
        .order_by("id")
        .values_list("id", flat=True)[:5000]
    )
    quotes = []
    for turn_id in rng.sample(ids, min(count, len(ids))):
        words = Turn.objects.get(pk=turn_id).text.split()
        start = rng.randrange(0, len(words) - 12)
        passage = words[start : start + 12]
        kind = len(quotes) % 3
        if kind == 1:
            del passage[rng.randrange(1, 11)]
        elif kind == 2:
            passage[rng.randrange(1, 11)] = "remarkably"
        quotes.append(" ".join(passage))
    return quotes


def requests_row(benchmark, name: str, requests: list[tuple[str, dict]], target: str, **extra) -> Row:
    """Warm and cold (cache cleared) timings of GET requests taken in turn from `requests`."""
    cycle = iter(requests * (3 * benchmark.repeat + 4))

    def once():
        path, params = next(cycle)
        benchmark._get(path, params)

    cold = timed(once, repeat=benchmark.repeat, warmup=0, before=cache.clear)
    return Row(name, "ms", timed(once, repeat=benchmark.repeat), target=target, cold=cold, extra=extra)


@register_rows
def check_rows(benchmark) -> list[Row]:
    """The checker, against a reference measured in the same run: SQLite FTS5 ranking the
    turns that hold any of the quote's telling words (bm25) and reading the best 40 texts,
    the least a search-engine-backed check must do before comparing anything."""
    quotes = altered_quotes(benchmark.seed)
    if not quotes:
        return []
    requests = [("/api/check/", {"q": quote}) for quote in quotes]
    row = requests_row(benchmark, "check: an altered quote (/api/check/)", requests, "p95 ≤ 300 ms", quotes=len(quotes))
    db = benchmark.fts_database()
    matches = iter([_fts_match(quote) for quote in quotes] * (benchmark.repeat + 2))

    def reference():
        db.execute(
            "SELECT rowid, text FROM fts WHERE fts MATCH ? ORDER BY rank LIMIT ?",
            (next(matches), checking.MAX_CANDIDATES),
        ).fetchall()

    samples = timed(reference, repeat=benchmark.repeat)
    row.reference = statistics.median(samples)
    return [row, Row("reference FTS5: a quote's candidates", "ms", samples)]


def _fts_match(quote: str) -> str:
    words = checking.telling_words(checking.quote_pieces(quote))
    return "text : (" + " OR ".join(f'"{word}"' for word in words) + ")"


@register_rows
def card_rows(benchmark) -> list[Row]:
    """A quote card drawn from nothing (cache cleared): the first share of a link pays this."""
    from transcripts.reader.quotes import quote_key

    turns = list(
        Turn.objects.filter(event__status="published", word_count__gte=30).order_by("id").only("public_id", "text")[:40]
    )
    requests = [(f"/q/{t.public_id}/{quote_key(' '.join(t.text.split()[:24]))}/card.png", {}) for t in turns]
    return (
        [requests_row(benchmark, "card: a quote's image (1200 × 630 PNG)", requests, "cold ≤ 150 ms")] if turns else []
    )
