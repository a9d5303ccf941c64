"""Creating and deleting events in the admin (transcripts.operations.edits), called directly:
the rows left, the counters recounted, the index work queued, the page cache renewed on commit."""

import pytest
from django.core.cache import cache

from transcripts.models import Appearance, Event, EventRevision, Person, Topic, Turn
from transcripts.operations import effects
from transcripts.operations.edits import create_event, delete_events, edit_turn
from transcripts.operations.imports import import_transcript
from transcripts.search.models import IndexTask
from transcripts.validation import InvalidInput

pytestmark = pytest.mark.django_db

PANEL = "Harbour Panel\n\nMay 1, 2024\n\nANA ORTIZ: Ports are busy.\n\nBEN ADAMS: Ships wait outside.\n"
OTHER_PANEL = "Crane Panel\n\nMay 2, 2024\n\nANA ORTIZ: The cranes are old.\n"


def imported(text, topics=("Shipping",)):
    event = import_transcript(text, metadata={"topics": list(topics)}).event
    IndexTask.objects.all().delete()
    return event


def tasks():
    return sorted(IndexTask.objects.values_list("model", "object_id", "action"))


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run an operation as a committed request would, and check it set a new page-cache token."""

    def run(operation):
        cache.set(effects.PAGE_TOKEN_KEY, "before", None)
        with django_capture_on_commit_callbacks(execute=True):
            result = operation()
        assert cache.get(effects.PAGE_TOKEN_KEY) not in (None, "before")
        return result

    return run


def test_creating_an_event_stores_it_and_queues_it(committed):
    event = Event(title="A New Panel", slug="a-new-panel", status="draft")
    assert committed(lambda: create_event(event)) is event
    stored = Event.objects.get()
    assert (stored.pk, stored.title, stored.slug, stored.status) == (event.pk, "A New Panel", "a-new-panel", "draft")
    assert tasks() == [("transcripts.event", event.pk, "update")]
    assert not EventRevision.objects.exists()  # its first version follows with its speakers


def test_deleting_events_takes_their_rows_recounts_and_drops_them_from_the_index(committed):
    harbour, crane = imported(PANEL), imported(OTHER_PANEL, topics=("Shipping", "Cranes"))
    kept = imported("Kept Panel\n\nMay 3, 2024\n\nBEN ADAMS: Still here.\n")
    assert Person.objects.get(name="Ana Ortiz").speaking_event_count == 2
    gone = committed(lambda: delete_events(Event.objects.filter(pk__in=[harbour.pk, crane.pk])))
    assert gone == 2
    assert list(Event.objects.values_list("pk", flat=True)) == [kept.pk]
    assert set(Turn.objects.values_list("event_id", flat=True)) == {kept.pk}
    assert set(Appearance.objects.values_list("event_id", flat=True)) == {kept.pk}
    assert set(EventRevision.objects.values_list("event_id", flat=True)) == {kept.pk}
    assert Person.objects.get(name="Ana Ortiz").speaking_event_count == 0
    assert Person.objects.get(name="Ben Adams").speaking_event_count == 1
    assert Topic.objects.get(name="Shipping").published_event_count == 1
    assert Topic.objects.get(name="Cranes").published_event_count == 0
    assert tasks() == sorted([("transcripts.event", harbour.pk, "delete"), ("transcripts.event", crane.pk, "delete")])


def test_deleting_an_event_already_gone_counts_only_those_that_went():
    harbour = imported(PANEL)
    stale = Event.objects.get(pk=harbour.pk)
    Event.objects.filter(pk=harbour.pk).delete()
    assert delete_events([stale]) == 0
    assert delete_events([]) == 0


def test_a_turn_exactly_as_big_as_a_whole_transcript_may_be_is_taken(settings):
    settings.VERBATIM_MAX_UPLOAD_BYTES = 1000
    turn = imported(PANEL).turns.get(position=1)
    with pytest.raises(InvalidInput) as refused:
        edit_turn(turn, paragraphs=["é" * 500, "x"])
    assert str(refused.value) == (
        "The turn's text is 1,001 bytes, more than a whole transcript may be (1,000); split it into several turns."
    )
    assert Turn.objects.get(pk=turn.pk).paragraphs == ["Ports are busy."]
    assert edit_turn(turn, paragraphs=["é" * 500]).note == "Edited turn 1"
    assert Turn.objects.get(pk=turn.pk).paragraphs == ["é" * 500]
