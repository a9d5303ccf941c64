"""Corrections keep what staff decided (transcripts/corrections.py, transcripts/plan.py):
speaker mappings, roles, titles, organiser, topics and media survive a re-upload unless
the new file says otherwise; the preview shows each role's reason, lists what changes and
flags a text that is already stored as another event."""

import pytest

from tests.staff.test_admin_support import (  # noqa: F401  (fixtures)
    editor,
    editor_client,
    review_url,
    speaker_field,
    submit_review,
    upload,
)
from transcripts.models import Appearance, Event, PendingUpload, Person, Topic
from transcripts.operations.imports import import_transcript

pytestmark = pytest.mark.django_db

FORUM = """---
title: Water Forum
date: 2024-05-01
---
ANN LEE: Welcome to the water forum. Joining us is Bob Kim.

BOB KIM: Thanks, Ann. Rivers matter.

Q: Hi, I'm Jane Doe from Reuters. What about lakes?

BOB KIM: Lakes too.
"""
CORRECTED = FORUM.replace("Lakes too.", "Lakes as well.")


@pytest.fixture
def decided():
    """The forum as staff left it: roles, a title, a questioner mapped to an existing
    person, the organiser, a topic and the recording set by hand."""
    event = import_transcript(FORUM, status="published").event
    event.appearances.filter(label="ANN LEE").update(role="host")
    event.appearances.filter(label="BOB KIM").update(title="Hydrologist, State University")
    reporter = Person.objects.create(name="Jane Q. Doe", slug="jane-q-doe")
    event.appearances.filter(label="Q").update(person=reporter)
    event.organiser = "Rivers Trust"
    event.media_url = "https://example.org/forum.mp3"
    event.media_file.name = "media/forum.mp3"
    event.save()
    event.topics.add(Topic.objects.create(name="Water", slug="water"))
    return event


def rows(event: Event) -> dict:
    return {
        a.label: (a.speaker_name, a.person.slug if a.person_id else None, a.role, a.title)
        for a in Appearance.objects.filter(event=event).select_related("person")
    }


KEPT_ROWS = {
    "ANN LEE": ("Ann Lee", "ann-lee", "host", ""),
    "BOB KIM": ("Bob Kim", "bob-kim", "panelist", "Hydrologist, State University"),
    "Q": ("Jane Q. Doe", "jane-q-doe", "questioner", ""),
}


def test_the_parser_alone_gives_other_values_than_staff_chose(decided):
    fresh = import_transcript(FORUM.replace("Water Forum", "Another Forum"), status="published").event
    assert rows(fresh)["ANN LEE"][2] == "presider" and rows(fresh)["Q"][0] == "Jane Doe"
    assert fresh.organiser == "" and not fresh.topics.exists()


def test_reimporting_a_correction_keeps_every_staff_decision(decided):
    assert rows(decided) == KEPT_ROWS
    people = Person.objects.count()
    result = import_transcript(CORRECTED)
    assert result.action == "updated"
    event = Event.objects.get(pk=decided.pk)
    assert rows(event) == KEPT_ROWS
    assert (event.organiser, event.media_url, event.media_file.name) == (
        "Rivers Trust",
        "https://example.org/forum.mp3",
        "media/forum.mp3",
    )
    assert list(event.topics.values_list("name", flat=True)) == ["Water"]
    assert event.turns.filter(text="Lakes as well.").count() == 1
    assert Person.objects.count() == people  # the mapping held: no new person


def test_what_the_new_file_says_otherwise_wins(decided):
    says_otherwise = CORRECTED.replace(
        "date: 2024-05-01\n", "date: 2024-05-01\norganiser: City Council\ntopics: Rivers\n"
    ).replace("---\nANN LEE", "participants:\n  - name: Ann Lee\n    role: speaker\n---\nANN LEE")
    import_transcript(says_otherwise)
    event = Event.objects.get(pk=decided.pk)
    assert event.organiser == "City Council"
    assert sorted(event.topics.values_list("name", flat=True)) == ["Rivers", "Water"]  # staff's topic stays
    assert rows(event) == {**KEPT_ROWS, "ANN LEE": ("Ann Lee", "ann-lee", "speaker", "")}


