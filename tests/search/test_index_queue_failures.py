"""The queue never stops: an event with over a thousand speakers indexes, and
a task that keeps failing is set aside after a few tries, reported, and does not hold
back the tasks queued with it or after it."""

import datetime
import io

import pytest
from django.core.management import call_command
from haystack.query import SearchQuerySet
from search_helpers import make_event, process_queue, search_engine, search_index  # noqa: F401

from transcripts.models import Appearance, Event, Person, Turn
from transcripts.operations import effects
from transcripts.search import indexing
from transcripts.search.api import find_turns
from transcripts.search.models import IndexTask
from transcripts.search.queue import enqueue_event
from transcripts.search.search_indexes import TurnIndex

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_engine")]


def crowded_event(speakers: int) -> Event:
    """A published event where each of `speakers` people says one thing (made in bulk:
    through the models one by one it would take most of a minute)."""
    event = Event.objects.create(
        title="The Crowded Hall", slug="crowded-hall", date=datetime.date(2021, 5, 4), status=Event.Status.PUBLISHED
    )
    people = Person.objects.bulk_create(
        Person(
            name=f"Speaker Number{i}",
            name_key=f"speaker number{i}",
            sort_name=f"number{i} speaker",
            slug=f"speaker-number{i}",
        )
        for i in range(speakers)
    )
    appearances = Appearance.objects.bulk_create(
        Appearance(event=event, person=person, role="panelist", order=i) for i, person in enumerate(people)
    )
    Turn.objects.bulk_create(
        Turn(
            event=event,
            position=i + 1,
            appearance=appearance,
            label=f"NUMBER{i}",
            paragraphs=[f"Crowded remark {i}."],
            text=f"Crowded remark {i}.",
            word_count=3,
            public_id=f"crowd{i}",
        )
        for i, appearance in enumerate(appearances)
    )
    enqueue_event(event.pk)
    return event


def indexed_count(model) -> int:
    return SearchQuerySet().models(model).count()


def test_an_event_with_1200_speakers_is_indexed_by_the_consumer_and_by_a_rebuild(search_index):
    # Failed before: "OperationalError: Expression tree is too large (maximum depth 1000)".
    crowded_event(1200)
    assert process_queue() == 1  # the whole event, queued after the bulk inserts
    assert IndexTask.objects.count() == 0
    assert (indexed_count(Turn), indexed_count(Event), indexed_count(Person)) == (1200, 1, 1200)
    assert [h.speaker_name for h in find_turns("speaker:number1199")] == ["Speaker Number1199"]
    out = io.StringIO()
    call_command("rebuild_index", "--noinput", stdout=out)
    assert "Indexed 1200 turns, 1 events and 1200 people" in out.getvalue()


@pytest.fixture
def one_bad_turn(search_index, monkeypatch):
    """Two events; indexing one turn of the first raises, as a bug in the index code would."""
    first = make_event(
        "First Panel",
        date=datetime.date(2020, 1, 1),
        turns=[
            ("Ann Able", "presider", "Opening words about cobalt."),
            ("Bea Bold", "panelist", "A poisoned remark about mica."),
        ],
    )
    second = make_event(
        "Second Panel", date=datetime.date(2020, 2, 1), turns=[("Cy Calm", "panelist", "Later words about lithium.")]
    )
    good, bad = first.turns.get(position=1), first.turns.get(position=2)
    # Work that includes the bad turn besides its event's: its own (an edit) and its speaker's
    # (a rename); and the good turn's own (an edit), which must go through.
    effects.queue_index(turns=[good, bad], people=[bad.appearance.person_id])
    prepare_section = TurnIndex.prepare_section

    def failing(self, turn):
        if turn.pk == bad.pk:
            raise ValueError("this turn cannot be indexed")
        return prepare_section(self, turn)

    monkeypatch.setattr(TurnIndex, "prepare_section", failing)
    return bad, second


def queue_bad_then_good(bad, second):
    """Only two tasks queued: the bad turn, then the second event."""
    IndexTask.objects.all().delete()
    IndexTask.objects.create(model="transcripts.turn", object_id=bad.pk, action="update")
    enqueue_event(second.pk)  # queued after the bad task, in the same batch
    return bad, second


