"""Bad input on the upload and review forms: a clear message on the form, what staff
typed kept, nothing stored."""

from pathlib import Path

import pytest

from tests.staff.test_admin_support import (  # noqa: F401  (fixtures)
    UPLOAD_URL,
    editor,
    editor_client,
    review_url,
    speaker_field,
    submit_review,
    upload,
)
from transcripts.models import Event, PendingUpload, Person

pytestmark = pytest.mark.django_db

TYPED = {"title": "My Typed Title", "organiser": "Typed Society", "source_url": "https://example.org/panel"}


def assert_rejected(response, message: str, field: str | None = None):
    """The form came back (200), says `message`, kept the typed fields, and nothing was stored."""
    assert response.status_code == 200
    form = response.context["form"]
    errors = form.errors.get(field or "__all__", [])
    assert any(message in e for e in errors), form.errors
    assert message in response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')
    for name, value in TYPED.items():
        assert form[name].value() == value
    assert PendingUpload.objects.count() == 0 and Event.objects.count() == 0 and Person.objects.count() == 0


def test_file_over_the_size_limit(editor_client, settings, sample_text):
    settings.VERBATIM_MAX_UPLOAD_BYTES = 10_000
    response = upload(editor_client, sample_text, **TYPED)
    assert_rejected(response, "the limit is 9.8\xa0KB", "file")


def test_pasted_text_over_the_size_limit(editor_client, settings, sample_text):
    settings.VERBATIM_MAX_UPLOAD_BYTES = 10_000
    response = upload(editor_client, pasted=sample_text, **TYPED)
    assert_rejected(response, "The pasted text is", "text")


def test_empty_file(editor_client):
    assert_rejected(upload(editor_client, b"", **TYPED), "The file is empty", "file")


def test_blank_file(editor_client):
    assert_rejected(upload(editor_client, b"  \n\n \t\n", **TYPED), "The file is empty", "file")


