"""Bounded work per search request, on outsized data generated here: a turn
that says one word 20,000 times, and a pathological OR query over thousands of turns.
Every request must finish in under 2 s. Run with -s to see the measured times."""

import os
import random
import time

import pytest
from django.utils.text import slugify

from transcripts.models import Appearance, Event, Person, Turn
from transcripts.search import indexing
from transcripts.search.engine import TOO_SLOW
from transcripts.search.highlight import snippet
from transcripts.search.models import IndexTask
from transcripts.search.syntax import MAX_ALTERNATIVES, ParsedQuery, Term, parse_query

# VERBATIM_OUTSIZED_TURNS=50000 measures on a bigger archive (docs/performance.md's figures).
TURNS, EVENTS, WORDS_PER_TURN = int(os.environ.get("VERBATIM_OUTSIZED_TURNS", 4000)), 40, 60
MATCHES_IN_ONE_TURN = 20_000
REQUEST_BUDGET = 2.0  # seconds, for any public request


def _vocabulary(rng) -> list[str]:
    letters = "bcdfghklmnprstvz"
    return sorted({"".join(rng.choice(letters) + rng.choice("aeiou") for _ in range(3)) for _ in range(600)})


@pytest.fixture(scope="module")
def outsized(django_db_setup, django_db_blocker):
    """4,000 turns of Zipf-distributed words over 40 events, plus one turn that says
    "needle" 20,000 times; committed (module-wide) and removed afterwards."""
    rng = random.Random(10)
    vocabulary = _vocabulary(rng)
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    with django_db_blocker.unblock():
        events = [
            Event.objects.create(title=f"Outsized {n}", slug=f"outsized-{n}", status=Event.Status.PUBLISHED)
            for n in range(EVENTS)
        ]
        people = [
            Person.objects.create(name=f"Outsized Speaker{n}", slug=slugify(f"outsized speaker{n}"))
            for n in range(EVENTS)
        ]
        appearances = [
            Appearance.objects.create(event=e, person=p, role="panelist", order=0) for e, p in zip(events, people)
        ]
        turns = []
        for n in range(TURNS):
            text = " ".join(rng.choices(vocabulary, weights, k=WORDS_PER_TURN))
            turns.append(
                Turn(
                    event=events[n % EVENTS],
                    appearance=appearances[n % EVENTS],
                    position=n + 1,
                    label="SPEAKER",
                    paragraphs=[text],
                    text=text,
                    word_count=WORDS_PER_TURN,
                    public_id=f"out{n}",
                )
            )
        needle = "needle in the haystack, " * MATCHES_IN_ONE_TURN
        turns.append(
            Turn(
                event=events[0],
                appearance=appearances[0],
                position=TURNS + 1,
                label="SPEAKER",
                paragraphs=[needle],
                text=needle,
                word_count=4 * MATCHES_IN_ONE_TURN,
                public_id="outneedle",
            )
        )
        Turn.objects.bulk_create(turns)
        started = time.monotonic()
        indexing.rebuild()
        print(f"\n[outsized] indexed {TURNS + 1} turns in {time.monotonic() - started:.1f} s")
        yield vocabulary
        Event.objects.filter(pk__in=[e.pk for e in events]).delete()
        Person.objects.filter(pk__in=[p.pk for p in people]).delete()
        IndexTask.objects.all().delete()
        indexing.rebuild()


def timed_get(client, path, params):
    started = time.monotonic()
    response = client.get(path, params)
    return response, time.monotonic() - started


@pytest.mark.django_db
def test_a_turn_with_20000_matches_gets_a_snippet_fast(outsized, client):
    text = Turn.objects.get(public_id="outneedle").text
    started = time.monotonic()
    extract = snippet(text, parse_query("needle"))
    took = time.monotonic() - started
    print(
        f"\n[outsized] snippet of a turn with {MATCHES_IN_ONE_TURN} matches: {took * 1000:.0f} ms "
        "(before: 38 s, quadratic in matches)"
    )
    assert extract.startswith("<mark>needle</mark> in the haystack") and extract.count("<mark>") > 10
    assert took < 0.5
    response, took = timed_get(client, "/search/", {"q": "needle"})
    print(f"[outsized] /search/?q=needle: {took * 1000:.0f} ms")
    assert response.status_code == 200 and "<mark>needle</mark> in the haystack" in response.content.decode()
    assert took < REQUEST_BUDGET


@pytest.mark.django_db
def test_a_pathological_or_query_is_cut_and_answers_within_the_budget(outsized, client):
    common = outsized[:24]  # Zipf: the first words of the sorted list are spread through the ranks
    query = " OR ".join(common)
    response, took = timed_get(client, "/search/", {"q": query})
    page = response.content.decode()
    print(f"\n[outsized] /search/ with {len(common)} words joined by OR: {took * 1000:.0f} ms")
    assert response.status_code == 200
    assert f"Only the first {MAX_ALTERNATIVES} words joined by OR were used." in page
    assert took < REQUEST_BUDGET
    # The same 24 alternatives as the parser used to pass them, without the cut or the time limit:
    uncut = ParsedQuery(raw=query, groups=[[Term((word,)) for word in common]])
    backend = indexing.backend()
    from transcripts.search.engine import run_turn_search

    limit = backend.time_limit
    backend.time_limit = 600.0
    try:
        started = time.monotonic()
        run_turn_search(uncut, with_facets=True)
        print(f"[outsized] the uncut 24-word OR query, no time limit: {(time.monotonic() - started) * 1000:.0f} ms")
    finally:
        backend.time_limit = limit


@pytest.mark.django_db
def test_a_search_that_runs_out_of_time_says_so_and_stops(outsized, client, monkeypatch):
    from transcripts.search.whoosh_backend import DeadlineFilterCollector

    checks = []
    original = DeadlineFilterCollector.collect_matches

    def counting(self):
        checks.append(self.deadline)
        return original(self)

    monkeypatch.setattr(DeadlineFilterCollector, "collect_matches", counting)
    backend = indexing.backend()
    monkeypatch.setattr(backend, "time_limit", 0.0)  # any search is over its time at once
    query = " OR ".join(f'"{a} {b}"' for a, b in zip(outsized[:8], outsized[8:16]))  # eight phrases: not bulk-scored
    response, took = timed_get(client, "/search/", {"q": query})
    page = response.content.decode()
    assert response.status_code == 200 and TOO_SLOW in page
    assert '<ol class="results"' not in page and checks  # stopped inside the collector, nothing shown
    api = client.get("/api/search/", {"q": query}).json()
    assert api["total"] == 0 and api["results"] == [] and TOO_SLOW in api["messages"]
    assert took < REQUEST_BUDGET
