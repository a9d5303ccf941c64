"""Backup and restore: an exported archive restores an empty site to the same pages, public ids and links."""
import io

import pytest
from django.core.management import CommandError, call_command

from transcripts.importer import import_transcript, snapshot_event
from transcripts.models import Event, Person, PersonRedirect, Topic, Turn

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
    before = {e.slug: (e.status, snapshot_event(e)) for e in Event.objects.all()}
    page_before = client.get(sample_event.get_absolute_url()).content

    call_command("export_archive", str(tmp_path), stdout=io.StringIO())
    assert (tmp_path / "events" / f"{sample_event.slug}.txt").read_text(encoding="utf-8") == sample_text
    Event.objects.all().delete()
    Person.objects.all().delete()
    Topic.objects.all().delete()
    assert Turn.objects.count() == 0

    call_command("import_archive", str(tmp_path), stdout=io.StringIO())
    after = {e.slug: (e.status, snapshot_event(e)) for e in Event.objects.all()}
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
