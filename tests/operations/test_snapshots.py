"""Typed, versioned snapshots (transcripts/snapshots.py): what they hold, their JSON form,
version 1 rows (stored before snapshots carried "schema"), the migration that marks them,
and readers that meet a snapshot they cannot read."""

import dataclasses
import datetime
from importlib import import_module

import django.apps
import pytest
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse

from tests.staff.test_admin_support import editor, editor_client  # noqa: F401  (fixtures)
from transcripts.models import Event, EventRevision, TurnRevision
from transcripts.operations.imports import import_transcript, restore_revision
from transcripts.parsing import parse_transcript
from transcripts.snapshots import EventSnapshot, SnapshotError

pytestmark = pytest.mark.django_db
MIGRATION = import_module("transcripts.migrations.0007_snap_schema_version")


def version_1(snapshot: dict) -> dict:
    """A snapshot as the code before schema 2 stored it: no "schema"; an import's revision
    from before the media fields had no media keys and no paragraph starts."""
    old = {key: value for key, value in snapshot.items() if key != "schema"}
    old["event"] = {k: v for k, v in snapshot["event"].items() if k not in ("media_file", "captions_file", "alignment")}
    old["turns"] = [
        {k: v for k, v in t.items() if k not in ("paragraph_starts", "start_seconds")} for t in snapshot["turns"]
    ]
    return old


def test_an_event_snapshot_is_typed_and_its_json_carries_the_schema(sample_event):
    snapshot = EventSnapshot.from_event(sample_event)
    assert snapshot.event.title == "Combating Human Trafficking and Modern Slavery"
    assert snapshot.event.date == datetime.date(2022, 2, 17)
    assert len(snapshot.participants) == 10 and len(snapshot.turns) == 63
    first = snapshot.turns[0]
    assert first.speaker == "mark-lagon" and first.public_id == sample_event.turns.get(position=1).public_id
    assert isinstance(first.paragraphs, tuple) and first.paragraphs[0].startswith("Thank you")
    with pytest.raises(dataclasses.FrozenInstanceError):
        snapshot.event.title = "Changed"
    data = snapshot.to_json()
    assert data["schema"] == EventSnapshot.SCHEMA_VERSION == 2
    assert data["event"]["date"] == "2022-02-17" and data["event"]["media_file"] == ""
    assert EventSnapshot.from_json(data) == snapshot


def test_a_parsed_transcript_says_nothing_about_the_recording(sample_text):
    snapshot = EventSnapshot.from_transcript(
        parse_transcript(sample_text),
        metadata={"title": "Retitled", "date": "2023-01-02", "organiser": ""},
        people={"Mark Lagon": {"name": "Mark P. Lagon", "role": "panelist"}},
    )
    assert snapshot.event.title == "Retitled" and snapshot.event.date == datetime.date(2023, 1, 2)
    assert snapshot.event.organiser == "Council on Foreign Relations"  # an empty override keeps the header's
    lagon = next(p for p in snapshot.participants if p.key == "Mark Lagon")
    assert (lagon.name, lagon.role, lagon.label) == ("Mark P. Lagon", "panelist", "LAGON")
    assert snapshot.event.media_file is None and "media_file" not in snapshot.to_json()["event"]
    assert all(t.public_id is None for t in snapshot.turns)


def test_a_version_1_snapshot_loads(sample_event):
    old = version_1(EventSnapshot.from_event(sample_event).to_json())
    snapshot = EventSnapshot.from_json(old)
    assert len(snapshot.turns) == 63 and snapshot.turns[4].paragraph_starts == ()
    assert snapshot.event.media_file is None  # absent: applying it keeps the event's recording
    assert snapshot.turns[4].paragraphs == tuple(sample_event.turns.get(position=5).paragraphs)


