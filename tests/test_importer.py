"""The importer: what the sample becomes in the database, idempotence, corrections, bad input."""

import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from transcripts.models import Appearance, Event, EventRevision, Person, Topic, Turn
from transcripts.operations.imports import import_transcript, restore_revision
from transcripts.search.models import IndexTask

pytestmark = pytest.mark.django_db


def speakers(event):
    return Counter(
        t.appearance.speaker_name if t.appearance else None for t in event.turns.select_related("appearance__person")
    )


def test_sample_becomes_an_event_with_people_and_turns(sample_event):
    event = Event.objects.get()
    assert event == sample_event
    assert event.title == "Combating Human Trafficking and Modern Slavery"
    assert str(event.date) == "2022-02-17"
    assert event.slug == "combating-human-trafficking-and-modern-slavery-2022-02-17"
    assert event.status == "published"
    assert event.organiser == "Council on Foreign Relations"
    assert event.description_html.startswith("<p>Following National Slavery")
    assert event.turns.count() == 63
    counts = speakers(event)
    assert counts["Mark Lagon"] == 29
    assert counts["Siddharth Kara"] == 9
    assert counts["Susan Coppedge"] == 8
    assert counts["Maggy Krell"] == 7
    assert (
        sum(
            n
            for name, n in counts.items()
            if name not in {"Mark Lagon", "Siddharth Kara", "Susan Coppedge", "Maggy Krell"}
        )
        == 10
    )
    roles = {a.speaker_name: a.role for a in Appearance.objects.select_related("person")}
    assert roles["Mark Lagon"] == "presider"
    assert {roles[n] for n in ("Susan Coppedge", "Siddharth Kara", "Maggy Krell")} == {"panelist"}
    assert roles["Jaeduk Seo"] == "questioner"
    # The call operator speaks at this event only: no Person row, no person page.
    assert roles["Operator"] == "operator" and not Person.objects.filter(name="Operator").exists()
    jaeduk = Appearance.objects.get(person__name="Jaeduk Seo")
    assert jaeduk.affiliation == "Radio Free Asia" and jaeduk.label == "Q"
    assert Appearance.objects.get(person__name="Susan Coppedge").title.startswith("Senior Counsel, Krevolin & Horst")
    assert sorted(Topic.objects.values_list("name", flat=True)) == [
        "Human Rights",
        "Human Trafficking",
        "Modern Slavery",
        "Supply Chains",
    ]
    assert list(event.turns.values_list("position", flat=True)) == list(range(1, 64))
    last = event.turns.order_by("-position").first()
    assert last.paragraphs[-1].endswith("Thank you very much.")
    assert "Top Stories" not in last.text
    # One revision, and the whole event queued for indexing.
    assert event.revisions.count() == 1
    assert IndexTask.objects.filter(model="transcripts.event", object_id=event.pk).exists()


def test_word_count_leaves_out_stage_directions(sample_event):
    turn = sample_event.turns.get(paragraphs__0__startswith="(Laughs.) You know, we")
    spoken = turn.text.replace("(Laughs.)", "")
    assert turn.word_count == len(spoken.split())


def test_importing_the_same_text_again_changes_nothing(sample_event, sample_text):
    ids_before = list(sample_event.turns.values_list("public_id", flat=True))
    updated_before = Event.objects.get().updated
    result = import_transcript(
        sample_text,
        metadata={
            "topics": ["Human Trafficking", "Modern Slavery", "Human Rights", "Supply Chains"],
            "organiser": "Council on Foreign Relations",
            "source_url": "https://www.cfr.org/event/combating-human-trafficking-and-modern-slavery",
        },
    )
    assert result.action == "unchanged"
    assert Event.objects.count() == 1 and Turn.objects.count() == 63
    assert list(Event.objects.get().turns.values_list("public_id", flat=True)) == ids_before
    assert Event.objects.get().updated == updated_before
    assert EventRevision.objects.count() == 1


def test_public_ids_are_the_same_on_a_fresh_import(sample_text):
    first = list(import_transcript(sample_text).event.turns.values_list("public_id", flat=True))
    Event.objects.all().delete()
    second = list(import_transcript(sample_text).event.turns.values_list("public_id", flat=True))
    assert first == second
    assert len(set(first)) == 63


def corrected(text):
    """A corrected sample: one turn's wording fixed, one short turn removed, one added."""
    text = text.replace(
        "Those two case studies give great texture.", "Those two case studies give a great deal of texture."
    )
    text = text.replace("\nLAGON: Thanks.\n", "\n")
    return text.replace(
        "LAGON: Another questioner?",
        "LAGON: Another questioner?\n\nKRELL: I would add one thing about survivors.\n\nLAGON: Please, go on.",
        1,
    )


