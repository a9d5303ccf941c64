"""The importer: what the sample becomes in the database, idempotence, corrections, bad input."""

import dataclasses
import datetime
import io
from collections import Counter

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command

from transcripts.models import Appearance, Event, EventRevision, Person, Topic, Turn, TurnRevision
from transcripts.operations.imports import (
    PreparedDiff,
    apply_snapshot,
    import_transcript,
    prepare_diff,
    resolve_person,
    resolve_topics,
    restore_revision,
)
from transcripts.operations.versions import record_revision
from transcripts.parsing import ParseError, Participant
from transcripts.search.models import IndexTask
from transcripts.snapshots import EventSnapshot
from transcripts.turn_rows import TurnDiff, diff_turns, event_slug, group_appearances, sha256

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


# --- small transcripts, each decision on its own -----------------------------------------

PANEL = (
    "A Small Panel\n\nJanuary 5, 2021\n\n"
    "SMITH: Hello there.\n\nJONES: Hello back, friend.\n\nSMITH: One more thing.\n\nOPERATOR: Next question.\n"
)

# PANEL as stored: (position, label, speaker, text) per turn.
PANEL_ROWS = [
    (1, "SMITH", "Smith", "Hello there."),
    (2, "JONES", "Jones", "Hello back, friend."),
    (3, "SMITH", "Smith", "One more thing."),
    (4, "OPERATOR", "Operator", "Next question."),
]


def rows(event):
    """Each turn as stored: (position, label, speaker's name or None, text)."""
    turns = Turn.objects.filter(event=event).select_related("appearance__person").order_by("position")
    return [(t.position, t.label, t.appearance.speaker_name if t.appearance else None, t.text) for t in turns]


def versions(event):
    return list(EventRevision.objects.filter(event=event).order_by("number").values_list("number", "note"))


def test_a_small_import_stores_exactly_its_turns_speakers_and_version(django_user_model):
    staff = django_user_model.objects.create_user("editor", password="x")
    result = import_transcript(PANEL, status="draft", user=staff, metadata={"topics": ["  Trade   Policy ", ""]})
    event = result.event
    assert result.action == "created" and result.warnings == [
        "Label 'SMITH' could not be matched to a full name; it will be shown as 'Smith'.",
        "Label 'JONES' could not be matched to a full name; it will be shown as 'Jones'.",
    ]
    assert (result.diff.added, result.diff.kept, result.diff.changed, result.diff.removed) == (4, 0, 0, 0)
    assert (event.title, event.date, event.status, event.slug) == (
        "A Small Panel",
        datetime.date(2021, 1, 5),
        "draft",
        "a-small-panel-2021-01-05",
    )
    assert event.source_text == PANEL and event.source_sha256 == sha256(
        PANEL + "[('topics', ['  Trade   Policy ', ''])]" + "[]"
    )
    assert rows(event) == PANEL_ROWS
    assert list(event.topics.values_list("name", flat=True)) == ["Trade Policy"]
    assert Topic.objects.get().slug == "trade-policy"
    # Two turns, one appearance; the operator is a speaker of this event only.
    smith = Appearance.objects.get(event=event, person__name="Smith")
    assert (smith.label, smith.role, smith.order, smith.turn_count, smith.word_count) == ("SMITH", "panelist", 0, 2, 5)
    operator = Appearance.objects.get(event=event, person=None)
    assert (operator.name, operator.order) == ("Operator", 2)
    assert sorted(Person.objects.values_list("name", "slug")) == [("Jones", "jones"), ("Smith", "smith")]
    revision = EventRevision.objects.get(event=event)
    assert (revision.number, revision.note, revision.created_by, revision.source_text) == (
        1,
        "Imported (created)",
        staff,
        PANEL,
    )
    assert [t["paragraphs"] for t in revision.snapshot["turns"]] == [
        ["Hello there."],
        ["Hello back, friend."],
        ["One more thing."],
        ["Next question."],
    ]
    assert revision.snapshot == EventSnapshot.from_event(event).to_json()
    assert result.diff.stored == EventSnapshot.from_event(event)  # what was stored, as read back
    assert IndexTask.objects.filter(model="transcripts.event", object_id=event.pk).exists()
    assert len({t.public_id for t in event.turns.all()}) == 4
    assert all(len(t.public_id) == 10 and t.public_id == t.public_id.lower() for t in event.turns.all())


