"""Hostile and outsized writes: control and invisible characters on every write path,
names that fold long, archives that name what they should not, full disks, nested
metadata, deleting a person. Each gets a clear message and stores nothing half-done."""

import datetime
import errno
import io
import json
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from search_helpers import make_event

from tests.staff.test_admin_support import (  # noqa: F401  (fixtures)
    change_form_data,
    editor,
    editor_client,
    review_url,
    submit_review,
    upload,
)
from transcripts.models import Appearance, Event, EventRevision, PendingUpload, Person, Topic, Turn
from transcripts.normalise import NAME_KEY_LENGTH, name_key
from transcripts.operations.imports import import_transcript

pytestmark = pytest.mark.django_db

CONTROLS = "\x01\x07\x1b\x7f\x9b"


# One cleaning rule on every model write --------------------------------------------------


def test_every_write_path_stores_text_without_control_characters():
    event = make_event("Panel", date=datetime.date(2024, 1, 1), turns=[("Ada Lovelace", "panelist", "Engines.")])
    person = Person.objects.get()
    person.name, person.bio = f"Ada{CONTROLS} Lovelace", f"Notes{CONTROLS}."
    person.save()
    assert (person.name, person.bio) == ("Ada Lovelace", "Notes.")  # the instance holds what was stored
    Person.objects.bulk_create([Person(name=f"Bulk{CONTROLS} Made", slug="bulk-made")])
    Topic.objects.create(name=f"Trade{CONTROLS}", slug="trade", description=f"About{CONTROLS} trade")
    Event.objects.filter(pk=event.pk).update(title=f"Panel{CONTROLS} Two", organiser=f"Org{CONTROLS}")
    Turn.objects.filter(event=event).update(label=f"ADA{CONTROLS}", timestamp=f"0:01{CONTROLS}")
    Appearance.objects.filter(event=event).update(label=f"ADA{CONTROLS}", affiliation=f"Uni{CONTROLS}")
    assert Person.objects.get(slug="bulk-made").name == "Bulk Made"
    assert Topic.objects.values_list("name", "description").get() == ("Trade", "About trade")
    assert Event.objects.values_list("title", "organiser").get() == ("Panel Two", "Org")
    assert Turn.objects.values_list("label", "timestamp").get() == ("ADA", "0:01")
    assert Appearance.objects.values_list("label", "affiliation").get() == ("ADA", "Uni")


def admin_change(client, model: str, pk: int, **changes):
    url = reverse(f"admin:transcripts_{model}_change", args=[pk])
    data = change_form_data(client.get(url))
    data.update(changes)
    return client.post(url, data)


def test_admin_change_forms_store_no_control_characters(editor_client):
    event = make_event("Panel", date=datetime.date(2024, 1, 1), turns=[("Ada Lovelace", "panelist", "Engines.")])
    topic = Topic.objects.create(name="Trade", slug="trade")
    turn = event.turns.get()
    responses = [
        admin_change(editor_client, "person", Person.objects.get().pk, name=f"Ada{CONTROLS} Byron", bio=f"B{CONTROLS}"),
        admin_change(editor_client, "topic", topic.pk, name=f"Fair{CONTROLS} Trade"),
        admin_change(editor_client, "turn", turn.pk, label=f"BYRON{CONTROLS}", timestamp=f"00:01{CONTROLS}"),
        admin_change(editor_client, "event", event.pk, title=f"Panel{CONTROLS} Day", organiser=f"Org{CONTROLS}"),
    ]
    assert [r.status_code for r in responses] == [302] * 4, [r.content[:300] for r in responses]
    assert Person.objects.values_list("name", "bio").get() == ("Ada Byron", "B")
    assert Topic.objects.get().name == "Fair Trade"
    assert Turn.objects.values_list("label", "timestamp").get() == ("BYRON", "00:01")
    assert Event.objects.values_list("title", "organiser").get() == ("Panel Day", "Org")


# Invisible characters in names ------------------------------------------------------------

INVISIBLE_SPELLINGS = [
    "Ada Lovelace",
    "Ada\u200b Lovelace",  # zero-width space
    "Ada Love\u200dlace",  # zero-width joiner
    "Ada Love\u200clace",  # zero-width non-joiner
    "Ada Love\u00adlace",  # soft hyphen
    "Ada\u2060 Lovelace",  # word joiner
    "\ufeffAda Lovelace",  # byte-order mark
    "\u200eAda Lovelace",  # left-to-right mark
    "\u202eAda Lovelace",  # right-to-left override
    "ADA LOVELACE",
    "Ada  Lovelace",
    "ada lovelace\u200f",  # right-to-left mark
]