def test_a_failing_task_is_set_aside_after_three_tries_and_blocks_nothing(one_bad_turn):
    bad, second = queue_bad_then_good(*one_bad_turn)
    first_try = indexing.process_batch()
    assert (first_try.taken, first_try.applied, first_try.failed, first_try.set_aside) == (2, 1, 1, [])
    assert [h.event_title for h in find_turns("lithium")] == ["Second Panel"]  # the good task was applied
    task = IndexTask.objects.get()
    assert (task.object_id, task.attempts, task.set_aside_at) == (bad.pk, 1, None)
    assert task.last_error == "ValueError: this turn cannot be indexed"
    assert indexing.process_batch().set_aside == []
    third = indexing.process_batch()
    assert [(t.model, t.object_id, t.attempts) for t in third.set_aside] == [("transcripts.turn", bad.pk, 3)]
    assert IndexTask.objects.get().set_aside_at is not None
    # Set aside: later work goes through, the bad task is no longer taken.
    effects.queue_index(turns=[second.turns.get()])
    assert indexing.process_batch().taken == 1
    assert indexing.process_batch().taken == 0
    assert process_queue() == 0


def test_the_command_reports_what_was_set_aside_and_retries_it_on_request(one_bad_turn, monkeypatch):
    bad, _ = one_bad_turn
    out, err = io.StringIO(), io.StringIO()
    call_command("process_index_queue", stdout=out, stderr=err)  # drains: three tries, then set aside
    # Every task whose work includes the bad turn is set aside: the turn's own, its
    # event's, and its speaker's.
    set_aside = {(t.model, t.object_id) for t in IndexTask.objects.exclude(set_aside_at=None)}
    assert set_aside == {
        ("transcripts.turn", bad.pk),
        ("transcripts.event", bad.event_id),
        ("transcripts.person", bad.appearance.person_id),
    }
    assert IndexTask.objects.filter(set_aside_at=None).count() == 0
    reported = [line for line in err.getvalue().splitlines() if line.startswith("Index queue: set aside ")]
    assert len(reported) == 3
    assert (
        f"Index queue: set aside transcripts.turn {bad.pk} (tried 3 times): ValueError: this turn cannot be "
        "indexed. Fix the cause, then run `manage.py process_index_queue --retry-set-aside`."
    ) in reported
    n_set_aside = IndexTask.objects.exclude(set_aside_at=None).count()
    assert f"{n_set_aside} index task(s) are set aside and were not applied." in err.getvalue()
    assert [h.event_title for h in find_turns("lithium")] == ["Second Panel"]  # the other event is searchable
    assert [h.event_title for h in find_turns("cobalt")] == ["First Panel"]  # its own task went through
    assert find_turns("mica") == []
    monkeypatch.undo()  # the cause is fixed
    out, err = io.StringIO(), io.StringIO()
    call_command("process_index_queue", "--retry-set-aside", stdout=out, stderr=err)
    assert f"Queued {n_set_aside} set-aside task(s) again." in out.getvalue()
    assert f"Applied {n_set_aside} queued index task(s)." in out.getvalue() and err.getvalue() == ""
    assert [h.turn_id for h in find_turns("mica")] == [bad.pk]
    assert IndexTask.objects.count() == 0


def test_a_busy_database_counts_against_no_task(one_bad_turn, monkeypatch):
    from django.db import OperationalError

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(indexing, "sync", locked)
    queued = IndexTask.objects.count()
    for _ in range(indexing.MAX_ATTEMPTS + 1):
        with pytest.raises(OperationalError):
            indexing.process_batch()
    assert IndexTask.objects.filter(attempts=0, set_aside_at=None).count() == queued


@pytest.mark.whoosh_only("the time limit is the Whoosh adapter's; OpenSearch bounds a search by the client's timeout")
def test_the_consumer_is_not_held_to_the_search_time_limit(search_index, monkeypatch):
    # A reader's search stops at the time limit; the consumer's own reads must finish.
    event = make_event("Timed Panel", date=None, turns=[("Ed Exact", "panelist", "Words about tin.")])
    process_queue()
    monkeypatch.setattr(indexing.backend(), "time_limit", 0.0)
    assert find_turns("tin OR zinc") == []  # over its time at once: no results for a reader
    Turn.objects.filter(event=event).delete()
    enqueue_event(event.pk)  # the consumer searches for the turns the index holds for this event
    outcome = indexing.process_batch()
    assert (outcome.failed, outcome.applied) == (0, outcome.taken)
    assert IndexTask.objects.count() == 0
    assert indexing.backend().time_limit == 0.0
    monkeypatch.undo()
    assert find_turns("tin OR zinc") == []
    assert indexed_count(Turn) == 0
