"""Unpublished or deleted events leave search at once, before the consumer runs (issue
10.11): hits, totals and facet counts are filtered on the published state at query time."""

import datetime

import pytest
from search_helpers import make_event, process_queue, search_engine, search_index, searchable_sample  # noqa: F401

from transcripts.models import Event
from transcripts.operations.edits import delete_events, set_status
from transcripts.search.engine import run_turn_search

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_engine")]
SAMPLE = "Combating Human Trafficking and Modern Slavery"  # says "cobalt" once


@pytest.fixture
def two_events(searchable_sample):
    cobalt = make_event(
        "Cobalt Supply Chains",
        date=datetime.date(2019, 5, 2),
        turns=[
            ("Ana Pérez", "presider", "Welcome. Today we discuss cobalt mining."),
            ("Siddharth Kara", "panelist", "Cobalt from the Congo is mined by children."),
            ("Jo Bloggs", "questioner", "Is recycled cobalt any better?", "qa"),
        ],
    )
    labour = make_event(
        "Labour Rights Today",
        date=datetime.date(2024, 3, 9),
        turns=[
            ("Siddharth Kara", "panelist", "Forced labour persists; cobalt is one example among many."),
        ],
    )
    process_queue()
    return cobalt, labour


def counts(query="cobalt"):
    result = run_turn_search(query, with_facets=True, limit=50)
    return (
        result.total,
        sorted(h.event_title for h in result.hits),
        {f.label: f.count for f in result.facets["event"]},
        {f.value: f.count for f in result.facets["year"]},
    )


def test_unpublishing_leaves_hits_totals_and_facets_before_the_consumer_runs(two_events):
    cobalt, _ = two_events
    assert counts() == (
        5,
        ["Cobalt Supply Chains"] * 3 + [SAMPLE, "Labour Rights Today"],
        {"Cobalt Supply Chains": 3, SAMPLE: 1, "Labour Rights Today": 1},
        {"2019": 3, "2022": 1, "2024": 1},
    )
    set_status([cobalt], Event.Status.DRAFT)
    expected = (2, [SAMPLE, "Labour Rights Today"], {SAMPLE: 1, "Labour Rights Today": 1}, {"2022": 1, "2024": 1})
    assert counts() == expected  # before: total 5 and the 2019 facets, with two hits listed
    process_queue()
    assert counts() == expected
    set_status([cobalt], Event.Status.PUBLISHED)
    assert counts()[0] == 2  # published again: shown once the consumer has indexed it
    process_queue()
    assert counts()[0] == 5


def test_a_deleted_event_leaves_search_before_the_consumer_runs(two_events):
    cobalt, _ = two_events
    delete_events([cobalt])
    assert counts() == (
        2,
        [SAMPLE, "Labour Rights Today"],
        {SAMPLE: 1, "Labour Rights Today": 1},
        {"2022": 1, "2024": 1},
    )
    process_queue()
    assert counts()[0] == 2


def test_search_with_no_queued_work_asks_the_queue_once(two_events, django_assert_max_num_queries):
    run_turn_search("cobalt", limit=10)  # warm caches
    with django_assert_max_num_queries(2):  # the queue check, and the hits
        run_turn_search("cobalt", limit=10)