def test_binary_file(editor_client):
    response = upload(editor_client, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", filename="panel.txt", **TYPED)
    assert_rejected(response, "looks like a PDF document", "file")


def test_file_with_nul_bytes(editor_client):
    assert_rejected(upload(editor_client, b"LAGON: hi\x00\x00there", **TYPED), "looks binary", "file")


def test_unreadable_encoding(editor_client):
    response = upload(editor_client, b"LAGON: \x81\x8d\x8f\x90 hello", **TYPED)
    assert_rejected(response, "neither UTF-8 nor Windows-1252", "file")


def test_wrong_kind_of_file(editor_client):
    response = upload(editor_client, b"LAGON: Hello.", filename="panel.pages", **TYPED)
    assert_rejected(response, "“panel.pages” is not a file Verbatim reads", "file")
    for kind in (".txt", ".md", ".html", ".docx", ".vtt", ".srt", "Rev and Otter exports"):
        assert kind in response.content.decode()


def test_no_file_and_no_text(editor_client):
    assert_rejected(upload(editor_client, **TYPED), "Choose a transcript file or paste its text.")


def test_file_and_text_both(editor_client, sample_text):
    response = upload(editor_client, sample_text, pasted="LAGON: Hello.", **TYPED)
    assert_rejected(response, "Choose a file or paste the text, not both.")


def test_pasted_text_without_speaker_turns_is_kept(editor_client):
    prose = "An essay about trade.\n\nIt has paragraphs but nobody speaks in it."
    response = upload(editor_client, pasted=prose, **TYPED)
    assert_rejected(response, "No speaker turns")
    assert response.context["form"]["text"].value() == prose


def test_file_without_speaker_turns_comes_back_as_editable_text(editor_client):
    prose = "An essay about trade.\n\nIt has paragraphs but nobody speaks in it."
    response = upload(editor_client, prose, **TYPED)
    assert_rejected(response, "No speaker turns")
    assert response.context["form"]["text"].value() == prose
    assert "fix it here and preview again" in response.content.decode()


def test_date_that_is_not_a_date(editor_client, sample_text):
    response = upload(editor_client, sample_text, date="31 Febtober 2022", **TYPED)
    assert_rejected(response, "“31 Febtober 2022” is not a date", "date")
    assert response.context["form"]["date"].value() == "31 Febtober 2022"


def test_dates_in_transcript_formats_are_accepted(editor_client, sample_text):
    upload(editor_client, sample_text, date="March 3, 2021")
    assert PendingUpload.objects.get().metadata["date"] == "2021-03-03"


def test_unreadable_header_date_is_a_warning_and_can_be_given(editor_client):
    text = Path("tests/fixtures/front_matter_bad_date.txt").read_text(encoding="utf-8")
    upload(editor_client, text)
    url = review_url(PendingUpload.objects.get())
    response = editor_client.get(url)
    warnings = " ".join(response.context["warnings"])
    assert "next Tuesday" in warnings and "No date found" in warnings
    bad = submit_review(editor_client, url, response, date="next Tuesday")
    assert bad.status_code == 200 and "“next Tuesday” is not a date" in bad.content.decode()
    assert Event.objects.count() == 0
    submit_review(editor_client, url, response, date="2023-05-04")
    assert Event.objects.get().date.isoformat() == "2023-05-04"


def test_label_mapped_to_nobody(editor_client, sample_text):
    upload(editor_client, sample_text)
    url = review_url(PendingUpload.objects.get())
    response = editor_client.get(url)
    lagon = speaker_field(response, "LAGON", "name")
    reply = submit_review(editor_client, url, response, title="Kept Title", **{lagon: "  "})
    assert reply.status_code == 200
    html = reply.content.decode()
    assert "LAGON is mapped to nobody: type the speaker&#x27;s name or pick an existing person." in html
    assert reply.context["form"]["title"].value() == "Kept Title"
    assert Event.objects.count() == 0 and Person.objects.count() == 0
    row = next(r for r in reply.context["speaker_table"] if r.label == "LAGON")
    assert row.mapping.person is None and "mapped to nobody" in row.mapping.reason


def test_review_without_a_title(editor_client):
    upload(editor_client, pasted="LAGON: Welcome.\n\nKARA: Thanks, Mark.\n")
    url = review_url(PendingUpload.objects.get())
    response = editor_client.get(url)
    reply = submit_review(editor_client, url, response, title="")
    assert reply.status_code == 200 and "The event needs a title" in reply.content.decode()
    assert Event.objects.count() == 0


def test_tampered_speaker_list_is_refused(editor_client, sample_text):
    upload(editor_client, sample_text)
    url = review_url(PendingUpload.objects.get())
    response = editor_client.get(url)
    key = speaker_field(response, "LAGON", "key")
    reply = submit_review(editor_client, url, response, **{key: "Someone Else"})
    assert reply.status_code == 200 and "no longer matches the upload" in reply.content.decode()
    assert Event.objects.count() == 0


def test_unknown_upload_token_is_404(editor_client):
    assert editor_client.get(UPLOAD_URL + "not-a-token/").status_code == 404


def test_zip_archive_renamed_to_txt(editor_client):
    response = upload(
        editor_client, b"PK\x03\x04\x14\x00\x06\x00word/document.xml" + bytes(200), filename="panel.txt", **TYPED
    )
    assert_rejected(response, "looks like a ZIP archive", "file")


def test_huge_file_streamed_to_disk_is_refused(editor_client, settings):
    # Over Django's in-memory threshold too, so the upload arrives as a temporary file.
    settings.VERBATIM_MAX_UPLOAD_BYTES = settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 100_000
    response = upload(editor_client, b"LAGON: words words words.\n\n" * 20_000, **TYPED)
    assert_rejected(response, "the limit is 97.7\xa0KB", "file")


def test_deeply_nested_markdown(editor_client):
    nested = "---\ntitle: Nested\n---\n\n" + ">" * 5000 + " LAGON: hello\n\n" + "- " * 3000 + "deep\n"
    response = upload(editor_client, nested, filename="panel.md", **TYPED)
    assert_rejected(response, "No speaker turns")