def test_public_ids_are_made_from_the_event_label_and_text():
    """A quote link carries the turn's public id: the same text imported afresh (a rebuilt
    archive, a second copy of the site) must give every turn the id it had."""
    ids = list(import_transcript(PANEL).event.turns.order_by("position").values_list("public_id", flat=True))
    assert ids == ["oqogaiw2ah", "ugeoyg5srb", "bfril2occx", "w5y5kb7azf"]


def test_the_same_words_twice_get_two_ids():
    event = import_transcript("Echo Panel\n\nMay 1, 2023\n\nSMITH: Yes.\n\nJONES: No.\n\nSMITH: Yes.\n").event
    first, _, third = event.turns.order_by("position")
    assert first.public_id != third.public_id
    # The second "Yes." is made from its occurrence (2), so a fresh import gives it the same id.
    assert [first.public_id, third.public_id] == ["sijqiy3ws7", "tep76gadt4"]
    again = import_transcript("Echo Panel\n\nMay 1, 2023\n\nSMITH: Yes.\n\nJONES: No.\n\nSMITH: Yes.\n\n")
    assert again.action == "updated" and not again.diff.has_changes
    assert [t.public_id for t in again.event.turns.order_by("position")][::2] == [first.public_id, third.public_id]


def test_the_same_text_again_is_unchanged_unless_the_status_differs():
    first = import_transcript(PANEL, status="draft")
    again = import_transcript(PANEL)
    assert again.action == "unchanged" and again.diff.kept == 4 and again.event == first.event
    assert import_transcript(PANEL, status="draft").action == "unchanged"
    assert versions(first.event) == [(1, "Imported (created)")]
    published = import_transcript(PANEL, status="published", note="Published it")
    assert published.action == "updated" and not published.diff.has_changes
    assert Event.objects.get().status == "published"
    assert versions(first.event) == [(1, "Imported (created)"), (2, "Published it")]


def test_a_new_event_gets_published_unless_told_otherwise():
    assert import_transcript(PANEL).event.status == "published"


def test_a_correction_found_by_title_and_date_keeps_ids_and_notes_the_update():
    event = import_transcript(PANEL).event
    ids = list(event.turns.order_by("position").values_list("public_id", flat=True))
    result = import_transcript(PANEL.replace("One more thing.", "One more thing, please."))
    assert result.action == "updated" and result.event == event
    assert (result.diff.kept, result.diff.changed, result.diff.added, result.diff.removed) == (3, 1, 0, 0)
    assert list(event.turns.order_by("position").values_list("public_id", flat=True)) == ids
    assert rows(event)[2] == (3, "SMITH", "Smith", "One more thing, please.")
    assert versions(event) == [(1, "Imported (created)"), (2, "Imported (updated)")]
    # The text version 1 had for the turn version 2 changed is kept.
    assert list(TurnRevision.objects.values_list("public_id", "number", "position", "paragraphs")) == [
        (ids[2], 1, 3, ["One more thing."])
    ]
    assert Event.objects.count() == 1 and Person.objects.count() == 2


def test_a_correction_of_a_given_event_under_another_title():
    event = import_transcript(PANEL).event
    result = import_transcript(PANEL.replace("A Small Panel", "A Renamed Panel"), event=event)
    assert result.action == "updated" and Event.objects.count() == 1
    stored = Event.objects.get()
    assert stored.title == "A Renamed Panel" and stored.slug == "a-small-panel-2021-01-05"


