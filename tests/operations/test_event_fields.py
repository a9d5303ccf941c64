"""The event's fields are declared once (transcripts/event_fields.py): each place that
lists them is derived from the declaration, and the Django model agrees with it."""

import dataclasses
import datetime
import json

import pytest
from django.db import models

from transcripts import event_fields
from transcripts.event_fields import BY_NAME, FIELDS
from transcripts.models import Event
from transcripts.operations.imports import import_transcript
from transcripts.parsing import parse_transcript
from transcripts.parsing.frontmatter import KEY_ALIASES, SCALAR_KEYS
from transcripts.parsing.model import Transcript
from transcripts.snapshots import EventFields, EventSnapshot
from transcripts.staff.admin.events import EventAdmin
from transcripts.staff.forms import ReviewForm, UploadForm, WebLinkField
from transcripts.validation import SIDECAR_KEYS, InvalidInput, validate_sidecar

BODY = "ALICE SMITH: Good morning, everyone.\n\nBOB JONES: Thank you, Alice.\n\nALICE SMITH: Let us begin.\n"
# A value of each kind that is valid, as front matter or a sidecar writes it, and as stored.
GOOD = {
    "text": ("Panel #3 on trade", "Panel #3 on trade"),
    "url": ("https://example.org/panel", "https://example.org/panel"),
    "language": ("fr", "fr"),
    "date": ("2024-05-01", datetime.date(2024, 5, 1)),
    "topics": (["Trade", "Labour"], ["Trade", "Labour"]),
}
# Event model fields that are not event fields anyone gives: derived, internal or the
# event's own machinery. Any other model field must be declared.
NOT_DECLARED = {
    "id",
    "slug",
    "status",
    "description_html",
    "source_text",
    "source_sha256",
    "people",
    "created",
    "updated",
}
MODEL_KINDS = {
    "text": (models.CharField, models.TextField),
    "url": (models.URLField,),
    "date": (models.DateField,),
    "language": (models.CharField,),
    "topics": (models.ManyToManyField,),
    "media": (models.FileField, models.JSONField),
}


def test_the_model_and_the_declaration_agree():
    """A field added to the model and not declared (or the other way round) fails here."""
    model_fields = {f.name: f for f in Event._meta.get_fields() if not f.auto_created or f.concrete}
    model_fields = {name: f for name, f in model_fields.items() if not f.one_to_many}
    assert set(model_fields) - NOT_DECLARED == {f.name for f in FIELDS}
    for declared in FIELDS:
        field = model_fields[declared.name]
        assert isinstance(field, MODEL_KINDS[declared.kind]), declared.name
        if declared.max_length is not None or isinstance(field, models.CharField):
            assert field.max_length == declared.max_length, declared.name


def test_the_snapshot_dataclass_is_the_declaration():
    fields = dataclasses.fields(EventFields)
    assert [f.name for f in fields] == [f.name for f in FIELDS]
    assert [f.metadata["kind"] for f in fields] == [f.kind for f in FIELDS]


def test_the_parsers_transcript_has_every_front_matter_field():
    plain = {f.name for f in dataclasses.fields(Transcript)}
    assert set(event_fields.FRONT_MATTER_FIELDS) <= plain


def test_front_matter_keys_are_the_declared_fields_and_aliases():
    assert set(event_fields.FRONT_MATTER_FIELDS) - {"topics"} == SCALAR_KEYS
    for declared in FIELDS:
        for alias in declared.aliases:
            assert KEY_ALIASES[alias] == declared.name
    assert "photo_credit" not in SCALAR_KEYS  # declared as not given in front matter


@pytest.mark.parametrize("declared", [f for f in FIELDS if f.front_matter], ids=lambda f: f.name)
def test_front_matter_gives_every_declared_field(declared):
    written, stored = GOOD[declared.kind]
    value = ", ".join(written) if isinstance(written, list) else written
    transcript = parse_transcript(f"---\n{declared.name}: {value}\n---\n{BODY}")
    assert getattr(transcript, declared.name) == stored


@pytest.mark.parametrize("declared", [f for f in FIELDS if f.aliases], ids=lambda f: f.name)
def test_front_matter_reads_each_alias(declared):
    written, stored = GOOD[declared.kind]
    for alias in declared.aliases:
        transcript = parse_transcript(f"---\n{alias}: {written}\n---\n{BODY}")
        assert getattr(transcript, declared.name) == stored


