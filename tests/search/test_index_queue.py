"""The index queue and its consumer, and rebuild_index: the index ends up holding exactly
what the database holds (published events, their turns and speakers)."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import transaction
from haystack.query import SearchQuerySet
from search_helpers import make_event, process_queue, search_engine, search_index, searchable_sample  # noqa: F401

from transcripts.models import Event, Person, Turn
from transcripts.operations.edits import delete_events, delete_turns, edit_event, edit_turn, set_status
from transcripts.operations.imports import import_transcript
from transcripts.operations.people import save_person
from transcripts.search import indexing
from transcripts.search.api import find_turns
from transcripts.search.engine import find_events, run_turn_search
from transcripts.search.filters import SearchFilters
from transcripts.search.models import IndexTask
from transcripts.search.syntax import parse_query

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_engine")]


def indexed(model) -> set[int]:
    sqs = SearchQuerySet().models(model)
    return {int(r.pk) for r in sqs[: max(sqs.count(), 1)]}


def expected_in_index():
    published = Event.objects.published()
    return (
        set(Turn.objects.filter(event__in=published).values_list("pk", flat=True)),
        set(published.values_list("pk", flat=True)),
        set(Person.objects.filter(appearances__event__in=published).values_list("pk", flat=True)),
    )


def assert_index_matches_database():
    turns, events, people = expected_in_index()
    assert indexed(Turn) == turns
    assert indexed(Event) == events
    assert indexed(Person) == people


def test_changes_enqueue_in_their_transaction(searchable_sample):
    turn = searchable_sample.turns.first()
    assert IndexTask.objects.count() == 0
    with pytest.raises(RuntimeError), transaction.atomic():
        edit_turn(turn, paragraphs=["Rolled back."])
        assert IndexTask.objects.filter(model="transcripts.turn", object_id=turn.pk).exists()
        raise RuntimeError
    assert IndexTask.objects.count() == 0
    edit_turn(searchable_sample.turns.first(), paragraphs=["Kept."])
    assert list(IndexTask.objects.values_list("model", "object_id", "action")) == [
        ("transcripts.turn", turn.pk, "update")
    ]
    assert process_queue() == 1 and IndexTask.objects.count() == 0


def test_sample_import_is_indexed_exactly(searchable_sample):
    assert_index_matches_database()
    assert len(indexed(Turn)) == 63


def test_editing_a_turn_reindexes_it(searchable_sample):
    turn = searchable_sample.turns.get(position=10)
    edit_turn(turn, paragraphs=["A brand new remark about quokkas."])
    assert find_turns("quokkas") == []  # not yet applied: nothing is written inside the request
    process_queue()
    assert [h.turn_id for h in find_turns("quokkas")] == [turn.pk]


def test_renaming_a_person_reindexes_their_turns(searchable_sample):
    kara = Person.objects.get(slug="siddharth-kara")
    kara.name = "Siddharth Q. Xanthopoulos"
    save_person(kara)
    process_queue()
    hits = find_turns("speaker:xanthopoulos", limit=50)
    assert len(hits) == 9 and {h.speaker_name for h in hits} == {"Siddharth Q. Xanthopoulos"}
    assert find_turns("speaker:kara") == []
    assert [e.pk for e in find_events(parse_query("xanthopoulos"))] == [searchable_sample.pk]


def test_editing_an_event_reindexes_its_turns(searchable_sample):
    edit_event(searchable_sample, {"title": "Renamed Wombat Panel", "date": datetime.date(2020, 1, 1)})
    process_queue()
    hits = find_turns("trafficking", limit=50)
    assert hits and {h.event_title for h in hits} == {"Renamed Wombat Panel"}
    assert {h.event_date for h in hits} == {datetime.date(2020, 1, 1)}
    assert run_turn_search("trafficking", SearchFilters(date_to=datetime.date(2021, 1, 1))).total == 26


def test_deleting_and_unpublishing_remove_turns(searchable_sample):
    turn = searchable_sample.turns.get(position=5)
    delete_turns([turn])
    process_queue()
    assert turn.pk not in indexed(Turn)
    assert_index_matches_database()
    set_status([searchable_sample], Event.Status.DRAFT)
    process_queue()
    assert indexed(Turn) == indexed(Event) == indexed(Person) == set()
    set_status([searchable_sample], Event.Status.PUBLISHED)
    process_queue()
    assert_index_matches_database()
    delete_events([searchable_sample])
    process_queue()
    assert indexed(Turn) == indexed(Event) == set()


def test_reimport_replaces_turns_without_leaving_stale_ones(searchable_sample, sample_text):
    before = indexed(Turn)
    changed = sample_text.replace("cobalt mines", "cobalt quarries")
    result = import_transcript(changed, event=searchable_sample, status="published")
    assert result.action == "updated"
    process_queue()
    after = indexed(Turn)
    assert not before & after  # the importer recreates turns, so every old document went
    assert_index_matches_database()
    assert len(find_turns("quarries")) == 1


def test_a_person_dropped_from_an_event_leaves_the_person_index(searchable_sample):
    jo = make_event("Solo Panel", date=datetime.date(2021, 2, 2), turns=[("Jo Solo", "panelist", "Hello.")])
    process_queue()
    assert Person.objects.get(name="Jo Solo").pk in indexed(Person)
    edit_event(jo, {}, related_changed=True, save_related=lambda: jo.appearances.all().delete())
    process_queue()
    assert_index_matches_database()


def test_rebuild_index_holds_exactly_the_database(searchable_sample):
    make_event("Draft Only", date=None, status="draft", turns=[("Dee Draft", "panelist", "Invisible words.")])
    Turn.objects.filter(pk=searchable_sample.turns.first().pk).update(
        paragraphs=["Edited behind the queue's back."], text="Edited behind the queue's back."
    )
    out = io.StringIO()
    call_command("rebuild_index", "--noinput", stdout=out)
    assert "Indexed 63 turns, 1 events and 9 people" in out.getvalue()  # the operator is no person
    assert IndexTask.objects.count() == 0  # everything queued before the rebuild is covered by it
    assert_index_matches_database()
    assert len(find_turns("behind the queue's back")) == 1


def test_search_keeps_answering_during_a_rebuild(searchable_sample, monkeypatch):
    seen = {}
    write_everything = indexing._write_everything

    def slow_write(target, progress=None):
        seen["during"] = len(find_turns("trafficking", limit=100))
        counts = write_everything(target, progress)
        seen["before_swap"] = len(find_turns("trafficking", limit=100))
        Turn.objects.filter(pk=searchable_sample.turns.last().pk).update(paragraphs=["late change"], text="late change")
        IndexTask.objects.create(model="transcripts.turn", object_id=searchable_sample.turns.last().pk, action="update")
        return counts

    monkeypatch.setattr(indexing, "_write_everything", slow_write)
    indexing.rebuild()
    assert seen == {"during": 26, "before_swap": 26}
    assert IndexTask.objects.count() == 1  # queued during the rebuild: left for the consumer
    assert process_queue() == 1
    assert len(find_turns("late change")) == 1


def test_management_commands(searchable_sample):
    edit_turn(searchable_sample.turns.first(), paragraphs=["Said again."])
    out = io.StringIO()
    call_command("process_index_queue", stdout=out)
    assert "Applied 1 queued index task(s)." in out.getvalue()
