"""The search page's queries find their rows through an index, never by reading every event:
on SQLite an event's row holds its whole source text (and `language` sits past it), so a
query that walks the events reads every transcript, 60-80 ms at 15,000 events where an
index lookup takes a millisecond. Checked from SQLite's plan of each query the page runs,
which does not depend on how many rows there are (no statistics are kept)."""

from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from search_helpers import search_index, searchable_sample  # noqa: F401  (fixtures)

from transcripts.models import Appearance, Event, Person, Topic
from transcripts.search.engine import _facet_labels
from transcripts.search.models import IndexTask
from transcripts.search.queue import EVENT

LANGUAGES_PLAN = "SEARCH transcripts_event USING COVERING INDEX event_status_language (status=?)"
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plans"),
]


def plans(client, url: str) -> dict[str, str]:
    """Each query the page ran, with SQLite's plan for it."""
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    found = {}
    with connection.cursor() as cursor:
        for query in ctx.captured_queries:
            sql = query["sql"]
            if not sql.startswith("SELECT"):
                continue
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            found[sql] = "\n".join(row[-1] for row in cursor.fetchall())
    return found


def search_urls(sample) -> list[str]:
    speaker = Person.objects.filter(appearances__event=sample).order_by("pk").first()
    topic = sample.topics.order_by("pk").first()
    return [
        "/search/?" + urlencode({"q": "trafficking"}),
        "/search/?" + urlencode({"q": "survivors", "speaker": speaker.slug}),
        "/search/?" + urlencode({"q": "rights", "topic": topic.slug, "event": sample.slug}),
        "/search/?" + urlencode({"q": "nosuchwordanywhere", "speaker": "nobody-at-all"}),
        "/api/search/?" + urlencode({"q": "trafficking"}),
    ]


def walks_the_events(sql: str, plan: str) -> bool:
    """Whether a query reads events other than those it names: a scan of the table, or a
    walk of the index on their status. The Language menu's query is the one that must read
    every published event's language, and it does so from that index alone."""
    if "SCAN transcripts_event\n" in plan + "\n":
        return True
    if "event_status_" not in plan:
        return False
    reads_languages = 'SELECT DISTINCT "transcripts_event"."language"' in sql
    return not (reads_languages and plan == LANGUAGES_PLAN)


def test_no_search_page_query_reads_every_event(client, searchable_sample):
    # An event task waiting in the queue: the query that hides such events runs in full.
    IndexTask.objects.create(model=EVENT, object_id=searchable_sample.pk, action="update")
    seen = 0
    for url in search_urls(searchable_sample):
        found = plans(client, url)
        seen += len(found)
        walking = {sql[:300]: plan for sql, plan in found.items() if walks_the_events(sql, plan)}
        assert walking == {}, url
    assert seen >= 20  # the hits, facet labels, filters' names, queue, boxes and menu were all read


def test_the_language_menu_reads_the_status_index_alone(client, searchable_sample):
    found = plans(client, "/search/?q=trafficking")
    (plan,) = [plan for sql, plan in found.items() if 'SELECT DISTINCT "transcripts_event"."language"' in sql]
    assert plan == LANGUAGES_PLAN


def test_a_name_is_public_by_one_published_event_and_no_more(searchable_sample):
    """The rewritten conditions keep their meaning: a person or topic of a draft only is not
    public; one published event makes them so."""
    draft = Event.objects.create(title="Draft only", slug="draft-only", status=Event.Status.DRAFT)
    hidden = Person.objects.create(name="Hidden Person", slug="hidden-person")
    Appearance.objects.create(event=draft, person=hidden, role="panelist", order=0)
    topic = Topic.objects.create(name="Draft Topic", slug="draft-topic")
    draft.topics.add(topic)
    assert not Person.objects.public().filter(pk=hidden.pk).exists()
    assert not Topic.objects.public().filter(pk=topic.pk).exists()
    shown = set(Person.objects.public().values_list("slug", flat=True))
    assert shown == set(Person.objects.filter(appearances__event=searchable_sample).values_list("slug", flat=True))
    draft.status = Event.Status.PUBLISHED
    draft.save()
    assert Person.objects.public().filter(pk=hidden.pk).exists()
    assert Topic.objects.public().filter(pk=topic.pk).exists()


def test_facet_labels_leave_out_an_event_no_longer_published(searchable_sample):
    draft = Event.objects.create(title="Withdrawn", slug="withdrawn", status=Event.Status.DRAFT)
    labels = _facet_labels("event", [searchable_sample.slug, draft.slug, "no-such-event"])
    assert labels == {searchable_sample.slug: searchable_sample.title}