def test_invisible_characters_make_no_new_person():
    """Twelve panels, each naming its speaker (as staff type it in the preview, or a roster
    gives it) in another spelling of one name: one person."""
    for number, spelling in enumerate(INVISIBLE_SPELLINGS):
        text = f"---\ntitle: Panel {number}\ndate: 2024-01-{number + 1:02d}\n---\n\nLOVELACE: Looms.\n\nBABBAGE: Yes.\n"
        import_transcript(text, people={"Lovelace": {"name": spelling}})
    lovelace = Person.objects.filter(name_key="ada lovelace")
    assert lovelace.count() == 1 and Person.objects.filter(name__icontains="lace").count() == 1
    person = lovelace.get()
    assert person.name == "Ada Lovelace" and person.appearances.count() == len(INVISIBLE_SPELLINGS)


def test_a_name_typed_with_invisible_characters_is_stored_without_them():
    person = Person.objects.create(name="\u202eAda\u200b Love\u00adlace\ufeff", slug="ada")
    assert Person.objects.values_list("name", "name_key", "sort_name").get() == (
        "Ada Lovelace",
        "ada lovelace",
        "lovelace ada",
    )
    assert person.name == "Ada Lovelace"


def test_people_stored_before_the_rule_get_clean_names_and_keys():
    from importlib import import_module

    import django.apps
    from django.db import connection

    person = Person.objects.create(name="Ada Lovelace", slug="ada")
    with connection.cursor() as cursor:  # as an older version stored it
        cursor.execute(
            "UPDATE transcripts_person SET name = %s, name_key = %s WHERE id = %s",
            ["Ada\u200b Love\u00adlace\x01", "ada\u200b love\u00adlace", person.pk],
        )
    import_module("transcripts.migrations.0011_clean_text_fields").clean_people_names(django.apps.apps, None)
    assert Person.objects.values_list("name", "name_key").get() == ("Ada Lovelace", "ada lovelace")


# Keys that fold longer than their column --------------------------------------------------


@pytest.mark.parametrize("name", ["ß" * 150, "ﬃ" * 200, "½" * 200, "\ufdfa" * 20, "Ǆ" * 200])
def test_a_name_that_folds_longer_than_its_column_is_stored(name):
    person = Person.objects.create(name=name, slug="long")
    stored = Person.objects.get(pk=person.pk)
    assert len(stored.name_key) <= NAME_KEY_LENGTH and len(stored.sort_name) <= 200
    assert stored.name_key == name_key(name.upper()) == name_key(name)  # other spellings still match
    assert name_key(name + "x") != stored.name_key  # a longer name is another key


# The archive: names, paths, slugs, types --------------------------------------------------


@pytest.fixture
def exported(sample_event, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "site-media"
    archive = tmp_path / "archive"
    call_command("export_archive", str(archive), stdout=io.StringIO())
    Event.objects.all().delete()
    Person.objects.all().delete()
    Topic.objects.all().delete()
    return archive


def edit_event_file(archive, change):
    (path,) = (archive / "events").glob("*.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")


def assert_restore_refused(archive, settings, message: str):
    with pytest.raises(CommandError) as refused:
        call_command("import_archive", str(archive), stdout=io.StringIO(), stderr=io.StringIO())
    assert message in str(refused.value) and "\n" not in str(refused.value)
    assert not Event.objects.exists() and not Person.objects.exists() and not Topic.objects.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]


@pytest.mark.parametrize(
    "attr, name",
    [
        ("media_file", "media/page.html"),
        ("captions_file", "captions/app.js"),
        ("media_file", "media/../../secret.mp3"),
        ("captions_file", "../outside.vtt"),
        ("media_file", "/etc/passwd.mp3"),
        ("media_file", "media/sub/dir.mp3"),
    ],
)
def test_an_archive_naming_unsafe_files_is_refused(exported, settings, attr, name):
    (exported / "files" / "media").mkdir(parents=True, exist_ok=True)
    (exported / "files" / "media" / "page.html").write_text("<script>alert(1)</script>")
    (exported / "outside.vtt").write_text("WEBVTT\n")

    def change(data):
        data["snapshot"]["event"][attr] = name

    edit_event_file(exported, change)
    assert_restore_refused(exported, settings, f"{attr} is {name!r}")