def test_a_correction_keeps_what_staff_decided_unless_given_again():
    event = import_transcript(PANEL, metadata={"organiser": "Org"}).event
    Event.objects.filter(pk=event.pk).update(organiser="Staff's Org")
    Appearance.objects.filter(event=event, person__name="Jones").update(role="presider")
    import_transcript(PANEL.replace("Hello there.", "Hello there!"), event=event, metadata={"topics": ["T"]})
    assert Event.objects.get().organiser == "Staff's Org"
    assert Appearance.objects.get(event=event, person__name="Jones").role == "presider"
    import_transcript(PANEL, event=event, metadata={"organiser": "Given"}, people={"Jones": {"role": "panelist"}})
    assert Event.objects.get().organiser == "Given"
    assert Appearance.objects.get(event=event, person__name="Jones").role == "panelist"


def test_an_import_without_a_title_is_refused_and_stores_nothing():
    with pytest.raises(ParseError) as refused:
        import_transcript("SMITH: Hello there.\n\nJONES: Hello back.\n")
    assert str(refused.value) == (
        "No title found: add a 'title:' line in front matter, or give one when importing "
        "(import_transcripts FILE --title … --date …, or the upload form's Title)."
    )
    assert not Event.objects.exists() and not Person.objects.exists() and not IndexTask.objects.exists()


def test_a_title_given_at_import_drops_the_no_title_warning_only():
    from transcripts.parsing.parse import NO_TITLE_WARNING

    text = "SMITH: Hello there.\n\nJONES: Hello\x07 back.\n"
    result = import_transcript(text, metadata={"title": "Given Title"})
    assert NO_TITLE_WARNING not in result.warnings
    assert result.warnings[-1] == (
        "Removed invisible control characters (they break the feeds) from: the transcript text. "
        "Check the source if something looks wrong there."
    )
    assert rows(result.event)[1] == (2, "JONES", "Jones", "Hello back.")
    assert result.event.source_text == "SMITH: Hello there.\n\nJONES: Hello back.\n"
    assert result.event.slug == "given-title"


def test_a_second_event_of_the_same_title_and_date_under_another_slug():
    first = import_transcript(PANEL).event
    Event.objects.filter(pk=first.pk).update(slug="moved")
    second = import_transcript(PANEL).event
    assert second.pk != first.pk and second.slug == "a-small-panel-2021-01-05"
    Event.objects.filter(pk=second.pk).update(slug="moved-too")
    Event.objects.create(title="Taken", slug="a-small-panel-2021-01-05-2")
    Event.objects.create(title="Taken", slug="a-small-panel-2021-01-05")
    assert import_transcript(PANEL, event=second).event.slug == "moved-too"


def test_event_slug():
    assert event_slug("A Small Panel", datetime.date(2021, 1, 5)) == "a-small-panel-2021-01-05"
    assert event_slug("A Small Panel", None) == "a-small-panel"
    assert event_slug("!!!", None) == "event" and event_slug("", datetime.date(2020, 2, 3)) == "event-2020-02-03"
    assert event_slug("word " * 40, None) == ("word-" * 30)[:149]
    assert event_slug("x" * 149 + " y", None) == "x" * 149


