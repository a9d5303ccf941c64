"""What one event may hold is checked by the operation that stores it, so every entry point
refuses the same input with the same message and stores nothing: import_transcript, the
import_transcripts command (a file, and a folder with sidecars as the demo loader runs it),
import_archive, and the admin's upload confirmed after its own check passed."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.staff.test_admin_support import editor, editor_client, review_url, submit_review, upload  # noqa: F401
from transcripts import validation
from transcripts.models import Event, PendingUpload, Person, Topic
from transcripts.operations.imports import import_transcript
from transcripts.validation import InvalidInput

pytestmark = pytest.mark.django_db

FOUR_SPEAKERS = """---
title: Four Voices
date: 2024-01-01
---

ANN ALPHA: One thing to say.

BEN BRAVO: Two things to say.

CARA CHARLIE: Three things to say.

DAN DELTA: Four things to say.
"""
REFUSED = "The text has 4 different speaker labels; an event can have at most 3."


@pytest.fixture
def three_speakers_at_most(monkeypatch):
    monkeypatch.setattr(validation, "MAX_SPEAKERS", 3)


def test_the_cap_lets_an_event_at_the_cap_through(three_speakers_at_most):
    three = FOUR_SPEAKERS.replace("\nDAN DELTA: Four things to say.\n", "\n")
    assert import_transcript(three).event.appearances.count() == 3


def test_import_transcript_refuses_more_speakers_than_the_cap(three_speakers_at_most):
    with pytest.raises(InvalidInput, match=REFUSED):
        import_transcript(FOUR_SPEAKERS)
    assert not Event.objects.exists() and not Person.objects.exists()


def test_import_transcripts_refuses_the_file_with_the_same_message(three_speakers_at_most, tmp_path):
    path = tmp_path / "four.txt"
    path.write_text(FOUR_SPEAKERS, encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 of 1 file"):
        call_command("import_transcripts", str(path), stdout=io.StringIO(), stderr=err)
    assert REFUSED in err.getvalue()
    assert not Event.objects.exists() and not Person.objects.exists()


def test_the_demo_loader_refuses_it_too(three_speakers_at_most, tmp_path):
    """As `make demo` runs it: a folder of transcripts and a folder of sidecars."""
    (tmp_path / "transcripts").mkdir()
    (tmp_path / "metadata").mkdir()
    (tmp_path / "transcripts" / "four.txt").write_text(FOUR_SPEAKERS, encoding="utf-8")
    (tmp_path / "metadata" / "four.txt.json").write_text(json.dumps({"topics": ["Voices"]}), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 of 1 file"):
        call_command(
            "import_transcripts",
            str(tmp_path / "transcripts"),
            "--sidecars",
            str(tmp_path / "metadata"),
            stdout=io.StringIO(),
            stderr=err,
        )
    assert REFUSED in err.getvalue()
    assert not Event.objects.exists() and not Topic.objects.exists()


def test_import_archive_refuses_an_event_over_the_cap(monkeypatch, tmp_path):
    import_transcript(FOUR_SPEAKERS)  # stored under the usual cap
    call_command("export_archive", str(tmp_path), stdout=io.StringIO(), stderr=io.StringIO())
    Event.objects.all().delete()
    monkeypatch.setattr(validation, "MAX_SPEAKERS", 3)
    with pytest.raises(CommandError) as refused:
        call_command("import_archive", str(tmp_path), stdout=io.StringIO(), stderr=io.StringIO())
    assert REFUSED in str(refused.value) and "nothing was restored" in str(refused.value)
    assert not Event.objects.exists()


def test_an_admin_upload_is_refused_at_confirm_when_only_the_operation_knows_the_cap(
    three_speakers_at_most,
    editor_client,  # noqa: F811
):
    """The upload form checks its own copy of the cap before the preview; the operation
    checks again when the plan is stored, so a smaller cap there still refuses."""
    upload(editor_client, FOUR_SPEAKERS)
    pending = PendingUpload.objects.get()
    url = review_url(pending)
    response = editor_client.get(url)
    assert response.status_code == 200
    reply = submit_review(editor_client, url, response, status="published")
    assert reply.status_code == 200
    assert f"Nothing was stored: {REFUSED}" in reply.content.decode()
    assert not Event.objects.exists()
    assert PendingUpload.objects.get().confirmed is None
