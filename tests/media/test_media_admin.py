"""The event admin's media and captions page: upload captions, time the turns, see the report."""

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.media_helpers import captions_for
from tests.staff.test_admin_support import change_form_data, editor, editor_client  # noqa: F401  (fixtures)
from transcripts.models import Event, Turn

pytestmark = pytest.mark.django_db


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def captions_url(event):
    return reverse("admin:transcripts_event_captions", args=[event.pk])


def vtt_of(event, **kwargs):
    return captions_for(list(event.turns.order_by("position")), **kwargs)[0]


def test_linked_from_the_event_page_and_says_not_aligned_yet(editor_client, sample_event):
    change = editor_client.get(reverse("admin:transcripts_event_change", args=[sample_event.pk])).content.decode()
    assert captions_url(sample_event) in change and 'name="media_file"' in change
    html = editor_client.get(captions_url(sample_event)).content.decode()
    assert "Not aligned yet." in html and "No recording yet." in html


def test_uploading_captions_times_the_turns_and_shows_the_report(editor_client, sample_event, media_root):
    lost = {10, 11}
    upload = SimpleUploadedFile("panel.vtt", vtt_of(sample_event, skip=lambda i: i in lost).encode())
    response = editor_client.post(captions_url(sample_event), {"captions": upload})
    assert response.status_code == 302 and response["Location"] == captions_url(sample_event)
    total = sample_event.turns.count()
    timed = Turn.objects.filter(event=sample_event, start_seconds__isnull=False).count()
    assert total - 2 <= timed < total
    page = editor_client.get(captions_url(sample_event)).content.decode()
    assert f"Timed {timed} of {total} turns" in page  # the message
    assert f"{timed} of {total} (" in page and "Median offset from the transcript" in page
    assert "Untimed turns (" in page and "panel.vtt" in page
    event = Event.objects.get(pk=sample_event.pk)
    assert event.captions_file.name.endswith(".vtt")
    # Aligning again from the stored file gives the same times.
    before = list(Turn.objects.filter(event=event).order_by("position").values_list("start_seconds", flat=True))
    assert editor_client.post(captions_url(event), {"realign": "on"}).status_code == 302
    assert list(Turn.objects.filter(event=event).order_by("position").values_list("start_seconds", flat=True)) == before


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("panel.txt", b"LAGON: hello", "is not a captions file: choose a .vtt or .srt file"),
        ("panel.vtt", b"", "Choose a captions file"),
        (
            "panel.vtt",
            b"WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nwelcome to the cooking show\n",
            "do not match this transcript",
        ),
        ("panel.srt", b"\x00\x01binary", "binary file"),
    ],
)
def test_bad_captions_get_a_message_and_change_nothing(editor_client, sample_event, media_root, name, content, message):
    data = {"captions": SimpleUploadedFile(name, content)} if content else {}
    response = editor_client.post(captions_url(sample_event), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Turn.objects.filter(event=sample_event, start_seconds__isnull=False).exists()
    assert Event.objects.get(pk=sample_event.pk).alignment == {}


def test_realign_without_a_stored_file_says_so(editor_client, sample_event, media_root):
    response = editor_client.post(captions_url(sample_event), {"realign": "on"})
    assert response.status_code == 200 and "has no captions file yet" in response.content.decode()


def test_people_without_change_permission_cannot_align(client, sample_event, media_root):
    viewer = User.objects.create_user("val", password="val-pass-12345", is_staff=True)
    client.force_login(viewer)
    assert client.get(captions_url(sample_event)).status_code == 403
    upload = SimpleUploadedFile("panel.vtt", vtt_of(sample_event).encode())
    assert client.post(captions_url(sample_event), {"captions": upload}).status_code == 403
    assert not Turn.objects.filter(event=sample_event, start_seconds__isnull=False).exists()


def test_a_media_file_with_the_wrong_extension_is_refused(editor_client, sample_event, media_root):
    url = reverse("admin:transcripts_event_change", args=[sample_event.pk])
    data = change_form_data(editor_client.get(url))
    data["media_file"] = SimpleUploadedFile("panel.exe", b"MZ")
    response = editor_client.post(url, data)
    assert response.status_code == 200 and "File extension “exe” is not allowed" in response.content.decode()
    data["media_file"] = SimpleUploadedFile("panel.mp3", b"ID3fake")
    assert editor_client.post(url, data).status_code == 302
    assert Event.objects.get(pk=sample_event.pk).media_file.name == "media/panel.mp3"
