"""Every operation that changes what an event says keeps exactly one new version, whoever
calls it: called directly here, and through the admin, which must not
add a second one."""

import pytest
from django.urls import reverse

from tests.staff.test_admin_support import change_form_data, editor, editor_client  # noqa: F401  (fixtures)
from transcripts.models import Appearance, Event, EventRevision, Person, Topic
from transcripts.operations.edits import delete_turns, edit_event, edit_turn
from transcripts.operations.imports import import_transcript, restore_revision
from transcripts.operations.people import merge_people
from transcripts.operations.uploads import confirm, stage_upload
from transcripts.plan import ReviewChoices, plan
from transcripts.snapshots import EventSnapshot
from transcripts.validation import InvalidInput

pytestmark = pytest.mark.django_db


def notes(event) -> list[str]:
    return list(EventRevision.objects.filter(event=event).order_by("number").values_list("note", flat=True))


def latest(event) -> EventSnapshot:
    return EventSnapshot.from_json(EventRevision.objects.filter(event=event).order_by("-number").first().snapshot)


# --- each operation, called directly ---------------------------------------------------


def test_an_import_and_a_correction_each_keep_one_version(sample_text):
    event = import_transcript(sample_text).event
    assert notes(event) == ["Imported (created)"]
    import_transcript(sample_text.replace("Those two case studies give great texture.", "They give texture."))
    assert notes(event) == ["Imported (created)", "Imported (updated)"]
    import_transcript(sample_text.replace("Those two case studies give great texture.", "They give texture."))
    assert len(notes(event)) == 2  # the same text again changes nothing


def test_a_corrected_upload_confirmed_through_the_plan_keeps_one_version(sample_event, sample_text, editor):
    text = sample_text.replace("Those two case studies give great texture.", "They give texture.")
    pending = stage_upload(text, filename="fixed.txt", user=editor)
    confirm(pending, plan(pending, ReviewChoices()), status="published", user=editor)
    assert notes(sample_event) == ["Imported (created)", "Uploaded “fixed.txt” in the admin"]
    assert "They give texture." in latest(sample_event).turns[4].text


def test_edit_turn_keeps_one_version_with_the_new_text_and_speaker(sample_event, editor):
    turn = sample_event.turns.get(position=5)
    kara = sample_event.appearances.get(label="KARA")
    revision = edit_turn(turn, paragraphs=["Tremendous.", "  Two case studies. "], speaker=kara, user=editor)
    assert notes(sample_event) == ["Imported (created)", "Edited turn 5"]
    assert revision.created_by == editor
    turn.refresh_from_db()
    assert turn.paragraphs == ["Tremendous.", "Two case studies."] and turn.appearance == kara
    stored = latest(sample_event).turns[4]
    assert stored.paragraphs == ("Tremendous.", "Two case studies.") and stored.speaker == kara.person.slug


def test_edit_turn_without_a_change_keeps_no_version(sample_event):
    turn = sample_event.turns.get(position=5)
    assert edit_turn(turn, paragraphs=list(turn.paragraphs), speaker=turn.appearance, kind=turn.kind) is None
    assert len(notes(sample_event)) == 1


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"paragraphs": ["  ", ""]}, "A turn needs some text"),
        ({"paragraphs": "one text"}, "paragraphs must be a list of texts"),
        ({"kind": "shout"}, "kind: Value 'shout' is not a valid choice"),
        ({"public_id": "x"}, "edit_turn cannot change public_id"),
    ],
)
def test_edit_turn_refuses_bad_input_and_stores_nothing(sample_event, changes, message):
    turn = sample_event.turns.get(position=5)
    before = (list(turn.paragraphs), turn.kind)
    with pytest.raises(InvalidInput, match=message):
        edit_turn(turn, **changes)
    turn.refresh_from_db()
    assert (turn.paragraphs, turn.kind) == before and len(notes(sample_event)) == 1


def test_edit_turn_refuses_a_speaker_from_another_event(sample_event, sample_text):
    other = import_transcript(sample_text.replace("Thursday, February 17, 2022", "Tuesday, March 8, 2022")).event
    stranger = other.appearances.get(label="KARA")
    with pytest.raises(InvalidInput, match="does not appear at this event"):
        edit_turn(sample_event.turns.get(position=5), speaker=stranger)
    assert len(notes(sample_event)) == 1