def test_sha256_of_the_text():
    assert sha256("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_people_are_found_by_name_or_made_with_a_unique_slug():
    smith = resolve_person("Smith")
    assert (smith.name, smith.slug) == ("Smith", "smith") and resolve_person("SMITH") == smith
    Person.objects.create(name="Other Smith", slug="smith-2")
    other = Person.objects.create(name="Someone", slug="someone")
    assert resolve_person("Anyone", slug="someone") == other
    assert resolve_person("Smith ").slug == "smith"
    unnamed = resolve_person("…")
    assert unnamed.slug == "speaker" and resolve_person("—").slug == "speaker-2"


def test_a_long_name_gets_a_slug_with_room_for_a_number():
    name = "Wordy " * 33  # 197 characters once stripped: within the name's 200, its slug cut to 190
    first, second = resolve_person(name), resolve_person(name.upper() + "X")
    assert first.slug == ("wordy-" * 32)[:190] and second.slug == ("wordy-" * 32)[:190] + "-2"


def test_a_public_id_carried_twice_is_kept_once():
    """A snapshot (an archive, an old version) whose turns carry one id twice: the first keeps
    it, the second gets a fresh one, never the same."""
    event = import_transcript(PANEL).event
    ids = list(event.turns.order_by("position").values_list("public_id", flat=True))
    stored = EventSnapshot.from_event(event)
    twice = dataclasses.replace(stored.turns[0], public_id=ids[1])
    snapshot = dataclasses.replace(stored, turns=(twice,) + stored.turns[1:])
    apply_snapshot(Event.objects.get(pk=event.pk), snapshot)
    after = list(event.turns.order_by("position").values_list("public_id", flat=True))
    assert after[0] == ids[1] and after[2:] == ids[2:]
    assert after[1] not in ids and after[1] == "gsuury5wi2"  # made from occurrence 1001, the same on every import


def test_topics_are_found_by_name_or_made():
    trade = Topic.objects.create(name="Trade", slug="trade")
    Topic.objects.create(name="Other", slug="water")
    topics = resolve_topics(["trade", "  Water\n  Rights ", "", "   ", "Water", "…"])
    assert topics[0] == trade
    assert [(t.name, t.slug) for t in topics[1:]] == [
        ("Water Rights", "water-rights"),
        ("Water", "water-2"),
        ("…", "topic"),
    ]
    assert Topic.objects.count() == 5


def test_two_labels_for_one_person_share_an_appearance():
    event = Event.objects.create(title="E", slug="e")
    person = Person.objects.create(name="Ann Lee", slug="ann-lee")
    participants = [
        Participant(key="a", name="Ann Lee", label="LEE", role="presider", title="Chair", affiliation="Uni"),
        Participant(key="b", name="Q", label="Q", role="questioner"),
        Participant(key="c", name="Ann Lee", label="ANN LEE"),
        Participant(key="d", name="q", label="Q2"),
    ]
    by_key, ordered = group_appearances(event, participants, [person, None, person, None])
    assert len(ordered) == 2 and by_key["a"] is by_key["c"] and by_key["b"] is by_key["d"]
    first, second = ordered
    assert (first.person, first.name, first.role, first.label, first.title, first.affiliation, first.order) == (
        person,
        "",
        "presider",
        "LEE",
        "Chair",
        "Uni",
        0,
    )
    assert (second.person, second.name, second.role, second.label, second.order) == (None, "Q", "questioner", "Q", 1)
    assert first.pk is None and first.event == event


def test_an_import_makes_one_person_for_two_labels_and_none_for_a_generic_speaker():
    text = "Panel Of Two Labels\n\nMay 1, 2023\n\nANN LEE: Hello.\n\nQ: A question.\n\nANN LEE: An answer.\n"
    event = import_transcript(text, people={"Ann Lee": {"title": "Chair"}}).event
    assert rows(event) == [
        (1, "ANN LEE", "Ann Lee", "Hello."),
        (2, "Q", "Questioner", "A question."),
        (3, "ANN LEE", "Ann Lee", "An answer."),
    ]
    assert list(Person.objects.values_list("name", flat=True)) == ["Ann Lee"]
    assert Appearance.objects.get(event=event, person__name="Ann Lee").title == "Chair"


def test_diff_turns_says_what_each_turn_became():
    def snap(*turns):
        return EventSnapshot.from_json(
            {
                "schema": 2,
                "event": {"title": "T"},
                "participants": [
                    {"key": "a", "name": "Ann", "label": "A"},
                    {"key": "b", "name": "Bob", "label": "B"},
                ],
                "turns": [
                    {
                        "public_id": f"id{n}",
                        "label": (s or "x").upper(),
                        "speaker": s,
                        "kind": "remark",
                        "section": "discussion",
                        "paragraphs": [text],
                    }
                    for n, (s, text) in enumerate(turns)
                ],
            }
        )

    long = "word " * 60
    old = snap(("a", "One two three four."), ("b", "Five six seven."), ("a", "Gone entirely now."), ("b", long))
    new = snap(
        ("b", "One two three four."), ("b", "Five six seven eight."), ("a", "Brand new words here."), ("b", long)
    )
    diff = diff_turns(old, new)
    assert (diff.kept, diff.changed, diff.added, diff.removed, diff.speakers_changed) == (1, 1, 1, 1, 1)
    assert diff.inherited_ids == {0: "id0", 1: "id1", 3: "id3"}
    assert diff.details == [
        {
            "change": "speaker",
            "position": 1,
            "speaker": "Bob",
            "old_speaker": "Ann",
            "text": "One two three four.",
            "old_text": "One two three four.",
        },
        {
            "change": "changed",
            "position": 2,
            "speaker": "Bob",
            "old_speaker": "Bob",
            "text": "Five six seven eight.",
            "old_text": "Five six seven.",
        },
        {"change": "added", "position": 3, "speaker": "Ann", "text": "Brand new words here."},
        {"change": "removed", "position": 3, "speaker": "Ann", "text": "Gone entirely now."},
    ]
    both = snap(("b", "One two three four, five."))
    detail = diff_turns(snap(("a", "One two three four.")), both).details[0]
    assert detail["change"] == "changed" and diff_turns(old, old).details == []
    cut = diff_turns(snap(("a", long + "x")), snap(("a", long + "y"))).details[0]
    assert cut["text"] == (long + "y")[:200] and cut["old_text"] == (long + "x")[:200]
    added = diff_turns(snap(), snap(("a", long))).details[0]
    assert added["text"] == long[:200]
    removed = diff_turns(snap(("a", long)), snap()).details[0]
    assert removed == {"change": "removed", "position": 1, "speaker": "Ann", "text": long[:200]}
    shorter = diff_turns(old, snap(("a", "One two three four.")))
    assert (shorter.kept, shorter.removed, [d["position"] for d in shorter.details]) == (1, 3, [2, 3, 4])
    longer = diff_turns(snap(("a", "One two three four.")), old)
    assert (longer.kept, longer.added, [d["position"] for d in longer.details]) == (1, 3, [2, 3, 4])
    # A turn nobody is credited with shows no speaker (an empty name, never "None").
    unresolved = diff_turns(snap(), snap((None, "Who said this?"))).details[0]
    assert unresolved == {"change": "added", "position": 1, "speaker": "", "text": "Who said this?"}


@pytest.mark.parametrize("counter", ["changed", "added", "removed", "speakers_changed"])
def test_a_diff_has_changes_when_any_counter_but_kept_is_set(counter):
    assert TurnDiff(**{counter: 1}).has_changes and not TurnDiff(kept=5).has_changes


def test_prepare_diff_of_a_new_event_counts_every_turn_added():
    snapshot = EventSnapshot.from_transcript(__import__("transcripts.parsing", fromlist=["x"]).parse_transcript(PANEL))
    prepared = prepare_diff(None, snapshot)
    assert (prepared.event_id, prepared.version, prepared.old, prepared.diff.added) == (None, (), None, 4)
    assert prepare_diff(Event(title="Unsaved"), snapshot).diff.added == 4
    empty = Event.objects.create(title="Empty", slug="empty")
    prepared = prepare_diff(empty, snapshot)
    assert prepared.event_id == empty.pk and prepared.diff.added == 4 and prepared.old.turns == ()
    # Nothing to compare with: every turn is added, and no turn is listed as a change.
    assert prepared.diff.details == [] and prepared.diff.inherited_ids == {}


def test_a_prepared_diff_is_used_only_while_the_event_is_as_it_was():
    event = import_transcript(PANEL).event
    snapshot = EventSnapshot.from_event(event)
    prepared = prepare_diff(event, snapshot)
    assert prepared.diff.kept == 4 and prepared.event_id == event.pk
    marked = dataclasses.replace(prepared, diff=TurnDiff(kept=99, inherited_ids=prepared.diff.inherited_ids))
    assert apply_snapshot(Event.objects.get(pk=event.pk), snapshot, marked).kept == 99
    # Saved since (the event's own row changed): the diff is worked out again.
    assert apply_snapshot(Event.objects.get(pk=event.pk), snapshot, marked).kept == 4
    # A new version since, the event's row untouched (a turn edit): worked out again too.
    prepared = prepare_diff(Event.objects.get(pk=event.pk), snapshot)
    marked = dataclasses.replace(prepared, diff=TurnDiff(kept=99, inherited_ids=prepared.diff.inherited_ids))
    record_revision(Event.objects.get(pk=event.pk), note="A turn edited")
    assert apply_snapshot(Event.objects.get(pk=event.pk), snapshot, marked).kept == 4
    # A diff prepared for another event is not used either.
    other = dataclasses.replace(marked, event_id=event.pk + 1, version=prepare_diff(event, snapshot).version)
    assert apply_snapshot(Event.objects.get(pk=event.pk), snapshot, other).kept == 4
    assert PreparedDiff(None, (), None, TurnDiff()).event_id is None


def test_record_revision_keeps_the_event_as_it_stands(django_user_model):
    event = import_transcript(PANEL).event
    Turn.objects.filter(event=event, position=1).update(paragraphs=["Changed by hand."], text="Changed by hand.")
    revision = record_revision(event, note="N" * 400, user=AnonymousUser())
    assert (revision.number, revision.note, revision.created_by, revision.source_text) == (2, "N" * 300, None, PANEL)
    assert revision.snapshot["turns"][0]["paragraphs"] == ["Changed by hand."]
    assert TurnRevision.objects.get().paragraphs == ["Hello there."]
    staff = django_user_model.objects.create_user("editor", password="x")
    assert record_revision(event, user=staff).created_by == staff
    assert record_revision(event).note == ""


def test_restoring_a_version_brings_back_its_text_and_is_a_version_itself(django_user_model):
    staff = django_user_model.objects.create_user("editor", password="x")
    event = import_transcript(PANEL).event
    ids = list(event.turns.order_by("position").values_list("public_id", flat=True))
    import_transcript(PANEL.replace("Hello there.", "Hi there.").replace("OPERATOR: Next question.\n", ""))
    diff = restore_revision(EventRevision.objects.get(event=event, number=1), user=staff)
    assert (diff.kept, diff.changed, diff.added, diff.removed) == (2, 1, 1, 0)
    assert rows(event) == PANEL_ROWS
    assert list(event.turns.order_by("position").values_list("public_id", flat=True)) == ids
    stored = Event.objects.get()
    assert stored.source_text == PANEL and stored.source_sha256 == ""
    assert versions(event)[-1] == (3, "Restored version 1")
    assert EventRevision.objects.get(event=event, number=3).created_by == staff
    # Its fingerprint is gone: importing the same text again is an update, not "unchanged".
    assert import_transcript(PANEL).action == "updated"


def test_a_page_break_in_the_source_is_kept_without_a_warning():
    text = PANEL.replace("SMITH: One more thing.", "\x0cSMITH: One more thing.")
    result = import_transcript(text)
    assert result.event.source_text == text
    assert not any("control characters" in w for w in result.warnings)
    assert rows(result.event)[2] == (3, "SMITH", "Smith", "One more thing.")


def test_other_metadata_or_people_for_the_same_text_are_an_update():
    event = import_transcript(PANEL).event
    assert import_transcript(PANEL, metadata={"organiser": "Org"}).action == "updated"
    assert Event.objects.get(pk=event.pk).organiser == "Org"
    assert import_transcript(PANEL, metadata={"organiser": "Org"}).action == "unchanged"
    renamed = import_transcript(PANEL, metadata={"organiser": "Org"}, people={"Jones": {"title": "Judge"}})
    assert renamed.action == "updated"
    assert Appearance.objects.get(event=event, person__name="Jones").title == "Judge"


def test_two_speakers_named_as_one_new_person_are_one_person():
    people = {"Smith": {"name": "Pat Doe"}, "Jones": {"name": "Pat Doe"}}
    event = import_transcript(PANEL, people=people).event
    assert list(Person.objects.values_list("name", flat=True)) == ["Pat Doe"]
    pat = Appearance.objects.get(event=event, person__name="Pat Doe")
    assert pat.turn_count == 3 and [r[2] for r in rows(event)] == ["Pat Doe", "Pat Doe", "Pat Doe", "Operator"]


def test_each_turn_s_kind_section_and_time_are_stored():
    event = import_transcript(PANEL).event
    stored = EventSnapshot.from_event(event)
    timed = dataclasses.replace(
        stored.turns[1], timestamp="00:01:02", start_seconds=62.5, kind="question", section="qa"
    )
    apply_snapshot(
        Event.objects.get(pk=event.pk), dataclasses.replace(stored, turns=(stored.turns[0], timed, *stored.turns[2:]))
    )
    turns = list(Turn.objects.filter(event=event).order_by("position"))
    assert [(t.kind, t.section, t.timestamp, t.start_seconds) for t in turns] == [
        ("remark", "discussion", "", None),
        ("question", "qa", "00:01:02", 62.5),
        ("remark", "discussion", "", None),
        ("procedural", "discussion", "", None),
    ]
    assert [t.word_count for t in turns] == [2, 3, 3, 2]


def test_a_corrected_turn_keeps_its_id_when_a_new_turn_repeats_its_words_before_it():
    """A correction that adds, before a turn, a new turn with the same words: the turn that
    was there (the one quote links point to) keeps its id; the new one gets another."""
    event = import_transcript(PANEL).event
    ids = list(event.turns.order_by("position").values_list("public_id", flat=True))
    result = import_transcript(PANEL.replace("SMITH: Hello there.", "SMITH: Hello there.\n\nSMITH: Hello there.", 1))
    assert result.diff.inherited_ids[1] == ids[0] and 0 not in result.diff.inherited_ids
    after = list(event.turns.order_by("position").values_list("public_id", flat=True))
    assert after[1:] == ids and after[0] not in ids


def test_an_id_another_event_holds_is_made_again_from_the_next_occurrence():
    taken = import_transcript(PANEL).event.turns.get(position=1).public_id
    Event.objects.all().delete()
    other = Event.objects.create(title="Other", slug="other")
    Turn.objects.create(event=other, position=1, label="X", paragraphs=["Hi."], public_id=taken)
    ids = list(import_transcript(PANEL).event.turns.order_by("position").values_list("public_id", flat=True))
    assert ids == ["aj7ty6ehy6", "ugeoyg5srb", "bfril2occx", "w5y5kb7azf"]
    assert Turn.objects.get(public_id=taken).event == other


@pytest.fixture
def alignments(monkeypatch):
    """How many transactions were open each time an import or a restore aligned the stored
    turns with the new ones. The alignment reads every stored turn and compares them all (the
    slow part of a correction); on SQLite every other writer waits while a write transaction
    is open, so it is done before the transaction, and not at all for a text already stored."""
    from django.db import connection

    from transcripts.operations import imports

    depths = []

    def aligning(old, new):
        depths.append(len(connection.atomic_blocks))
        return diff_turns(old, new)

    monkeypatch.setattr(imports, "diff_turns", aligning)
    return depths


def test_a_correction_aligns_its_turns_before_its_transaction_and_an_unchanged_text_not_at_all(alignments):
    from django.db import connection

    outside = len(connection.atomic_blocks)  # the test's own transaction
    event = import_transcript(PANEL).event
    assert alignments == []  # a new event has nothing to align with
    corrected = import_transcript(PANEL.replace("One more thing.", "One more thing, please."))
    assert (corrected.action, corrected.diff.kept, corrected.diff.changed) == ("updated", 3, 1)
    assert alignments == [outside]
    renamed = import_transcript(PANEL.replace("A Small Panel", "A Renamed Panel"), event=event)
    assert (renamed.action, renamed.diff.kept, renamed.diff.changed) == ("updated", 3, 1)
    assert alignments == [outside, outside]
    again = import_transcript(PANEL.replace("A Small Panel", "A Renamed Panel"), event=event)
    assert again.action == "unchanged" and alignments == [outside, outside]
    restored = restore_revision(EventRevision.objects.get(event=event, number=2))
    assert (restored.kept, restored.changed) == (3, 1)
    assert alignments == [outside, outside, outside]
    assert rows(event)[2] == (3, "SMITH", "Smith", "One more thing, please.")


def test_a_speaker_marked_as_of_this_event_only_gets_no_person_whatever_the_name():
    event = import_transcript(PANEL, people={"Jones": {"generic": True}}).event
    assert rows(event)[1] == (2, "JONES", "Jones", "Hello back, friend.")
    jones = Appearance.objects.get(event=event, label="JONES")
    assert (jones.person, jones.name) == (None, "Jones")
    assert list(Person.objects.values_list("name", flat=True)) == ["Smith"]


def test_a_snapshot_applied_to_a_new_event_without_a_prepared_diff_adds_every_turn():
    """As the archive restores an event: a new, unsaved Event and a snapshot, nothing prepared."""
    stored = EventSnapshot.from_event(import_transcript(PANEL).event)
    Event.objects.all().delete()
    event = Event(slug="restored", status="draft")
    diff = apply_snapshot(event, stored)
    assert (diff.added, diff.kept, diff.changed, diff.removed) == (4, 0, 0, 0)
    assert rows(event) == PANEL_ROWS
    assert Event.objects.get().slug == "restored"
    # An event that has no turns yet: every turn is added too.
    Event.objects.all().delete()  # the snapshot's turns carry their public ids
    empty = Event.objects.create(title="Empty", slug="empty")
    diff = apply_snapshot(empty, dataclasses.replace(stored, turns=stored.turns[:2]))
    assert (diff.added, diff.kept, diff.changed, diff.removed, diff.details) == (2, 0, 0, 0, [])


def test_a_snapshot_field_left_as_none_is_stored_empty():
    stored = EventSnapshot.from_event(import_transcript(PANEL, metadata={"organiser": "Org"}).event)
    unset = dataclasses.replace(stored, event=dataclasses.replace(stored.event, organiser=None))
    apply_snapshot(Event.objects.get(), unset)
    assert Event.objects.get().organiser == ""


def test_a_correction_keeps_the_times_of_the_turns_it_keeps():
    event = import_transcript(PANEL).event
    stored = EventSnapshot.from_event(event)
    timed = tuple(
        dataclasses.replace(t, start_seconds=10.0 * n, paragraph_starts=(10.0 * n,)) for n, t in enumerate(stored.turns)
    )
    apply_snapshot(Event.objects.get(), dataclasses.replace(stored, turns=timed))
    import_transcript(PANEL.replace("One more thing.", "One more thing, please."))
    turns = Turn.objects.filter(event=event).order_by("position")
    # The corrected turn keeps its start; its paragraph starts only while its paragraphs are the same.
    assert [(t.start_seconds, t.paragraph_starts) for t in turns] == [
        (0.0, [0.0]),
        (10.0, [10.0]),
        (20.0, []),
        (30.0, [30.0]),
    ]


def test_a_field_given_at_import_wins_over_staff_even_where_the_file_says_what_it_said_before():
    event = import_transcript(PANEL).event
    Event.objects.filter(pk=event.pk).update(title="Staff's Title")
    import_transcript(PANEL.replace("Hello there.", "Hello there!"), event=event)
    assert Event.objects.get().title == "Staff's Title"  # the file still says "A Small Panel"
    import_transcript(PANEL.replace("Hello there.", "Hello there!"), event=event, metadata={"title": "A Small Panel"})
    assert Event.objects.get().title == "A Small Panel"
