"""Transcripts with very many speakers: the preview's speaker table is paginated
and each page's rows are saved on the upload, so every POST stays under Django's field
limit; absurd inputs are refused with a message. Transcripts are generated here."""

import time

import pytest
from django.conf import settings

from tests.staff.test_admin_support import (  # noqa: F401  (fixtures)
    editor,
    editor_client,
    form_data,
    review_url,
    speaker_field,
    submit_review,
    upload,
)
from transcripts.models import Appearance, Event, PendingUpload, Person
from transcripts.staff import forms as upload_forms

pytestmark = pytest.mark.django_db


def many_speakers(count: int) -> str:
    """A hearing where each of `count` witnesses speaks once ("SPEAKER 7: ...")."""
    turns = "\n".join(f"SPEAKER {i}: My statement, number {i}, is on the record.\n" for i in range(count))
    return f"---\ntitle: The Long Hearing\ndate: 2022-03-01\n---\n\n{turns}"


def fields_posted(data: dict) -> int:
    return sum(len(v) if isinstance(v, list) else 1 for v in data.values())


def test_two_thousand_speakers_preview_page_by_page_and_confirm(editor_client):
    response = upload(editor_client, many_speakers(2000), filename="hearing.txt")
    assert response.status_code == 302
    url = review_url(PendingUpload.objects.get())
    started = time.monotonic()
    response = editor_client.get(url)
    assert response.status_code == 200
    assert response.context["speaker_count"] == 2000
    assert [row.label for row in response.context["speaker_table"]] == [f"SPEAKER {i}" for i in range(50)]
    html = response.content.decode()
    assert "Speakers 1–50 of 2000" in html and 'value="page:40"' in html
    warnings = response.context["plan"].warnings  # one per label: not all listed
    per_label = [w for w in warnings if w.startswith("Label 'SPEAKER ")]
    assert len(per_label) == 2000 and f"… and {len(warnings) - 30} more like these." in html
    # Every POST carries one page of rows: far under the limit whatever the speaker count.
    data = form_data(response)
    assert fields_posted(data) < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS / 2
    data["action"] = "page:40"
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert response.context["speaker_table"][-1].label == "SPEAKER 1999"
    last = speaker_field(response, "SPEAKER 1999", "name")
    response = submit_review(editor_client, url, response, **{last: "Zoë Quist"})
    elapsed = time.monotonic() - started
    assert response.status_code == 302, response.context and response.context["plan"].problems[:3]
    event = Event.objects.get()
    assert event.turns.count() == 2000 and Appearance.objects.filter(event=event).count() == 2000
    zoe = Person.objects.get(name="Zoë Quist")
    assert event.turns.get(appearance__person=zoe).text == "My statement, number 1999, is on the record."
    assert elapsed < 60, f"preview, one page change and confirm took {elapsed:.1f} s"


def test_a_row_changed_on_one_page_is_kept_while_staff_look_at_another(editor_client):
    upload(editor_client, many_speakers(120))
    pending = PendingUpload.objects.get()
    url = review_url(pending)
    response = editor_client.get(url)
    name = speaker_field(response, "SPEAKER 3", "name")
    role = speaker_field(response, "SPEAKER 3", "role")
    response = submit_review(editor_client, url, response, action="page:3", **{name: "Ada Byron", role: "host"})
    assert response.status_code == 200 and response.context["speaker_page"].number == 3
    pending.refresh_from_db()
    assert pending.review["speakers"]["Speaker 3"]["name"] == "Ada Byron"
    assert response.context["plan"].speakers[3].mapping.person is None  # a new person named so
    response = submit_review(editor_client, url, response, action="confirm")
    assert response.status_code == 302
    ada = Appearance.objects.get(person__name="Ada Byron")
    assert (ada.label, ada.role) == ("SPEAKER 3", "host")


def test_a_row_left_without_a_name_on_another_page_blocks_confirming_and_says_where(editor_client):
    upload(editor_client, many_speakers(60))
    url = review_url(PendingUpload.objects.get())
    response = editor_client.get(url)
    name = speaker_field(response, "SPEAKER 7", "name")
    response = submit_review(editor_client, url, response, action="page:2", **{name: ""})
    response = submit_review(editor_client, url, response, action="confirm")
    assert response.status_code == 200 and Event.objects.count() == 0
    html = response.content.decode()
    assert "SPEAKER 7 (page 1)" in html
    assert "SPEAKER 7 is mapped to nobody: type the speaker&#x27;s name or pick an existing person." in html


def test_ten_thousand_speakers_are_refused_at_once_with_a_reason(editor_client):
    text = many_speakers(10_000)
    started = time.monotonic()
    response = upload(editor_client, text, filename="absurd.txt")
    elapsed = time.monotonic() - started
    assert response.status_code == 200 and PendingUpload.objects.count() == 0
    html = response.content.decode()
    # (the front matter's two lines look like labels too)
    assert "The text has 10,002 different speaker labels; an event can have at most 2,000." in html
    assert elapsed < 2, f"refusing took {elapsed:.1f} s"


def test_more_speakers_than_an_event_can_have_are_refused_after_parsing(editor_client, monkeypatch):
    monkeypatch.setattr(upload_forms, "MAX_SPEAKERS", 20)
    response = upload(editor_client, many_speakers(21))
    assert response.status_code == 200 and PendingUpload.objects.count() == 0
    assert "The text has 21 different speaker labels; an event can have at most 20." in response.content.decode()


def test_word_zip_bomb_upload_is_refused_with_a_message_and_nothing_kept(editor_client, settings):
    from tests.parsing.test_formats_documents import word_bomb

    settings.VERBATIM_MAX_UPLOAD_BYTES = 200_000  # Word's parts may unpack to 1.6 MB
    data = word_bomb(2_000_000)
    assert len(data) < settings.VERBATIM_MAX_UPLOAD_BYTES
    response = upload(editor_client, data, filename="panel.docx")
    assert response.status_code == 200
    assert "The Word document unpacks to more than 1.5 MB" in response.content.decode()
    assert not PendingUpload.objects.exists() and not Event.objects.exists()
