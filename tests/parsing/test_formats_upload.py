"""The new file types through the two ways in: the admin upload form and import_transcripts."""

import io
from pathlib import Path

import docx
import pytest
from django.core.management import CommandError, call_command

from tests.staff.test_admin_support import editor, editor_client, upload  # noqa: F401  (fixtures)
from transcripts.models import Event, PendingUpload, Turn

pytestmark = pytest.mark.django_db

VTT = (
    "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Ann Lee>Welcome to the panel on rivers.</v>\n\n"
    "00:00:04.000 --> 00:00:08.000\n<v Bo Park>Thanks, Ann. Rivers flood.</v>\n\n"
    "00:00:08.000 --> 00:00:09.000\n<v Ann Lee>Indeed they do.</v>\n"
)


def word_file():
    document = docx.Document()
    for text in (
        "Rivers and Floods",
        "ANN LEE: Welcome to the panel on rivers.",
        "BO PARK: Thanks, Ann.",
        "ANN LEE: Goodbye.",
    ):
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_admin_upload_of_a_teams_vtt_previews_its_speakers(editor_client):
    response = upload(editor_client, VTT, filename="call.vtt", title="Rivers call")
    assert response.status_code == 302
    pending = PendingUpload.objects.get()
    preview = editor_client.get(response["Location"])
    assert preview.context["turn_count"] == 3
    assert {row.label for row in preview.context["speaker_table"]} == {"Ann Lee", "Bo Park"}
    assert pending.filename == "call.vtt" and Event.objects.count() == 0


def test_admin_upload_of_a_word_file(editor_client):
    response = upload(editor_client, word_file(), filename="panel.docx")
    assert response.status_code == 302
    preview = editor_client.get(response["Location"])
    assert preview.context["form"]["title"].value() == "Rivers and Floods"
    assert preview.context["turn_count"] == 3


def test_admin_upload_of_a_corrupt_word_file_says_what_is_wrong(editor_client):
    response = upload(editor_client, b"PK\x03\x04not really a zip", filename="panel.docx")
    assert response.status_code == 200
    assert any("not a readable Word .docx document" in e for e in response.context["form"].errors["file"])
    assert PendingUpload.objects.count() == 0


def test_import_transcripts_reads_vtt_and_docx_files(tmp_path):
    (tmp_path / "call.vtt").write_text(VTT, encoding="utf-8")
    (tmp_path / "call.vtt.json").write_text('{"title": "Rivers call", "date": "2024-05-01"}', encoding="utf-8")
    (tmp_path / "panel.docx").write_bytes(word_file())
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.7 not a transcript")  # not a transcript suffix: not picked up
    out, err = io.StringIO(), io.StringIO()
    call_command("import_transcripts", str(tmp_path), stdout=out, stderr=err)
    # Only the progress lines (two files), no error.
    assert all(line.startswith("Importing files") for line in err.getvalue().splitlines()), err.getvalue()
    assert sorted(Event.objects.values_list("title", flat=True)) == ["Rivers and Floods", "Rivers call"]
    assert Turn.objects.filter(event__title="Rivers call").count() == 3
    assert Turn.objects.filter(event__title="Rivers and Floods").count() == 3


def test_import_transcripts_refuses_a_pdf_by_content_with_a_clear_message(tmp_path):
    path = Path(tmp_path) / "panel.txt"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3 not text")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 of 1 file"):
        call_command("import_transcripts", str(path), stdout=io.StringIO(), stderr=err)
    assert "looks like a PDF document" in err.getvalue() and "A Word .docx" in err.getvalue()
    assert Event.objects.count() == 0