@pytest.mark.parametrize("where", ["event", "person", "topic", "redirect"])
def test_an_archive_with_a_slug_that_is_no_slug_is_refused(exported, settings, where):
    if where == "event":
        edit_event_file(exported, lambda data: data.update(slug="q3 panel"))
    else:
        file = exported / ("topics.json" if where == "topic" else "people.json")
        rows = json.loads(file.read_text(encoding="utf-8"))
        if where == "redirect":
            rows[0]["redirects"] = ["q3 panel"]
        else:
            rows[0]["slug"] = "q3 panel"
        file.write_text(json.dumps(rows), encoding="utf-8")
    assert_restore_refused(exported, settings, "has the slug 'q3 panel'")


def test_an_archive_giving_one_slug_to_two_events_is_refused(exported, settings):
    (path,) = (exported / "events").glob("*.json")
    twin = json.loads(path.read_text(encoding="utf-8"))
    for turn in twin["snapshot"]["turns"]:
        turn["public_id"] = "x" + turn["public_id"][1:]  # new turn ids, the same event slug
    (exported / "events" / "twin.json").write_text(json.dumps(twin), encoding="utf-8")
    assert_restore_refused(exported, settings, "it repeats a slug or turn id")


def test_a_restored_media_file_is_served_as_media(exported, settings, client):
    (exported / "files" / "media").mkdir(parents=True)
    (exported / "files" / "media" / "panel.mp3").write_bytes(b"ID3" + bytes(100))
    edit_event_file(exported, lambda data: data["snapshot"]["event"].update(media_file="media/panel.mp3"))
    call_command("import_archive", str(exported), stdout=io.StringIO(), stderr=io.StringIO())
    response = client.get("/media/media/panel.mp3")
    assert response.status_code == 200 and response["Content-Type"] == "audio/mpeg"


# The archive: a faithful round trip -------------------------------------------------------


def test_backup_and_restore_keep_bytes_fingerprints_and_times(tmp_path, client):
    crlf = "---\r\ntitle: Line Ends\r\ndate: 2024-05-01\r\n---\r\n\r\nSMITH: One.\r\n\r\nJONES: Two.\r\n"
    first = import_transcript(crlf, status="published").event
    second = import_transcript(crlf.replace("Line Ends", "Same Day"), status="published").event
    third = import_transcript(crlf.replace("Line Ends", "Alpha First"), status="published").event
    long_ago = [datetime.datetime(2020, month, 1, 12, tzinfo=datetime.UTC) for month in (3, 4, 5)]
    for event, created in zip((first, second, third), long_ago):
        Event.objects.filter(pk=event.pk).update(created=created, updated=created)
    Person.objects.update(created=long_ago[0])
    order_before = list(Event.objects.values_list("slug", flat=True))
    feed_before = client.get("/feeds/events/").content
    people_before = dict(Person.objects.values_list("slug", "created"))

    call_command("export_archive", str(tmp_path), stdout=io.StringIO())
    Event.objects.all().delete()
    Person.objects.all().delete()
    call_command("import_archive", str(tmp_path), stdout=io.StringIO(), stderr=io.StringIO())

    restored = Event.objects.get(slug=first.slug)
    assert restored.source_text == crlf  # byte for byte, CRLF included
    assert list(Event.objects.values_list("slug", flat=True)) == order_before  # same-date events keep their order
    assert [Event.objects.get(slug=e.slug).created for e in (first, second, third)] == long_ago
    assert dict(Person.objects.values_list("slug", "created")) == people_before
    assert client.get("/feeds/events/").content == feed_before
    again = import_transcript(crlf)
    assert again.action == "unchanged" and restored.revisions.count() == 1


# Topic names at confirm --------------------------------------------------------------------


def test_a_new_topic_name_over_the_limit_is_a_message_at_confirm(editor_client, sample_text):
    upload(editor_client, sample_text, filename="cfr-sample.txt")
    url = review_url(PendingUpload.objects.get())
    response = editor_client.get(url)
    reply = submit_review(editor_client, url, response, new_topics="Trade, " + "Supply chains " * 20)
    assert reply.status_code == 200
    assert "is 279 characters long; a topic name may be at most 200" in reply.content.decode()
    assert not Event.objects.exists() and not Topic.objects.filter(name__startswith="Supply").exists()


# A full disk under the media folder -------------------------------------------------------


class FullDiskFile:
    """A file on a disk that fills up after its first 10 bytes (what FileSystemStorage
    writes through: os.fdopen's file)."""

    def __init__(self, handle):
        self.handle, self.written = handle, 0

    def write(self, data):
        room = max(0, 10 - self.written)
        self.handle.write(data[:room])
        self.handle.flush()
        self.written += min(room, len(data))
        if len(data) > room:
            raise OSError(errno.ENOSPC, "No space left on device")
        return len(data)

    def close(self):
        self.handle.close()


