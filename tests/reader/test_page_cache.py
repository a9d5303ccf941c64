"""The cached parts of the home, person and topic pages (transcripts/page_cache.py): reused
while nothing changed, never served after a change (edited turn, new or unpublished event,
renamed person), and the topic's passages never kept from an index that was behind."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from search_helpers import make_event, process_queue, search_index, searchable_sample  # noqa: F401

from transcripts.models import Event, Person, Turn
from transcripts.operations.edits import edit_turn, set_status
from transcripts.operations.people import save_person

pytestmark = pytest.mark.django_db


def html_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        html_of(client.get(url))
    return len(ctx.captured_queries)


def passages_of(html: str) -> str:
    return html.split('id="passages-h"')[1].split("</section>")[0]


def test_home_parts_are_reused_until_an_event_is_published_or_withdrawn(client, sample_event):
    first = queries_for(client, "/")
    assert queries_for(client, "/") == 1  # only the archive version: everything else was kept
    assert first > 1

    newer = make_event(
        "A Newer Panel on Supply Chains",
        date=datetime.date(2030, 1, 2),
        turns=[("Ann Newcomer", "panelist", "Supply chains matter.")],
    )
    assert 'href="/events/a-newer-panel-on-supply-chains-2030-01-02/">A Newer Panel on Supply Chains</a>' in html_of(
        client.get("/")
    )
    set_status([newer], Event.Status.DRAFT)
    assert "A Newer Panel on Supply Chains" not in html_of(client.get("/"))


def test_a_renamed_person_shows_renamed_on_the_cached_home_page(client, sample_event):
    assert "Mark Lagon" in html_of(client.get("/"))
    person = Person.objects.get(slug="mark-lagon")
    person.name = "Mark P. Lagon"
    save_person(person)
    assert ">Mark P. Lagon</a>" in html_of(client.get("/"))


def test_person_counts_follow_an_edited_turn(client, sample_event):
    html = html_of(client.get("/people/siddharth-kara/"))
    words = int(re.search(r"<strong>([\d,]+)</strong> words spoken", html)[1].replace(",", ""))
    turn = Turn.objects.filter(event=sample_event, appearance__person__slug="siddharth-kara").order_by("position")[0]
    before = turn.word_count
    edit_turn(turn, paragraphs=["Only these five words, please."])
    html = html_of(client.get("/people/siddharth-kara/"))
    assert int(re.search(r"<strong>([\d,]+)</strong> words spoken", html)[1].replace(",", "")) == words - before + 5
    assert "Only these five words, please." in html  # his turns at the one event, first on the page


def test_topic_passages_follow_an_edited_turn_once_the_queue_has_run(client, searchable_sample):  # noqa: F811
    passages = passages_of(html_of(client.get("/topics/supply-chains/")))
    public_id = re.search(r'href="/t/([\w-]+)/', passages)[1]
    turn = Turn.objects.get(public_id=public_id)
    edit_turn(turn, paragraphs=["Nothing on that subject here, said the zebrafish."])

    # Before the consumer runs, the index still matches the old words, so the turn is still
    # a passage (its text is read from the database); that answer must not be kept.
    assert "zebrafish" in passages_of(html_of(client.get("/topics/supply-chains/")))
    process_queue()
    assert f'href="/t/{public_id}/' not in passages_of(html_of(client.get("/topics/supply-chains/")))

    edit_turn(turn, paragraphs=["Supply chains, said the zebrafish, are long and tangled."])
    process_queue()
    assert "zebrafish, are long and tangled." in passages_of(html_of(client.get("/topics/supply-chains/")))


def test_topic_passages_are_reused_while_nothing_changes(client, searchable_sample, monkeypatch):  # noqa: F811
    html_of(client.get("/topics/supply-chains/"))
    calls = []
    monkeypatch.setattr("transcripts.reader.views.pages.find_turns", lambda *a, **k: calls.append(a) or [])
    assert '<li class="excerpt">' in passages_of(html_of(client.get("/topics/supply-chains/")))
    assert calls == []


def test_a_search_outage_is_not_kept_as_the_topics_passages(client, searchable_sample, monkeypatch):  # noqa: F811
    from transcripts.search.api import SearchUnavailable, find_turns

    def broken(*args, **kwargs):
        raise SearchUnavailable("")

    monkeypatch.setattr("transcripts.reader.views.pages.find_turns", broken)
    assert "Search is unavailable right now" in html_of(client.get("/topics/supply-chains/"))
    monkeypatch.setattr("transcripts.reader.views.pages.find_turns", find_turns)
    html = html_of(client.get("/topics/supply-chains/"))
    assert "Search is unavailable right now" not in html and '<li class="excerpt">' in passages_of(html)


def test_an_import_shows_at_once_in_the_cached_person_and_home_counts(client, sample_event):
    """The counts come from counters the import keeps in its own transaction, and the
    cached parts are keyed by the archive's version: nothing old is served after it."""
    from transcripts.operations.imports import import_transcript

    person_url = "/people/mark-lagon/"
    assert html_of(client.get(person_url)).count("<strong>29</strong> turns") == 1
    assert "1 event · 29 turns" in html_of(client.get("/"))
    import_transcript(
        "---\ntitle: A Later Panel\ndate: 2030-01-02\ntopics: Supply Chains\nparticipants:\n"
        "  - name: Mark Lagon\n    label: LAGON\n    role: presider\n---\n\n"
        "LAGON: Welcome back to the panel.\n\nLAGON: And thank you all.\n"
    )
    html = html_of(client.get(person_url))
    assert "<strong>31</strong> turns" in html and "<strong>2</strong> events" in html
    assert "A Later Panel" in html.split('id="appearances-h"')[1]
    assert "2 events · 31 turns" in html_of(client.get("/"))
