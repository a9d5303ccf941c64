"""Backup and restore: an exported archive restores an empty site to the same pages, public ids and links."""

import io

import pytest
from django.core.management import CommandError, call_command

from transcripts.models import Event, Person, PersonRedirect, Topic, Turn
from transcripts.operations.imports import import_transcript
from transcripts.snapshots import EventSnapshot

pytestmark = pytest.mark.django_db


def test_round_trip_restores_events_people_topics_and_public_ids(sample_event, sample_text, tmp_path, client):
    draft = import_transcript(
        "---\ntitle: A Draft Panel\ndate: 2023-05-01\n---\n\nSMITH: Not yet public.\n\nJONES: Indeed.\n", status="draft"
    ).event
    kara = Person.objects.get(name="Siddharth Kara")
    kara.bio = "Writes about *modern slavery*."
    kara.save()
    PersonRedirect.objects.create(old_slug="sid-kara", person=kara)
    topic = Topic.objects.get(name="Human Trafficking")
    topic.description = "Forced labour and sexual exploitation."
    topic.save()
    before = {e.slug: (e.status, EventSnapshot.from_event(e)) for e in Event.objects.all()}
    page_before = client.get(sample_event.get_absolute_url()).content

    call_command("export_archive", str(tmp_path), stdout=io.StringIO())
    assert (tmp_path / "events" / f"{sample_event.slug}.txt").read_text(encoding="utf-8") == sample_text
    Event.objects.all().delete()
    Person.objects.all().delete()
    Topic.objects.all().delete()
    assert Turn.objects.count() == 0

    call_command("import_archive", str(tmp_path), stdout=io.StringIO())
    after = {e.slug: (e.status, EventSnapshot.from_event(e)) for e in Event.objects.all()}
    assert after == before
    assert Event.objects.get(slug=draft.slug).status == "draft"
    restored = Person.objects.get(slug=kara.slug)
    assert restored.bio_html == "<p>Writes about <em>modern slavery</em>.</p>"
    assert restored.redirects.get().old_slug == "sid-kara"
    assert Topic.objects.get(slug=topic.slug).description == "Forced labour and sexual exploitation."
    assert client.get(sample_event.get_absolute_url()).content == page_before


def test_import_archive_refuses_a_site_that_has_events(sample_event, tmp_path):
    call_command("export_archive", str(tmp_path), stdout=io.StringIO())
    with pytest.raises(CommandError, match="already has events"):
        call_command("import_archive", str(tmp_path), stdout=io.StringIO())
    with pytest.raises(CommandError, match="No events found"):
        Event.objects.all().delete()
        call_command("import_archive", str(tmp_path / "nothing-here"), stdout=io.StringIO())


# --- revisions, validation, progress ------------------------------------------------------


def corrected_without_thanks(text):
    return text.replace("\nLAGON: Thanks.\n", "\n")


def wipe():
    Event.objects.all().delete()
    Person.objects.all().delete()
    Topic.objects.all().delete()


def test_revisions_are_exported_and_a_quote_link_through_an_old_revision_still_resolves(
    sample_event, sample_text, tmp_path, client
):
    from transcripts.models import EventRevision

    thanks = sample_event.turns.get(text="Thanks.")
    import_transcript(corrected_without_thanks(sample_text))
    assert not Turn.objects.filter(public_id=thanks.public_id).exists()  # only revision 1 knows this id
    fields = ("number", "note", "source_text", "created")
    revisions_before = list(EventRevision.objects.order_by("number").values_list(*fields))
    quote_before = client.get(f"/q/{thanks.public_id}/", {"text": "Thanks."})
    assert quote_before.status_code == 200

    err = io.StringIO()
    call_command("export_archive", str(tmp_path), stdout=io.StringIO(), stderr=err)
    assert "Exporting events: 1/1" in err.getvalue()
    wipe()
    assert EventRevision.objects.count() == 0
    assert client.get(f"/q/{thanks.public_id}/", {"text": "Thanks."}).status_code == 404

    out, err = io.StringIO(), io.StringIO()
    call_command("import_archive", str(tmp_path), stdout=out, stderr=err)
    assert "Restored 1 event(s) with 2 revision(s)." in out.getvalue()
    assert "Restoring events: 1/1" in err.getvalue()
    assert list(EventRevision.objects.order_by("number").values_list(*fields)) == revisions_before
    response = client.get(f"/q/{thanks.public_id}/", {"text": "Thanks."})
    assert response.status_code == 200
    assert response.content == quote_before.content
    # The turn is gone from the transcript; its old revision says where it stood and what it said.
    assert "edited since it was quoted" in response.content.decode()