def test_a_revision_row_stored_in_the_old_shape_restores(sample_event, sample_text):
    row = sample_event.revisions.get(number=1)
    EventRevision.objects.filter(pk=row.pk).update(snapshot=version_1(row.snapshot))
    original = list(sample_event.turns.values_list("public_id", "text"))
    import_transcript(sample_text.replace("Those two case studies give great texture.", "They give texture."))
    assert list(Event.objects.get().turns.values_list("public_id", "text")) != original
    restore_revision(EventRevision.objects.get(pk=row.pk))
    assert list(Event.objects.get().turns.values_list("public_id", "text")) == original
    assert Event.objects.get().revisions.order_by("-number").first().snapshot["schema"] == 2


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda d: d.update(schema=3), "schema version 3; this Verbatim reads versions 1, 2"),
        (lambda d: d.pop("turns"), "a required field is missing ('turns')"),
        (lambda d: d["turns"][0].pop("paragraphs"), "a required field is missing ('paragraphs') from turn 1"),
        (lambda d: d["turns"][1].update(paragraphs="one text"), "turn 2 paragraphs must be a list"),
        (lambda d: d.update(participants={"a": 1}), "the snapshot participants must be a list"),
        (lambda d: d["event"].update(date="17/02/2022"), "date is '17/02/2022'"),
    ],
)
def test_a_snapshot_that_cannot_be_read_says_why(sample_event, edit, message):
    data = EventSnapshot.from_event(sample_event).to_json()
    edit(data)
    with pytest.raises(SnapshotError) as caught:
        EventSnapshot.from_json(data)
    assert message in str(caught.value)


def test_not_a_snapshot_at_all():
    with pytest.raises(SnapshotError, match="must be a JSON object, not list"):
        EventSnapshot.from_json([1, 2])


# --- migration 0007 ---------------------------------------------------------------------


def test_the_migration_marks_old_rows_and_leaves_new_ones(sample_event):
    row = sample_event.revisions.get(number=1)
    old = version_1(row.snapshot)
    EventRevision.objects.filter(pk=row.pk).update(snapshot=old)
    newer = EventRevision.objects.create(
        event=sample_event, number=2, snapshot=EventSnapshot.from_event(sample_event).to_json()
    )
    MIGRATION.mark(django.apps.apps, None)
    assert EventRevision.objects.get(pk=row.pk).snapshot == {"schema": 2, **old}
    assert EventRevision.objects.get(pk=newer.pk).snapshot == newer.snapshot
    MIGRATION.unmark(django.apps.apps, None)
    assert EventRevision.objects.get(pk=row.pk).snapshot == old


def test_the_migration_follows_the_media_merge():
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    assert ("transcripts", "0006_merge_media") in graph.node_map[("transcripts", "0007_snap_schema_version")].parents


# --- readers meeting an unreadable snapshot --------------------------------------------


def unreadable_revision(event) -> EventRevision:
    snapshot = EventSnapshot.from_event(event).to_json()
    return EventRevision.objects.create(
        event=event, number=2, note="from a newer Verbatim", snapshot={**snapshot, "schema": 99}
    )


def test_the_versions_pages_show_an_unreadable_version_without_failing(editor_client, sample_event):
    unreadable_revision(sample_event)
    listing = editor_client.get(reverse("admin:transcripts_event_versions", args=[sample_event.pk]))
    assert listing.status_code == 200
    assert [(r.number, r.turn_count) for r in listing.context["revisions"]] == [(2, "?"), (1, 63)]
    page = editor_client.get(reverse("admin:transcripts_event_version", args=[sample_event.pk, 2]), follow=True)
    assert page.status_code == 200
    assert "Version 2 cannot be read" in page.content.decode() and "schema version 99" in page.content.decode()
    restore = editor_client.post(reverse("admin:transcripts_event_version", args=[sample_event.pk, 2]))
    assert restore.status_code == 302 and sample_event.revisions.count() == 2


def test_a_quote_link_is_vouched_for_by_the_turns_kept_text_not_by_an_unreadable_version(
    client, sample_event, sample_text
):
    thanks = sample_event.turns.get(text="Thanks.")
    import_transcript(sample_text.replace("\nLAGON: Thanks.\n", "\n"))
    assert client.get(f"/q/{thanks.public_id}/", {"text": "Thanks."}).status_code == 200  # its earlier text knows it
    # Damaging the version afterwards changes nothing: the earlier text was kept when it was read.
    EventRevision.objects.filter(event=sample_event, number=1).update(
        snapshot={**sample_event.revisions.get(number=1).snapshot, "schema": 99}
    )
    assert client.get(f"/q/{thanks.public_id}/", {"text": "Thanks."}).status_code == 200
    # Versions are not read at all: without its kept text the link vouches for nothing.
    TurnRevision.objects.all().delete()
    assert client.get(f"/q/{thanks.public_id}/", {"text": "Thanks."}).status_code == 404
