"""The demo archive that ships with the project (transcripts/demo): what `make run` imports
on a fresh clone. Every file imports, a second import changes nothing, and the home page
then shows several events, people and topics that link across events."""

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from transcripts.models import Event, Person, Topic

DEMO = Path(__file__).resolve().parents[2] / "transcripts" / "demo"
TRANSCRIPTS = DEMO / "transcripts"
METADATA = DEMO / "metadata"


def import_demo() -> str:
    """What `make run` does (Makefile: import_transcripts SAMPLES --sidecars transcripts/demo/metadata)."""
    out = StringIO()
    call_command("import_transcripts", str(TRANSCRIPTS), "--sidecars", str(METADATA), stdout=out, stderr=StringIO())
    return out.getvalue()


def test_every_demo_transcript_has_its_metadata_and_the_sources_file_names_it():
    files = sorted(p.name for p in TRANSCRIPTS.iterdir())
    assert len(files) >= 5
    assert {Path(name).suffix for name in files} >= {".txt", ".vtt", ".srt", ".md"}
    sources = (DEMO / "SOURCES.md").read_text(encoding="utf-8")
    for name in files:
        metadata = json.loads((METADATA / f"{name}.json").read_text(encoding="utf-8"))
        assert metadata["topics"], name
        assert metadata.get("organiser"), name
        assert name in sources, f"SOURCES.md says nothing of {name}"


def test_the_demo_imports_once_and_a_second_import_changes_nothing(db, client):
    first = import_demo()
    assert first.count(": created ") == len(list(TRANSCRIPTS.iterdir()))
    counts = (Event.objects.count(), Person.objects.count(), Topic.objects.count())
    versions = [e.revisions.count() for e in Event.objects.order_by("pk")]

    second = import_demo()
    assert second.count(": unchanged ") == len(list(TRANSCRIPTS.iterdir()))
    assert "created" not in second and "updated" not in second
    assert (Event.objects.count(), Person.objects.count(), Topic.objects.count()) == counts
    assert [e.revisions.count() for e in Event.objects.order_by("pk")] == versions

    home = client.get("/?format=json").json()
    assert len(home["latest_events"]) == 6
    assert len(home["frequent_speakers"]) == 8
    assert len(home["topics"]) >= 7
    # The fictional moderator links three events; a topic spans the sample and the demo.
    assert home["frequent_speakers"][0] == {**home["frequent_speakers"][0], "name": "Halima Brennock", "events": 3}
    by_name = {t["name"]: t["events"] for t in home["topics"]}
    assert by_name["Human Trafficking"] == 4 and by_name["Supply Chains"] == 4


def test_a_caption_file_imports_as_a_media_timed_event_and_no_title_warning_is_left(db):
    out = import_demo()
    assert "No title found" not in out  # each title came from its metadata file
    event = Event.objects.get(slug="worker-voice-and-grievance-mechanisms-2024-03-19")
    starts = list(event.turns.order_by("position").values_list("start_seconds", flat=True))
    assert len(starts) == 12 and None not in starts and starts == sorted(starts)
    assert [p.name for p in Person.objects.filter(appearances__event=event).order_by("appearances__order")] == [
        "Priya Castellane",
        "Osric Penhallow",
        "Halima Brennock",
    ]


@pytest.mark.parametrize(
    "path, shown",
    [
        ("/", ["Recruitment Fees Paid by Migrant Workers", "Halima Brennock", "Forced Labor"]),
        ("/events/", ["6 events, newest first", "Worker Voice and Grievance Mechanisms"]),
        ("/people/", ["Ngozi Farrant-Ilves", "Teodor Vaskes", "Siddharth Kara"]),
        ("/topics/", ["Migrant Workers", "Due Diligence", "Modern Slavery"]),
    ],
)
def test_the_demo_pages_answer_with_their_content(db, client, path, shown):
    import_demo()
    html = client.get(path).content.decode()
    for text in shown:
        assert text in html, text
    assert not re.search(r"No (events|topics|speakers) yet", html)