def test_a_corrected_transcript_updates_in_place_and_keeps_public_ids(sample_event, sample_text):
    before = {t.text: t.public_id for t in sample_event.turns.all()}
    texture = sample_event.turns.get(text__startswith="Tremendous. Those two case studies")
    result = import_transcript(corrected(sample_text))
    assert result.action == "updated"
    assert Event.objects.count() == 1
    event = Event.objects.get()
    assert event.turns.count() == 63 - 1 + 2  # "Thanks." removed, a KRELL and a LAGON turn added
    assert result.diff.removed == 1 and result.diff.added == 2 and result.diff.changed == 1
    after = {t.text: t.public_id for t in event.turns.all()}
    unchanged = set(before) & set(after)
    assert len(unchanged) == 61
    assert all(before[text] == after[text] for text in unchanged)
    # The corrected turn keeps its id, so a quote link into it still finds it.
    assert event.turns.get(public_id=texture.public_id).text.startswith(
        "Tremendous. Those two case studies give a great deal"
    )
    assert list(event.turns.values_list("position", flat=True)) == list(range(1, 65))
    assert event.revisions.count() == 2


def test_restoring_a_revision_brings_back_text_and_ids(sample_event, sample_text):
    original = list(sample_event.turns.values_list("public_id", "text"))
    import_transcript(corrected(sample_text))
    restore_revision(EventRevision.objects.get(number=1))
    assert list(Event.objects.get().turns.values_list("public_id", "text")) == original
    assert EventRevision.objects.count() == 3


def test_one_person_across_events(sample_event, sample_text):
    second = sample_text.replace(
        "Combating Human Trafficking and Modern Slavery\n", "Supply Chains and Forced Labor\n", 1
    )
    second = second.replace("Thursday, February 17, 2022", "Tuesday, March 8, 2022")
    result = import_transcript(second)
    assert result.action == "created"
    assert Event.objects.count() == 2
    kara = Person.objects.get(name="Siddharth Kara")
    assert kara.appearances.count() == 2
    assert Person.objects.filter(name__iexact="siddharth kara").count() == 1


def test_a_failure_half_way_leaves_the_previous_version(sample_event, sample_text, monkeypatch):
    from transcripts.operations import imports as importer

    before = list(sample_event.turns.values_list("public_id", "text"))

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importer.Turn.objects, "bulk_create", explode)
    with pytest.raises(RuntimeError):
        import_transcript(corrected(sample_text))
    assert list(Event.objects.get().turns.values_list("public_id", "text")) == before
    assert EventRevision.objects.count() == 1


# --- the command ------------------------------------------------------------------


def run_import(*paths):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_transcripts", *map(str, paths), stdout=out, stderr=err)
        code = 0
    except CommandError as exc:
        err.write(str(exc))
        code = 1
    return code, out.getvalue(), err.getvalue()


def test_command_imports_a_folder_with_its_metadata_and_is_idempotent(tmp_path, sample_text):
    from tests.conftest import SAMPLE, SAMPLE_METADATA

    folder = tmp_path / "transcripts"
    folder.mkdir()
    (folder / SAMPLE.name).write_text(sample_text, encoding="utf-8")
    code, out, err = run_import(folder, "--sidecars", str(SAMPLE_METADATA.parent))
    assert code == 0, err
    assert "created combating-human-trafficking-and-modern-slavery-2022-02-17" in out
    assert Topic.objects.count() == 4
    code, out, err = run_import(folder, "--sidecars", str(SAMPLE_METADATA.parent))
    assert code == 0 and "unchanged" in out
    assert Event.objects.count() == 1 and Turn.objects.count() == 63


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty"),
        (b"   \n\n  \n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "looks like a PNG image"),
        (b"PK\x03\x04" + b"\x00" * 40, "looks like a ZIP archive"),
        (b"plain start\x00\x01\x02 then NUL bytes" * 20, "binary"),
        (b"Just some notes\n\nNo speakers here at all.\n", "No speaker turns"),
    ],
)
def test_command_refuses_bad_files_and_stores_nothing(tmp_path, content, message):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text("A Good Panel\n\nJanuary 5, 2021\n\nSMITH: Hello there.\n\nJONES: Hello back.\n", encoding="utf-8")
    code, out, err = run_import(bad, good)
    assert code == 1
    assert f"{bad}: error:" in err and message.lower() in err.lower()
    assert "1 of 2 file(s) failed" in err
    assert Event.objects.count() == 1 and Event.objects.get().title == "A Good Panel"


def test_command_accepts_windows_1252_with_a_warning(tmp_path):
    path = tmp_path / "cp1252.txt"
    path.write_bytes(
        "A Panel on \u201cQuotes\u201d\n\nJanuary 5, 2021\n\nSMITH: It\u2019s fine.\n\nJONES: Agreed.\n".encode(
            "cp1252"
        )
    )
    code, out, err = run_import(path)
    assert code == 0, err
    assert "Windows-1252" in out
    assert Turn.objects.get(label="SMITH").text == "It\u2019s fine."


def test_a_public_id_taken_by_another_event_is_not_reused(sample_text):
    first = import_transcript(sample_text).event.turns.order_by("position").first().public_id
    Event.objects.all().delete()
    other = Event.objects.create(title="Other", slug="other", status="published")
    Turn.objects.create(event=other, position=1, label="X", paragraphs=["Hello."], public_id=first)
    event = import_transcript(sample_text).event
    ids = list(event.turns.values_list("public_id", flat=True))
    assert first not in ids and len(set(ids)) == 63
    assert Turn.objects.get(public_id=first).event == other