@pytest.fixture
def full_disk(settings, tmp_path, monkeypatch):
    """Files written under MEDIA_ROOT stop with ENOSPC after their first 10 bytes."""
    settings.MEDIA_ROOT = tmp_path / "media-root"
    real_fdopen = os.fdopen

    def fdopen(fd, *args, **kwargs):
        handle = real_fdopen(fd, *args, **kwargs)
        inside = os.readlink(f"/proc/self/fd/{fd}").startswith(str(settings.MEDIA_ROOT))
        return FullDiskFile(handle) if inside else handle

    monkeypatch.setattr(os, "fdopen", fdopen)
    return settings.MEDIA_ROOT


def stored_files(root):
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_media_upload_on_a_full_disk_says_so_and_leaves_nothing(editor_client, sample_event, full_disk):
    url = reverse("admin:transcripts_event_change", args=[sample_event.pk])
    data = change_form_data(editor_client.get(url))
    data["media_file"] = SimpleUploadedFile("panel.mp3", b"ID3" + bytes(5000))
    response = editor_client.post(url, data, follow=True)
    assert response.status_code == 200
    assert "the disk that holds the site&#x27;s media folder is full" in response.content.decode()
    assert stored_files(full_disk) == []
    assert Event.objects.get(pk=sample_event.pk).media_file.name == ""
    assert sample_event.revisions.count() == 1  # no version for an edit that was not stored


def test_a_captions_upload_on_a_full_disk_says_so_and_leaves_nothing(editor_client, sample_event, full_disk):
    from tests.media_helpers import captions_for

    vtt = captions_for(list(sample_event.turns.order_by("position")))[0]
    url = reverse("admin:transcripts_event_captions", args=[sample_event.pk])
    response = editor_client.post(url, {"captions": SimpleUploadedFile("panel.vtt", vtt.encode())})
    page = response.content.decode()
    assert response.status_code == 200 and "media folder is full" in page and "cannot be read any more" not in page
    assert stored_files(full_disk) == []
    assert not Turn.objects.filter(event=sample_event, start_seconds__isnull=False).exists()


# Sidecar metadata nested deeper than JSON reading goes ------------------------------------


def test_deeply_nested_sidecar_json_fails_that_file_only(tmp_path):
    good, bad = tmp_path / "good.txt", tmp_path / "bad.txt"
    good.write_text("---\ntitle: Good Panel\ndate: 2024-01-01\n---\n\nSMITH: Fine.\n\nJONES: Yes.\n")
    bad.write_text("---\ntitle: Bad Panel\ndate: 2024-01-02\n---\n\nSMITH: Fine.\n\nJONES: Yes.\n")
    (tmp_path / "bad.txt.json").write_text('{"topics": ' + "[" * 200_000 + "]" * 200_000 + "}")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 of 2 file"):
        call_command("import_transcripts", str(tmp_path), stdout=out, stderr=err)
    assert "bad.txt.json nests lists or objects too deeply to read" in err.getvalue()
    assert "Traceback" not in err.getvalue()
    assert list(Event.objects.values_list("title", flat=True)) == ["Good Panel"]


# Deleting a person --------------------------------------------------------------------------


def test_an_editor_deleting_a_person_records_a_version_of_each_event(editor_client, sample_event):
    second = "---\ntitle: Second\ndate: 2023-01-01\n---\n\nKARA: Cobalt.\n\nLAGON: Thanks.\n"
    other = import_transcript(second, people={"Kara": {"name": "Siddharth Kara"}}).event
    kara = Person.objects.get(name="Siddharth Kara")
    events = {sample_event.pk, other.pk}
    assert set(kara.appearances.values_list("event_id", flat=True)) == events
    before = {pk: EventRevision.objects.filter(event_id=pk).count() for pk in events}
    url = reverse("admin:transcripts_person_delete", args=[kara.pk])
    assert editor_client.post(url, {"post": "yes"}).status_code == 302
    assert not Person.objects.filter(pk=kara.pk).exists()
    for pk in events:
        latest = EventRevision.objects.filter(event_id=pk).order_by("-number").first()
        assert EventRevision.objects.filter(event_id=pk).count() == before[pk] + 1
        assert latest.note == "Deleted the person Siddharth Kara" and latest.created_by is not None
        speakers = {p["name"] for p in latest.snapshot["participants"]}
        assert "Siddharth Kara" not in speakers
