"""Upload → preview → confirm in the admin, each step and the corrections flow."""

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.urls import reverse

from tests.staff.test_admin_support import (  # noqa: F401  (fixtures)
    UPLOAD_URL,
    editor,
    editor_client,
    form_data,
    review_url,
    speaker_field,
    submit_review,
    upload,
)
from transcripts.models import Appearance, Event, EventRevision, PendingUpload, Person, Topic, Turn
from transcripts.search.models import IndexTask

pytestmark = pytest.mark.django_db


@pytest.fixture
def preview(editor_client, sample_text):
    """The sample uploaded as a file: (review url, review page response)."""
    response = upload(editor_client, sample_text, filename="cfr-sample.txt")
    assert response.status_code == 302
    pending = PendingUpload.objects.get()
    url = review_url(pending)
    assert response["Location"] == url
    return url, editor_client.get(url)


def test_upload_page_offers_file_text_and_optional_fields(editor_client):
    response = editor_client.get(UPLOAD_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    for name in ("file", "text", "title", "date", "organiser", "source_url", "media_url", "new_topics"):
        assert f'name="{name}"' in html
    assert "5.0\xa0MB" in html


def test_upload_stores_nothing_until_confirmed(preview):
    url, response = preview
    assert response.status_code == 200
    assert Event.objects.count() == 0 and Person.objects.count() == 0 and Turn.objects.count() == 0
    assert PendingUpload.objects.get().filename == "cfr-sample.txt"


def test_preview_shows_what_the_parser_found(preview):
    url, response = preview
    html = response.content.decode()
    form = response.context["form"]
    assert form["title"].value() == "Combating Human Trafficking and Modern Slavery"
    assert form["date"].value() == "2022-02-17"
    assert form["description"].value().startswith("Following National Slavery and Human Trafficking Prevention Month")
    table = {
        row.label + ("" if row.label != "Q" else f":{row.form['name'].value()}"): row
        for row in response.context["speaker_table"]
    }
    assert {k: r.turns for k, r in table.items() if k in ("LAGON", "COPPEDGE", "KARA", "KRELL", "OPERATOR")} == {
        "LAGON": 29,
        "COPPEDGE": 8,
        "KARA": 9,
        "KRELL": 7,
        "OPERATOR": 5,
    }
    assert table["KRELL"].form["name"].value() == "Maggy Krell"
    assert table["KRELL"].mapping.person is None  # nobody in the archive yet: a new person
    assert response.context["turn_count"] == 63
    # Questioners with their affiliations.
    assert "Kristin Lord — IREX" in html and "Jaeduk Seo — Radio Free Asia" in html
    # Each turn's first line, and the parser's warnings.
    assert "Thank you. Welcome to today’s Council on Foreign Relations meeting" in html
    assert any("page furniture" in w for w in response.context["warnings"])
    assert "Confirming <strong>creates a new event</strong>" in html


def test_preview_matches_existing_people_with_reason_and_confidence(editor_client, sample_text):
    Person.objects.create(name="Mark Lagon", slug="mark-lagon")
    Person.objects.create(name="Susan M. Coppedge", slug="susan-m-coppedge")
    upload(editor_client, sample_text)
    url = review_url(PendingUpload.objects.get())
    response = editor_client.get(url)
    rows = {row.label: row for row in response.context["speaker_table"] if row.label != "Q"}
    assert rows["LAGON"].mapping.person.slug == "mark-lagon"
    assert rows["LAGON"].mapping.percent == 100
    assert "same name as an existing person" in rows["LAGON"].mapping.reason
    # A look-alike is proposed (pre-filled), with why and how sure.
    assert rows["COPPEDGE"].form["name"].value() == "Susan M. Coppedge"
    assert rows["COPPEDGE"].mapping.person.slug == "susan-m-coppedge"
    assert rows["COPPEDGE"].mapping.percent == 90
    assert "middle names differ" in rows["COPPEDGE"].mapping.reason
    html = response.content.decode()
    assert "parsed as “Susan Coppedge”" in html
    assert '<option value="Susan M. Coppedge" data-slug="susan-m-coppedge">' in html  # the datalist

    submit_review(editor_client, url, response)
    event = Event.objects.get()
    assert Person.objects.filter(name__contains="Coppedge").count() == 1
    assert event.appearances.get(label="COPPEDGE").person.slug == "susan-m-coppedge"
    assert event.appearances.get(label="LAGON").person.slug == "mark-lagon"


def test_confirm_stores_corrected_name_publishes_and_logs(preview, editor):
    url, response = preview
    krell = speaker_field(response, "KRELL", "name")
    reply = submit_review(response.client, url, response, status="published", **{krell: "Margaret Krell"})
    event = Event.objects.get()
    assert reply.status_code == 302 and reply["Location"] == reverse("admin:transcripts_event_change", args=[event.pk])
    assert event.status == Event.Status.PUBLISHED
    assert event.turns.count() == 63
    krell_appearance = event.appearances.get(label="KRELL")
    assert krell_appearance.person.name == "Margaret Krell"
    assert krell_appearance.turns.count() == 7
    assert not Person.objects.filter(name="Maggy Krell").exists()
    # Indexed through the queue, recorded as a version, logged as an admin addition.
    assert IndexTask.objects.filter(model="transcripts.event", object_id=event.pk).exists()
    revision = EventRevision.objects.get(event=event)
    assert revision.created_by == editor and "cfr-sample.txt" in revision.note
    log = LogEntry.objects.get(object_id=str(event.pk))
    assert log.action_flag == ADDITION and log.user == editor and "63 turns" in log.change_message
    assert PendingUpload.objects.get().result == event


def test_update_preview_recomputes_without_storing(preview):
    url, response = preview
    client = response.client
    krell = speaker_field(response, "KRELL", "name")
    again = submit_review(client, url, response, action="preview", title="A Better Title", **{krell: "Mark Lagon"})
    assert again.status_code == 200
    assert Event.objects.count() == 0
    assert again.context["form"]["title"].value() == "A Better Title"
    turns_by_speaker = {row.label: row for row in again.context["speaker_table"] if row.label != "Q"}
    assert turns_by_speaker["KRELL"].form["name"].value() == "Mark Lagon"
    # Both labels now name one person: the turn list says so.
    assert sum(1 for t in again.context["turns"] if t["speaker"] == "Mark Lagon") == 29 + 7


def test_confirming_twice_stores_one_event(preview):
    url, response = preview
    client = response.client
    first = submit_review(client, url, response)
    second = submit_review(client, url, response)
    assert first.status_code == second.status_code == 302
    assert Event.objects.count() == 1 and EventRevision.objects.count() == 1
    assert second["Location"] == reverse("admin:transcripts_event_change", args=[Event.objects.get().pk])
    followed = client.get(url, follow=True)
    assert "already stored by edith" in followed.content.decode()


def test_a_second_upload_of_the_same_transcript_updates_instead_of_duplicating(editor_client, sample_text):
    for _ in range(2):
        upload(editor_client, sample_text)
        pending = PendingUpload.objects.filter(confirmed__isnull=True).get()
        url = review_url(pending)
        response = editor_client.get(url)
        submit_review(editor_client, url, response)
    assert Event.objects.count() == 1
    upload(editor_client, sample_text)
    response = editor_client.get(review_url(PendingUpload.objects.filter(confirmed__isnull=True).get()))
    assert response.context["target"] == Event.objects.get()
    assert "updates the existing event" in response.content.decode()


def test_reuploading_an_event_without_starting_from_it_keeps_its_topics(editor_client, sample_event, sample_text):
    upload(editor_client, sample_text)  # not from the event's page: found by title and date
    url = review_url(PendingUpload.objects.get())
    response = editor_client.get(url)
    assert response.context["target"] == sample_event
    form = response.context["form"]
    assert set(form["topics"].value()) == {"Human Trafficking", "Modern Slavery", "Human Rights", "Supply Chains"}
    assert form["status"].value() == "published" and form["organiser"].value() == "Council on Foreign Relations"
    assert "field_changes" in response.context and response.context["field_changes"] == []
    submit_review(editor_client, url, response)
    sample_event.refresh_from_db()
    assert sample_event.status == "published" and sample_event.topics.count() == 4


def test_draft_is_hidden_from_readers_and_previewable_by_staff(preview, client):
    url, response = preview
    staff = response.client
    submit_review(staff, url, response, status="draft")
    event = Event.objects.get()
    assert event.status == Event.Status.DRAFT
    preview_url = reverse("admin:transcripts_event_preview", args=[event.pk])
    page = staff.get(preview_url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Staff preview" in html and "Maggy Krell" in html and "Tiffany Simpson still sits in custody" in html
    staff.logout()
    assert client.get(event.get_absolute_url()).status_code == 404
    anonymous = client.get(preview_url)
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]


def test_topics_typed_chosen_and_suggested(editor_client, sample_text):
    Topic.objects.create(name="Modern Slavery", slug="modern-slavery")
    Topic.objects.create(name="Trade Policy", slug="trade-policy")
    upload(editor_client, sample_text, new_topics="Supply Chains")
    url = review_url(PendingUpload.objects.get())
    response = editor_client.get(url)
    options = {o["widget"].choice_label: o["reasons"] for o in response.context["topic_options"]}
    assert any("“modern slavery” is said" in r for r in options["Modern Slavery"])
    assert options["Trade Policy"] == []
    assert [o["widget"].choice_label for o in response.context["topic_options"]][0] == "Modern Slavery"
    assert response.context["form"]["new_topics"].value() == "Supply Chains"
    terms = dict(response.context["form"].fields["suggested_terms"].choices)
    assert "human trafficking" in terms and "maggy" not in " ".join(terms)  # speakers' names are no topics
    submit_review(editor_client, url, response, topics=["Modern Slavery"], suggested_terms=["human trafficking"])
    assert sorted(Event.objects.get().topics.values_list("name", flat=True)) == [
        "Human Trafficking",
        "Modern Slavery",
        "Supply Chains",
    ]


def test_discard_drops_the_upload(preview):
    url, response = preview
    reply = submit_review(response.client, url, response, action="discard")
    assert reply.status_code == 302 and reply["Location"] == UPLOAD_URL
    assert PendingUpload.objects.count() == 0 and Event.objects.count() == 0


# ------------------------------------------------------------------ corrections


def corrected(sample_text: str) -> str:
    """The sample with one turn reworded, one removed, one added, one given to another speaker."""
    text = sample_text.replace(
        "LAGON: Tremendous. Those two case studies give great texture.",
        "LAGON: Tremendous. Those two case studies give real texture.",
    )
    text = text.replace("LAGON: Great.\n\nMaggy, you inspired this question; do you want to elaborate a bit?\n\n", "")
    text = text.replace("LAGON: Thanks.\n", "LAGON: Thanks.\n\nKARA: Thank you, Mark.\n")
    text = text.replace("LAGON: Another question?", "KARA: Another question?")
    assert (
        text.count("LAGON:") == sample_text.count("LAGON:") - 2
        and text.count("KARA:") == sample_text.count("KARA:") + 2
    )
    return text


def test_correction_previews_changes_and_keeps_public_ids(editor_client, sample_event, sample_text, editor):
    before = {t.text: t.public_id for t in sample_event.turns.all()}
    change_page = editor_client.get(reverse("admin:transcripts_event_change", args=[sample_event.pk]))
    assert f"{UPLOAD_URL}?event={sample_event.pk}" in change_page.content.decode()
    assert editor_client.get(UPLOAD_URL, {"event": sample_event.pk}).context["event"] == sample_event

    upload(editor_client, corrected(sample_text), event=sample_event)
    url = review_url(PendingUpload.objects.get())
    response = editor_client.get(url)
    diff = response.context["diff"]
    assert (diff.changed, diff.added, diff.removed, diff.speakers_changed) == (1, 1, 1, 1)
    assert diff.kept == 60
    html = response.content.decode()
    assert "updates the existing event" in html and "real texture" in html
    # The event's topics carry over into the correction.
    assert set(response.context["form"]["topics"].value()) == {
        "Human Trafficking",
        "Modern Slavery",
        "Human Rights",
        "Supply Chains",
    }
    assert Event.objects.get().turns.filter(text__contains="real texture").count() == 0  # nothing stored yet

    submit_review(editor_client, url, response, status="published")
    assert Event.objects.count() == 1
    event = Event.objects.get()
    after = {t.text: t.public_id for t in event.turns.all()}
    unchanged = set(before) & set(after)
    assert len(unchanged) >= 59 and all(before[text] == after[text] for text in unchanged)
    reworded = event.turns.get(text__contains="real texture")
    assert reworded.public_id == next(pid for text, pid in before.items() if "give great texture" in text)
    assert event.revisions.count() == 2
    assert LogEntry.objects.filter(
        object_id=str(event.pk), action_flag=CHANGE, change_message__contains="1 added"
    ).exists()


def test_correction_proposes_the_people_of_the_event(editor_client, sample_event, sample_text):
    # Renamed in the archive since the import: the label still maps to the same record.
    krell = sample_event.appearances.get(label="KRELL").person
    krell.name = "Margaret Krell"
    krell.save()
    upload(editor_client, sample_text, event=sample_event)
    response = editor_client.get(review_url(PendingUpload.objects.get()))
    row = next(r for r in response.context["speaker_table"] if r.label == "KRELL")
    assert row.mapping.person.id == krell.pk and row.form["name"].value() == "Margaret Krell"
    assert "current version of this event" in row.mapping.reason


def test_a_changed_speaker_shows_in_the_correction_diff(editor_client, sample_event, sample_text):
    upload(editor_client, sample_text, event=sample_event)
    url = review_url(PendingUpload.objects.get())
    response = editor_client.get(url)
    kara = speaker_field(response, "KARA", "name")
    again = submit_review(editor_client, url, response, action="preview", **{kara: "Sid Kara"})
    diff = again.context["diff"]
    assert diff.speakers_changed == 9 and diff.changed == diff.added == diff.removed == 0
    assert any(d["old_speaker"] == "Siddharth Kara" and d["speaker"] == "Sid Kara" for d in diff.details)
    assert Appearance.objects.filter(person__name="Sid Kara").count() == 0
