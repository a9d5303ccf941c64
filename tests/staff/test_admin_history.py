"""Versions and restores, and admin edits of turns and events: each kept as a version,
each re-indexed through the queue, each in the admin log."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.urls import reverse

from tests.staff.test_admin_support import change_form_data, editor, editor_client  # noqa: F401  (fixtures)
from transcripts.models import Event, EventRevision, Turn
from transcripts.operations.imports import import_transcript
from transcripts.search.models import IndexTask

pytestmark = pytest.mark.django_db


@pytest.fixture
def corrected_event(sample_event, sample_text, editor):
    """The sample, then a correction of one turn: versions 1 and 2."""
    text = sample_text.replace(
        "Those two case studies give great texture.", "Those two case studies give real texture."
    )
    import_transcript(text, event=sample_event, user=editor, note="Fixed a word")
    return sample_event


def test_versions_page_lists_every_version(editor_client, corrected_event):
    response = editor_client.get(reverse("admin:transcripts_event_versions", args=[corrected_event.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert [r.number for r in response.context["revisions"]] == [2, 1]
    assert "Fixed a word" in html and "edith" in html
    assert reverse("admin:transcripts_event_version", args=[corrected_event.pk, 1]) in html
    # Linked from the event's change page.
    change = editor_client.get(reverse("admin:transcripts_event_change", args=[corrected_event.pk]))
    assert reverse("admin:transcripts_event_versions", args=[corrected_event.pk]) in change.content.decode()


def test_version_page_shows_what_restoring_changes(editor_client, corrected_event):
    response = editor_client.get(reverse("admin:transcripts_event_version", args=[corrected_event.pk, 1]))
    assert response.status_code == 200
    diff = response.context["diff"]
    assert (diff.changed, diff.added, diff.removed) == (1, 0, 0)
    html = response.content.decode()
    assert "great texture" in html and "real texture" in html and "Restore version 1" in html


def test_restore_puts_the_old_text_back_with_the_same_public_ids(editor_client, corrected_event, editor):
    ids_before = list(corrected_event.turns.order_by("position").values_list("public_id", flat=True))
    response = editor_client.post(reverse("admin:transcripts_event_version", args=[corrected_event.pk, 1]))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:transcripts_event_versions", args=[corrected_event.pk])
    assert corrected_event.turns.filter(text__contains="great texture").count() == 1
    assert corrected_event.turns.filter(text__contains="real texture").count() == 0
    assert list(corrected_event.turns.order_by("position").values_list("public_id", flat=True)) == ids_before
    latest = corrected_event.revisions.order_by("-number").first()
    assert latest.number == 3 and latest.note == "Restored version 1" and latest.created_by == editor
    log = LogEntry.objects.get(object_id=str(corrected_event.pk), action_flag=CHANGE)
    assert log.change_message.startswith("Restored version 1: ") and "1 changed" in log.change_message
    assert IndexTask.objects.filter(model="transcripts.event", object_id=corrected_event.pk).exists()


def test_restore_needs_change_permission(client, django_user_model, corrected_event):
    from django.contrib.auth.models import Permission

    viewer = django_user_model.objects.create_user("viewer", password="viewer-pass-123", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_event"))
    client.force_login(viewer)
    url = reverse("admin:transcripts_event_version", args=[corrected_event.pk, 1])
    assert "Restore version" not in client.get(url).content.decode()
    assert client.post(url).status_code == 403
    assert corrected_event.revisions.count() == 2


def test_editing_a_turn_reindexes_it_and_keeps_a_version(editor_client, sample_event):
    turn = sample_event.turns.get(position=5)
    kara = sample_event.appearances.get(label="KARA")
    url = reverse("admin:transcripts_turn_change", args=[turn.pk])
    page = editor_client.get(url)
    assert page.status_code == 200
    speaker_choices = list(page.context["adminform"].form.fields["appearance"].queryset)
    assert len(speaker_choices) == sample_event.appearances.count() == 10
    data = change_form_data(page)
    data.update(
        {
            "body": "Tremendous.\n\n  Those two case studies   give great texture. (Laughs.)  ",
            "appearance": str(kara.pk),
        }
    )
    IndexTask.objects.all().delete()
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    turn.refresh_from_db()
    assert turn.paragraphs == ["Tremendous.", "Those two case studies give great texture. (Laughs.)"]
    assert turn.appearance == kara and turn.public_id == Turn.objects.get(pk=turn.pk).public_id
    assert IndexTask.objects.filter(model="transcripts.turn", object_id=turn.pk, action="update").exists()
    revision = sample_event.revisions.order_by("-number").first()
    assert revision.note == "Edited turn 5 in the admin"
    assert revision.snapshot["turns"][4]["paragraphs"] == turn.paragraphs
    assert LogEntry.objects.filter(object_id=str(turn.pk), action_flag=CHANGE).exists()


def test_a_turn_cannot_be_emptied(editor_client, sample_event):
    turn = sample_event.turns.get(position=5)
    url = reverse("admin:transcripts_turn_change", args=[turn.pk])
    data = change_form_data(editor_client.get(url))
    data["body"] = "  \n\n  "
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "A turn needs some text" in response.content.decode()
    turn.refresh_from_db()
    assert turn.text.startswith("Tremendous.")


def test_editing_an_event_keeps_a_version(editor_client, sample_event):
    url = reverse("admin:transcripts_event_change", args=[sample_event.pk])
    data = change_form_data(editor_client.get(url))
    data["title"] = "Combating Trafficking"
    response = editor_client.post(url, data)
    assert response.status_code == 302
    sample_event.refresh_from_db()
    assert sample_event.title == "Combating Trafficking"
    revision = sample_event.revisions.order_by("-number").first()
    assert revision.number == 2 and revision.note == "Edited in the admin (title)"
    assert revision.snapshot["event"]["title"] == "Combating Trafficking"
    assert IndexTask.objects.filter(model="transcripts.event", object_id=sample_event.pk).exists()


def test_saving_an_unchanged_event_adds_no_version(editor_client, sample_event):
    url = reverse("admin:transcripts_event_change", args=[sample_event.pk])
    editor_client.post(url, change_form_data(editor_client.get(url)))
    assert EventRevision.objects.filter(event=sample_event).count() == 1


def test_publish_and_unpublish_actions_are_logged(editor_client, sample_event):
    changelist = reverse("admin:transcripts_event_changelist")
    editor_client.post(changelist, {"action": "unpublish", "_selected_action": [sample_event.pk]})
    sample_event.refresh_from_db()
    assert sample_event.status == Event.Status.DRAFT
    IndexTask.objects.all().delete()
    editor_client.post(changelist, {"action": "publish", "_selected_action": [sample_event.pk]})
    sample_event.refresh_from_db()
    assert sample_event.status == Event.Status.PUBLISHED
    assert IndexTask.objects.filter(model="transcripts.event", object_id=sample_event.pk).exists()
    messages = list(LogEntry.objects.filter(object_id=str(sample_event.pk)).values_list("change_message", flat=True))
    assert "Status set to draft." in messages and "Status set to published." in messages


def test_deleting_a_turn_keeps_a_version(editor_client, sample_event):
    turn = sample_event.turns.get(position=63)
    response = editor_client.post(reverse("admin:transcripts_turn_delete", args=[turn.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert sample_event.turns.count() == 62
    assert sample_event.revisions.order_by("-number").first().note == "Deleted turn 63 in the admin"
    assert IndexTask.objects.filter(model="transcripts.turn", object_id=turn.pk, action="delete").exists()