def test_a_version_1_archive_without_revisions_still_restores(sample_event, tmp_path):
    import json

    call_command("export_archive", str(tmp_path), stdout=io.StringIO(), stderr=io.StringIO())
    path = tmp_path / "events" / f"{sample_event.slug}.json"
    data = json.loads(path.read_text())
    del data["revisions"]
    data["format"] = 1
    path.write_text(json.dumps(data))
    wipe()
    call_command("import_archive", str(tmp_path), stdout=io.StringIO(), stderr=io.StringIO())
    assert Event.objects.get().turns.count() == 63


def _export_and_edit(tmp_path, edit, name=None):
    import json

    call_command("export_archive", str(tmp_path), stdout=io.StringIO(), stderr=io.StringIO())
    path = tmp_path / (name or f"events/{Event.objects.get().slug}.json")
    data = json.loads(path.read_text())
    edit(data)
    path.write_text(json.dumps(data))
    wipe()


@pytest.mark.parametrize(
    "name, edit, message",
    [
        (
            None,
            lambda d: d["snapshot"]["event"].update(source_url="javascript:alert(4)"),
            "source_url: 'javascript:alert(4)' is not allowed as a link",
        ),
        (None, lambda d: d["snapshot"]["event"].update(title="T" * 400), "title is 400 characters long"),
        (None, lambda d: d.update(status="bogus"), "status is 'bogus'"),
        (None, lambda d: d["snapshot"]["turns"][0].update(kind="shout"), "turn 1 has kind 'shout'"),
        (None, lambda d: d["snapshot"]["event"].update(date="17/02/2022"), "date is '17/02/2022'"),
        (None, lambda d: d["snapshot"].pop("turns"), "a required field is missing ('turns')"),
        ("people.json", lambda d: d[0].update(photo_url="javascript:alert(1)"), "photo_url: 'javascript:alert(1)'"),
        ("people.json", lambda d: d[0].update(name="N" * 300), "name is 300 characters long"),
    ],
)
def test_import_archive_refuses_invalid_files_naming_them_and_stores_nothing(
    sample_event, tmp_path, name, edit, message
):
    _export_and_edit(tmp_path, edit, name)
    with pytest.raises(CommandError) as caught:
        call_command("import_archive", str(tmp_path), stdout=io.StringIO(), stderr=io.StringIO())
    assert message in str(caught.value)
    assert str(caught.value).startswith(name or f"{sample_event.slug}.json")
    assert "nothing was restored" in str(caught.value)
    assert not Event.objects.exists() and not Person.objects.exists() and not Topic.objects.exists()


def test_import_archive_strips_control_characters_with_a_warning(sample_event, tmp_path):
    def edit(data):
        data["snapshot"]["event"]["title"] = "Combating\x0b Trafficking\x00"
        data["snapshot"]["turns"][0]["paragraphs"][0] = "Thank\x1b you."

    _export_and_edit(tmp_path, edit)
    out = io.StringIO()
    call_command("import_archive", str(tmp_path), stdout=out, stderr=io.StringIO())
    event = Event.objects.get()
    assert event.title == "Combating\n Trafficking"
    assert event.turns.get(position=1).paragraphs[0] == "Thank you."
    assert "warning:" in out.getvalue() and "control characters" in out.getvalue() and "turn 1" in out.getvalue()
