"""Each operation says its side effects out loud (transcripts.operations.effects): after it,
the exact index tasks it queued, the counters it recounted and a new page-cache token, and
none of them when it rolled back. No signal receiver does any of this behind its back."""

import pytest
from django.core.cache import cache
from django.db import transaction

from transcripts.models import Event, Person, Topic, Turn
from transcripts.operations import effects
from transcripts.operations.edits import delete_events, delete_turns, edit_event, edit_turn, set_status
from transcripts.operations.imports import import_transcript
from transcripts.operations.people import delete_person, merge_people, save_person
from transcripts.operations.topics import delete_topics, save_topic
from transcripts.search.models import IndexTask

pytestmark = pytest.mark.django_db

PANEL = """---
title: Harbour Panel
date: 2024-05-01
topics: Shipping
---

ANA ORTIZ: Ports are busy this year.

BEN ADAMS: Ships wait outside the harbour.

ANA ORTIZ: And the cranes are old.
"""


def tasks() -> list[tuple[str, int, str]]:
    return sorted(IndexTask.objects.values_list("model", "object_id", "action"))


def token():
    return cache.get(effects.PAGE_TOKEN_KEY)


@pytest.fixture
def panel(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # its page-cache hook runs, as on commit
        event = import_transcript(PANEL).event
    IndexTask.objects.all().delete()
    return event


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what the operation leaves for after its commit (the page-cache token), as a
    committed request would."""

    def run(operation):
        before = token()
        with django_capture_on_commit_callbacks(execute=True):
            result = operation()
        assert token() not in (None, before)
        return result

    return run


def test_an_import_queues_its_event_recounts_and_renews_the_page_cache(committed):
    IndexTask.objects.all().delete()
    event = committed(lambda: import_transcript(PANEL).event)
    assert tasks() == [("transcripts.event", event.pk, "update")]
    assert Person.objects.get(name="Ana Ortiz").speaking_turn_count == 2
    assert Topic.objects.get(name="Shipping").published_event_count == 1


def test_editing_a_turn_queues_that_turn(panel, committed):
    turn = panel.turns.get(position=2)
    committed(lambda: edit_turn(turn, paragraphs=["Ships wait far outside the harbour."]))
    assert tasks() == [("transcripts.turn", turn.pk, "update")]


def test_handing_a_turn_to_another_speaker_recounts_both(panel, committed):
    turn = panel.turns.get(position=2)
    ana = panel.appearances.get(person__name="Ana Ortiz")
    committed(lambda: edit_turn(turn, speaker=ana))
    assert tasks() == [("transcripts.turn", turn.pk, "update")]
    assert Person.objects.get(name="Ana Ortiz").speaking_turn_count == 3
    assert Person.objects.get(name="Ben Adams").speaking_turn_count == 0


def test_deleting_turns_queues_their_removal_and_recounts(panel, committed):
    turns = list(panel.turns.filter(position__in=[1, 3]))
    committed(lambda: delete_turns(turns))
    assert tasks() == sorted(("transcripts.turn", t.pk, "delete") for t in turns)
    assert Person.objects.get(name="Ana Ortiz").speaking_turn_count == 0


def test_editing_an_event_queues_it_and_recounts_its_topics(panel, committed):
    committed(lambda: edit_event(panel, {"title": "Harbour Panel, Revised", "topics": ["Ports"]}))
    assert tasks() == [("transcripts.event", panel.pk, "update")]
    assert Topic.objects.get(name="Shipping").published_event_count == 0
    assert Topic.objects.get(name="Ports").published_event_count == 1


def test_unpublishing_queues_the_event_and_recounts_its_people(panel, committed):
    committed(lambda: set_status([panel], Event.Status.DRAFT))
    assert tasks() == [("transcripts.event", panel.pk, "update")]
    assert Person.objects.get(name="Ana Ortiz").speaking_event_count == 0
    IndexTask.objects.all().delete()
    assert set_status([Event.objects.get(pk=panel.pk)], Event.Status.DRAFT) == []
    assert tasks() == []  # nothing changed: nothing queued


def test_deleting_an_event_queues_its_removal_and_recounts(panel, committed):
    committed(lambda: delete_events([panel]))
    assert tasks() == [("transcripts.event", panel.pk, "delete")]
    assert Person.objects.get(name="Ana Ortiz").speaking_event_count == 0
    assert Topic.objects.get(name="Shipping").published_event_count == 0


def test_merging_people_queues_both_and_the_events(panel, committed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        other = import_transcript(PANEL.replace("Harbour Panel", "Dock Panel").replace("ANA ORTIZ", "ANA ORTIS")).event
    IndexTask.objects.all().delete()
    keep, duplicate = Person.objects.get(name="Ana Ortiz"), Person.objects.get(name="Ana Ortis")
    gone = duplicate.pk
    committed(lambda: merge_people(keep, duplicate))
    assert tasks() == [
        ("transcripts.event", other.pk, "update"),
        ("transcripts.person", keep.pk, "update"),
        ("transcripts.person", gone, "delete"),
    ]
    assert Person.objects.get(pk=keep.pk).speaking_event_count == 2


def test_deleting_a_person_queues_their_events(panel, committed):
    ben = Person.objects.get(name="Ben Adams")
    gone = ben.pk
    committed(lambda: delete_person(ben))
    assert tasks() == [("transcripts.event", panel.pk, "update"), ("transcripts.person", gone, "delete")]


def test_renaming_a_person_queues_them(panel, committed):
    ben = Person.objects.get(name="Ben Adams")
    ben.name = "Benjamin Adams"
    committed(lambda: save_person(ben))
    assert tasks() == [("transcripts.person", ben.pk, "update")]


def test_renaming_or_deleting_a_topic_queues_its_events(panel, committed):
    shipping = Topic.objects.get(name="Shipping")
    shipping.name = "Shipping and Ports"
    committed(lambda: save_topic(shipping))
    assert tasks() == [("transcripts.event", panel.pk, "update")]
    IndexTask.objects.all().delete()
    committed(lambda: delete_topics([shipping]))
    assert tasks() == [("transcripts.event", panel.pk, "update")]
    assert not panel.topics.exists()


def test_a_rolled_back_operation_leaves_no_task_counter_or_token(panel, django_capture_on_commit_callbacks):
    before_token, before_count = token(), Person.objects.get(name="Ben Adams").speaking_turn_count
    turn = panel.turns.get(position=2)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        delete_turns([turn])
        raise RuntimeError("the request failed after the edit")
    assert callbacks == [] and token() == before_token
    assert tasks() == [] and Turn.objects.filter(pk=turn.pk).exists()
    assert Person.objects.get(name="Ben Adams").speaking_turn_count == before_count


def test_the_writing_thread_sees_its_own_uncommitted_changes_in_the_page_key(panel):
    """Until the commit, pages drawn by the thread that wrote are keyed apart from the old ones."""
    from transcripts.reader.page_cache import archive_version

    with transaction.atomic():
        before = archive_version()
        edit_turn(panel.turns.get(position=1), paragraphs=["Ports are quiet this year."])
        assert archive_version() != before