def test_edit_event_keeps_one_version_with_the_new_fields_and_topics(sample_event, editor):
    edit_event(
        sample_event, {"title": "Combating Trafficking", "topics": ["Supply Chains", "Human Trafficking"]}, user=editor
    )
    assert notes(sample_event) == ["Imported (created)", "Edited (title, topics)"]
    stored = latest(sample_event).event
    assert stored.title == "Combating Trafficking" and stored.topics == ("Human Trafficking", "Supply Chains")
    assert Event.objects.get(pk=sample_event.pk).title == "Combating Trafficking"
    assert Topic.objects.filter(name="Supply Chains").exists()
    assert edit_event(sample_event, {"title": "Combating Trafficking"}) is None  # nothing changed: no version


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"source_url": "javascript:alert(1)"}, "source_url: .*starting with http://"),
        ({"title": "T" * 301}, "title: Ensure this value has at most 300 characters"),
        ({"source_sha256": "0"}, "edit_event cannot change source_sha256"),
    ],
)
def test_edit_event_refuses_bad_input_and_stores_nothing(sample_event, fields, message):
    with pytest.raises(InvalidInput, match=message):
        edit_event(sample_event, {"title": "Changed", **fields})
    assert Event.objects.get(pk=sample_event.pk).title == "Combating Human Trafficking and Modern Slavery"
    assert len(notes(sample_event)) == 1


def test_delete_turns_keeps_one_version_per_event(sample_event):
    delete_turns(list(sample_event.turns.filter(position__in=[62, 63])))
    assert notes(sample_event) == ["Imported (created)", "Deleted turns 62, 63"]
    assert len(latest(sample_event).turns) == 61


def test_merge_and_restore_each_keep_one_version(sample_event, editor):
    keep = Person.objects.get(name="Mark Lagon")
    twin = Person.objects.create(name="Mark P. Lagon", slug="mark-p-lagon")
    Appearance.objects.create(event=sample_event, person=twin, role="presider", label="MR. LAGON", order=99)
    merge_people(keep, twin, user=editor)
    assert notes(sample_event) == ["Imported (created)", "Merged Mark P. Lagon into Mark Lagon"]
    restore_revision(sample_event.revisions.get(number=1), user=editor)
    assert notes(sample_event)[-1] == "Restored version 1" and len(notes(sample_event)) == 3


# --- through the admin: still exactly one ----------------------------------------------


def test_an_admin_turn_edit_keeps_exactly_one_version(editor_client, sample_event):
    turn = sample_event.turns.get(position=5)
    url = reverse("admin:transcripts_turn_change", args=[turn.pk])
    data = change_form_data(editor_client.get(url))
    data["body"] = "Tremendous.\n\nTwo case studies."
    assert editor_client.post(url, data).status_code == 302
    assert notes(sample_event) == ["Imported (created)", "Edited turn 5 in the admin"]


def test_an_admin_event_edit_with_an_appearance_keeps_exactly_one_version(editor_client, sample_event):
    url = reverse("admin:transcripts_event_change", args=[sample_event.pk])
    data = change_form_data(editor_client.get(url))
    data["title"] = "Combating Trafficking"
    title_field = next(
        k
        for k, v in data.items()
        if k.endswith("-title")
        and k.startswith("appearances-")
        and v == sample_event.appearances.get(label="KARA").title
    )
    data[title_field] = "Author"
    assert editor_client.post(url, data).status_code == 302
    assert notes(sample_event) == ["Imported (created)", "Edited in the admin (title)"]
    stored = latest(sample_event)
    assert stored.event.title == "Combating Trafficking"
    assert next(p for p in stored.participants if p.label == "KARA").title == "Author"


def test_an_admin_edit_of_appearances_only_keeps_exactly_one_version(editor_client, sample_event):
    url = reverse("admin:transcripts_event_change", args=[sample_event.pk])
    data = change_form_data(editor_client.get(url))
    title_field = next(
        k
        for k, v in data.items()
        if k.endswith("-title")
        and k.startswith("appearances-")
        and v == sample_event.appearances.get(label="KARA").title
    )
    data[title_field] = "Author"
    assert editor_client.post(url, data).status_code == 302
    assert notes(sample_event) == ["Imported (created)", "Edited in the admin (appearances)"]


def test_an_admin_turn_delete_keeps_exactly_one_version(editor_client, sample_event):
    turn = sample_event.turns.get(position=63)
    response = editor_client.post(reverse("admin:transcripts_turn_delete", args=[turn.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert notes(sample_event) == ["Imported (created)", "Deleted turn 63 in the admin"]