def test_sidecar_keys_are_the_declared_fields_and_status():
    assert (*event_fields.SIDECAR_FIELDS, "status") == SIDECAR_KEYS
    assert "media_file" not in SIDECAR_KEYS and "alignment" not in SIDECAR_KEYS


@pytest.mark.parametrize("declared", [f for f in FIELDS if f.sidecar], ids=lambda f: f.name)
def test_sidecar_checks_every_declared_field_by_its_kind(declared):
    written, stored = GOOD[declared.kind]
    assert validate_sidecar({declared.name: written}) == {declared.name: stored}
    with pytest.raises(InvalidInput) as refused:
        validate_sidecar({declared.name: 12})  # a number is no field's value
    assert declared.name in str(refused.value)


def test_sidecar_refuses_a_text_longer_than_declared():
    with pytest.raises(InvalidInput, match="organiser is 201 characters long; it may be at most 200"):
        validate_sidecar({"organiser": "x" * 201})


def test_sidecar_takes_aliases_under_the_field_name():
    assert validate_sidecar({"organizer": "CFR", "lang": "German"}) == {"organiser": "CFR", "language": "de"}


def test_forms_have_the_declared_fields_with_their_limits():
    upload, review = UploadForm(), ReviewForm()
    assert [n for n in event_fields.UPLOAD_FIELDS if n != "topics"] == [b.name for b in upload.event_fields()]
    assert [n for n in event_fields.REVIEWED_FIELDS if n != "topics"] == [b.name for b in review.event_fields()]
    assert "topics" in upload.fields and "topics" in review.fields
    for form in (upload, review):
        for bound in form.event_fields():
            declared = BY_NAME[bound.name]
            assert bound.label == declared.label
            if declared.kind in ("text", "url"):
                assert bound.field.max_length == declared.max_length
            assert isinstance(bound.field, WebLinkField) == (declared.kind == "url")


def test_review_form_metadata_carries_every_reviewed_field():
    data = {"title": "A panel", "date": "2024-05-01", "description": "About it.", "organiser": "CFR"}
    data |= {"source_url": "https://example.org/a", "media_url": "https://example.org/a.mp3", "language": "es"}
    data |= {"status": "draft"}
    form = ReviewForm(data)
    assert form.is_valid(), form.errors
    metadata = form.metadata()
    assert set(metadata) == set(event_fields.REVIEWED_FIELDS)
    assert metadata["language"] == "es" and metadata["date"] == "2024-05-01" and metadata["topics"] == []


def test_every_indexed_field_is_a_field_of_the_turn_documents():
    from transcripts.search.search_indexes import TURN_DOCUMENT_COLUMNS, TurnIndex

    for name in event_fields.INDEXED_FIELDS:
        assert name in TurnIndex.fields and f"event__{name}" in TURN_DOCUMENT_COLUMNS


def test_admin_source_fieldset_is_declared():
    source = dict(EventAdmin.fieldsets)["Source"]["fields"]
    assert source == event_fields.names(admin_source=True)
    assert "language" in source


@pytest.mark.django_db
def test_event_json_has_the_declared_fields(client):
    text = (
        "---\ntitle: Trade talks\ndate: 2024-05-01\norganiser: CFR\nsource_url: https://example.org/t\n"
        f"media_url: https://example.org/t.mp3\nlanguage: fr\n---\n{BODY}"
    )
    event = import_transcript(text, status="published").event
    data = client.get(event.get_absolute_url(), {"format": "json"}).json()
    summary = client.get("/events/", {"format": "json"}).json()["events"][0]
    for declared in FIELDS:
        if declared.json:
            expected = {"date": "2024-05-01"}.get(declared.name, getattr(event, declared.name))
            assert data[declared.name] == expected, declared.name
        if declared.json == event_fields.SUMMARY:
            assert summary[declared.name] == data[declared.name], declared.name
        elif declared.name in ("photo_credit", "description"):
            assert declared.name not in summary
    assert data["language"] == "fr" and summary["language"] == "fr"
    assert "source_url" not in summary


@pytest.mark.django_db
def test_a_snapshot_carries_every_declared_string_field_through_json():
    event = Event.objects.create(title="T", slug="t", organiser="O", language="de", photo_credit="P")
    snapshot = EventSnapshot.from_event(event)
    again = EventSnapshot.from_json(json.loads(json.dumps(snapshot.to_json())))
    for name in event_fields.STRING_FIELDS:
        assert getattr(again.event, name) == getattr(event, name), name
    assert again.event.language == "de"
