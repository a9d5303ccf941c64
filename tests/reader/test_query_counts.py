"""No page issues more than 10 queries, and no page's query count grows
with the number of events, turns or people. Each page is requested on a small archive,
then again after the archive has grown (more events and people, and more turns for the
same speaker, event topic and search words)."""

from urllib.parse import urlencode

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from search_helpers import search_index  # noqa: F401  (fixture)

from transcripts.devtools.corpus import write_corpus_in_bulk
from transcripts.models import Event, Person, Topic, Turn
from transcripts.search import indexing

MAX_QUERIES = 10


def _pages() -> dict[str, str]:
    """The pages to count, fixed by what the first, small archive holds."""
    person = Person.objects.annotate(n=Count("appearances__turns")).order_by("-n").first()
    topic = Topic.objects.annotate(n=Count("events")).order_by("-n").first()
    event = Event.objects.annotate(n=Count("turns")).order_by("-n").first()
    turn = Turn.objects.filter(event=event).order_by("position")[3]
    quoted = " ".join(turn.text.split()[2:8])
    return {
        "home": "/",
        "events list": "/events/",
        "event": event.get_absolute_url(),
        "people list": "/people/",
        "person": person.get_absolute_url(),
        "person, a later page of turns": f"{person.get_absolute_url()}?page=2",
        "topics list": "/topics/",
        "topic": topic.get_absolute_url(),
        "search": "/search/?" + urlencode({"q": "trafficking"}),
        "search, speaker filter": "/search/?" + urlencode({"q": "rights", "speaker": person.slug}),
        "quote": f"/q/{turn.public_id}/?" + urlencode({"text": quoted}),
        "events feed": "/feeds/events/",
        "person feed": f"{person.get_absolute_url()}feed/",
        "topic feed": f"{topic.get_absolute_url()}feed/",
    }


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def _grow(*batches: tuple[int, int]) -> None:
    for turns, seed in batches:
        write_corpus_in_bulk(turns, seed=seed)
    indexing.rebuild()


@pytest.mark.django_db
def test_no_page_grows_its_queries_with_events_turns_or_people(client, search_index):  # noqa: F811
    _grow((200, 11))
    pages = _pages()
    person = Person.objects.get(slug=pages["person"].strip("/").split("/")[-1])
    before_counts = {name: _count(client, url) for name, url in pages.items()}
    sizes_before = (Event.objects.count(), Turn.objects.count(), Person.objects.count(), person.appearances.count())

    # The same people again (the busiest speaker gets many more turns and events), and
    # people the archive did not have.
    _grow((600, 11), (300, 12))
    after_counts = {name: _count(client, url) for name, url in pages.items()}
    sizes_after = (Event.objects.count(), Turn.objects.count(), Person.objects.count(), person.appearances.count())

    assert all(after >= 2 * before for before, after in zip(sizes_before, sizes_after)), (sizes_before, sizes_after)
    grew = {
        name: (before_counts[name], after_counts[name]) for name in pages if after_counts[name] != before_counts[name]
    }
    too_many = {name: n for name, n in after_counts.items() if n > MAX_QUERIES}
    print("queries per page:", after_counts)
    assert not grew, f"query counts that grew with the archive (before, after): {grew}"
    assert not too_many, f"pages over {MAX_QUERIES} queries: {too_many}"