def test_the_correction_preview_starts_from_staff_decisions_and_stores_them(editor_client, decided):
    upload(editor_client, CORRECTED, event=decided)
    url = review_url(PendingUpload.objects.get())
    response = editor_client.get(url)
    assert response.status_code == 200
    table = {row.label: row for row in response.context["speaker_table"]}
    assert table["ANN LEE"].form["role"].value() == "host"
    assert table["ANN LEE"].role_note == (
        "kept as set on the event (the text suggests presider: opens the event and introduces the other speakers)"
    )
    assert table["Q"].form["name"].value() == "Jane Q. Doe" and table["Q"].mapping.person.slug == "jane-q-doe"
    html = response.content.decode()
    assert list(response.context["plan"].speaker_changes) == [], response.context["plan"].speaker_changes
    assert "No speaker's person, name, role, title or affiliation changes." in html
    assert response.context["form"]["organiser"].value() == "Rivers Trust"
    assert list(response.context["plan"].field_changes) == []
    submit_review(editor_client, url, response, status="published")
    event = Event.objects.get(pk=decided.pk)
    assert rows(event) == KEPT_ROWS
    assert event.organiser == "Rivers Trust" and list(event.topics.values_list("name", flat=True)) == ["Water"]
    assert event.media_file.name == "media/forum.mp3"


def test_the_preview_lists_exactly_the_speakers_that_change(editor_client, decided):
    upload(editor_client, CORRECTED, event=decided)
    url = review_url(PendingUpload.objects.get())
    response = editor_client.get(url)
    again = submit_review(
        editor_client, url, response, action="preview", **{speaker_field(response, "BOB KIM", "role"): "witness"}
    )
    assert list(again.context["plan"].speaker_changes) == ["Bob Kim (BOB KIM): role panelist → witness"]
    assert "Bob Kim (BOB KIM): role panelist → witness" in again.content.decode()


def test_a_new_upload_shows_each_inferred_role_with_its_reason(editor_client):
    upload(editor_client, FORUM)
    response = editor_client.get(review_url(PendingUpload.objects.get()))
    html = response.content.decode()
    table = {row.label: (row.form["role"].value(), row.role_note) for row in response.context["speaker_table"]}
    assert table == {
        "ANN LEE": ("presider", "opens the event and introduces the other speakers"),
        "BOB KIM": ("panelist", "introduced by the presider"),
        "Q": (
            "questioner",
            "introduced themself in turn 3: “Hi, I&#x27;m Jane Doe from Reuters.”".replace("&#x27;", "'"),
        ),
    }
    assert "opens the event and introduces the other speakers" in html
    assert "introduced themself in turn 3" in html


def test_a_generic_speaker_row_says_this_event_only(editor_client):
    upload(editor_client, FORUM.replace("Q: Hi, I'm Jane Doe from Reuters. What", "Q: What"))
    response = editor_client.get(review_url(PendingUpload.objects.get()))
    row = next(r for r in response.context["speaker_table"] if r.label == "Q")
    assert (row.form["name"].value(), row.event_only, row.mapping.person) == ("Questioner", True, None)
    assert "This event only" in response.content.decode()


def test_the_same_text_under_another_title_is_flagged(editor_client, decided):
    response = upload(editor_client, FORUM, title="Forum on Water")
    assert response.status_code == 302
    response = editor_client.get(review_url(PendingUpload.objects.get()))
    plan = response.context["plan"]
    assert plan.target is None and [e.pk for e in plan.duplicates] == [decided.pk]
    html = response.content.decode()
    assert "This text is already stored" in html and "Water Forum" in html
    other = upload(editor_client, CORRECTED.replace("Lakes", "Seas"), title="Sea Forum")
    assert other.status_code == 302
    fresh = editor_client.get(review_url(PendingUpload.objects.latest("created")))
    assert fresh.context["plan"].duplicates == () and "This text is already stored" not in fresh.content.decode()
