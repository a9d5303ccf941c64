"""The import plan, called directly: what the preview of an upload shows (speaker rows, their
people and problems, the event's fields, what a correction changes, warnings, copies already
stored) and that confirming stores exactly that plan, once."""

import dataclasses
import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.operations.test_plan_corrections import FORUM  # the same forum, planned here directly
from transcripts.models import Event, EventRevision, PendingUpload, Person, Turn
from transcripts.operations.imports import import_transcript
from transcripts.operations.uploads import confirm
from transcripts.parsing import Paragraph, Participant, Transcript, parse_transcript
from transcripts.parsing import Turn as ParsedTurn
from transcripts.plan import (
    UNRESOLVED_PREFIX,
    ReviewChoices,
    changed_speakers,
    corrected_defaults,
    duplicate_events,
    field_changes,
    initial_metadata,
    parse_key,
    parsed_transcript,
    plan,
    remember_parse,
    reviewed_transcript,
    speaker_rows,
    target_event,
    unresolved_labels,
)
from transcripts.snapshots import EventSnapshot

pytestmark = pytest.mark.django_db

UNDATED = "A Panel Without A Date\n\nSMITH: Hello there.\n\nJONES: Hello back.\n"


def pending_upload(text=FORUM, **fields):
    return PendingUpload.objects.create(token=f"t{PendingUpload.objects.count()}", source_text=text, **fields)


def paragraph(text):
    return Paragraph(text=text)


def with_unresolved():
    """A parse with one participant and turns under two labels no participant has."""
    return Transcript(
        title="Mystery Panel",
        date=datetime.date(2023, 3, 1),
        participants=[Participant(key="Ann Lee", name="Ann Lee", label="LEE", role="presider", role_reason="opens")],
        turns=[
            ParsedTurn(1, "LEE", "Ann Lee", "remark", "discussion", [paragraph("Welcome all.")]),
            ParsedTurn(2, "VOICE", None, "remark", "discussion", [paragraph("One two three.")]),
            ParsedTurn(3, "ECHO", None, "question", "qa", [paragraph("Four five.")]),
            ParsedTurn(4, "VOICE", None, "remark", "qa", [paragraph("Six."), paragraph("Seven eight.")]),
        ],
    )


def pending_with(transcript, text="the text behind it"):
    """An upload whose parse is `transcript` (kept on it, as the upload form keeps its own)."""
    pending = PendingUpload(token=f"t{PendingUpload.objects.count()}", source_text=text)
    remember_parse(pending, transcript)
    pending.save()
    return pending


# --- review choices -------------------------------------------------------------------


def test_review_choices_from_json_and_back():
    assert ReviewChoices.from_json(None) == ReviewChoices()
    choices = ReviewChoices.from_json({"metadata": {"title": "T"}, "speakers": {"k": {"name": "N"}}, "labels": {1: 0}})
    assert choices.metadata == {"title": "T"} and choices.speakers == {"k": {"name": "N"}}
    assert choices.labels == {"1": False}
    assert choices.to_json() == {"metadata": {"title": "T"}, "speakers": {"k": {"name": "N"}}, "labels": {"1": False}}
    assert ReviewChoices.from_json({"labels": None, "speakers": None}) == ReviewChoices()
    assert ReviewChoices.from_json({"labels": {"ZED": 1, "NOTE": ""}}).labels == {"ZED": True, "NOTE": False}


def test_only_label_choices_reach_the_parser():
    choices = ReviewChoices(labels={"ZED": True, "NOTE": False, "ABE": True, "ALSO": False})
    assert choices.parser_choices() == {"force": ["ABE", "ZED"], "refuse": ["ALSO", "NOTE"]}
    labels = choices.label_choices()
    assert (set(labels.force), set(labels.refuse)) == ({"ABE", "ZED"}, {"ALSO", "NOTE"})
    # The parse cache's key: the text and the label choices, nothing else.
    key = parse_key("text", choices)
    assert len(key) == 64 and key == parse_key("text", ReviewChoices(metadata={"title": "x"}, labels=choices.labels))
    assert key != parse_key("text!", choices)
    assert key != parse_key("text", ReviewChoices(labels={"ZED": True}))


def test_merged_choices_keep_what_is_not_given():
    first = ReviewChoices(metadata={"title": "A"}, speakers={"a": {"name": "Ann"}}, labels={"X": True})
    same = first.merged()
    assert same == first
    changed = first.merged(metadata={"title": "B"}, speakers={"b": {"name": "Bob"}}, labels={})
    assert changed.metadata == {"title": "B"}
    assert changed.speakers == {"a": {"name": "Ann"}, "b": {"name": "Bob"}}
    assert changed.labels == {}


# --- parsing once ---------------------------------------------------------------------


def test_a_kept_parse_is_used_while_the_choices_are_the_same():
    kept = with_unresolved()
    pending = pending_with(kept, FORUM)
    assert parsed_transcript(pending, ReviewChoices(metadata={"title": "Other"})).title == "Mystery Panel"
    # Other label choices: parsed again, and the new parse kept on the stored upload.
    choices = ReviewChoices(labels={"Q": False})
    again = parsed_transcript(pending, choices)
    assert again.title == "Water Forum"
    stored = PendingUpload.objects.get(pk=pending.pk)
    assert stored.parsed_key == parse_key(FORUM, choices)
    assert Transcript.from_dict(stored.parsed).title == "Water Forum"


def test_a_new_parse_saves_only_the_parse():
    """A copy read before the upload was confirmed elsewhere: keeping its new parse must not undo that."""
    stale = pending_upload()
    PendingUpload.objects.filter(pk=stale.pk).update(filename="renamed.txt")
    parsed_transcript(stale, ReviewChoices(labels={"Q": False}))
    stored = PendingUpload.objects.get(pk=stale.pk)
    assert stored.filename == "renamed.txt" and stored.parsed_key == parse_key(
        FORUM, ReviewChoices(labels={"Q": False})
    )


def test_an_unsaved_upload_is_parsed_but_not_saved():
    pending = PendingUpload(token="unsaved", source_text=FORUM)
    assert parsed_transcript(pending, ReviewChoices()).title == "Water Forum"
    assert pending.parsed_key == parse_key(FORUM, ReviewChoices()) and pending.pk is None
    assert not PendingUpload.objects.exists()


# --- speaker rows ---------------------------------------------------------------------


def test_unresolved_labels_are_listed_once_in_order():
    assert unresolved_labels(with_unresolved()) == ["VOICE", "ECHO"]


def test_speaker_rows_are_the_participants_then_each_unresolved_label():
    rows = speaker_rows(with_unresolved())
    assert rows == [
        {
            "key": "Ann Lee",
            "label": "LEE",
            "name": "Ann Lee",
            "role": "presider",
            "role_reason": "opens",
            "title": "",
            "affiliation": "",
            "unresolved": False,
        },
        {
            "key": "label:VOICE",
            "label": "VOICE",
            "name": "",
            "role": "other",
            "role_reason": "",
            "title": "",
            "affiliation": "",
            "unresolved": True,
        },
        {
            "key": "label:ECHO",
            "label": "ECHO",
            "name": "",
            "role": "other",
            "role_reason": "",
            "title": "",
            "affiliation": "",
            "unresolved": True,
        },
    ]
    assert UNRESOLVED_PREFIX == "label:"


# --- the event a confirm updates, and what the preview starts from --------------------


def test_target_event_is_the_one_staff_started_from_else_the_same_title_and_date():
    stored = import_transcript(FORUM).event
    other = import_transcript(UNDATED).event
    assert target_event(pending_upload(event=other), {"title": "Water Forum", "date": "2024-05-01"}) == other
    assert target_event(pending_upload(), {"title": "Water Forum", "date": "2024-05-01"}) == stored
    assert target_event(pending_upload(), {"title": "Water Forum", "date": "2024-05-02"}) is None
    assert target_event(pending_upload(), {"title": "A Panel Without A Date", "date": ""}) == other
    assert target_event(pending_upload(), {"title": None, "date": None}) is None


def test_initial_metadata_for_a_new_event_is_what_was_typed_else_the_header():
    pending = pending_upload(metadata={"organiser": "Typed Org", "topics": ["Water"]})
    metadata = initial_metadata(pending, parse_transcript(FORUM))
    assert metadata["title"] == "Water Forum" and metadata["date"] == "2024-05-01"
    assert metadata["organiser"] == "Typed Org" and metadata["topics"] == ["Water"]
    assert metadata["description"] == "" and metadata["source_url"] == ""
    assert "photo_credit" not in metadata
    typed = pending_upload(metadata={"title": "Typed Title", "date": "2020-01-02"})
    metadata = initial_metadata(typed, parse_transcript(FORUM))
    assert (metadata["title"], metadata["date"], metadata["topics"]) == ("Typed Title", "2020-01-02", [])


def test_initial_metadata_for_a_correction_keeps_what_staff_set_on_the_event():
    event = import_transcript(FORUM, metadata={"organiser": "River Trust", "topics": ["Water"]}).event
    metadata = initial_metadata(pending_upload(FORUM.replace("Lakes too.", "Lakes also.")), parse_transcript(FORUM))
    assert metadata["organiser"] == "River Trust" and metadata["topics"] == ["Water"]
    assert metadata["title"] == "Water Forum"
    # Found by the typed title and date as well as by the event staff started from.
    typed = pending_upload(metadata={"title": "Water Forum", "date": "2024-05-01"})
    assert initial_metadata(typed, parse_transcript(UNDATED))["organiser"] == "River Trust"
    assert initial_metadata(pending_upload(UNDATED, event=event), parse_transcript(UNDATED))["topics"] == ["Water"]


def test_corrected_defaults_are_empty_for_a_new_event_and_staff_s_rows_for_a_correction():
    transcript = parse_transcript(FORUM)
    assert corrected_defaults(None, None, transcript) == {}
    event = import_transcript(FORUM, people={"Bob Kim": {"role": "presider", "title": "Hydrologist"}}).event
    assert corrected_defaults(event, None, transcript) == {}
    kept = corrected_defaults(event, EventSnapshot.from_event(event), transcript)
    assert kept["Bob Kim"]["role"] == "presider" and kept["Bob Kim"]["title"] == "Hydrologist"


SAYS_OTHERWISE = FORUM.replace("date: 2024-05-01\n", "date: 2024-05-01\norganiser: City Council\n").replace(
    "---\nANN LEE", "participants:\n  - name: Ann Lee\n    role: speaker\n---\nANN LEE"
)


def staff_decided_forum():
    """The forum stored from its file, then staff set an organiser and Ann Lee's role by hand."""
    event = import_transcript(FORUM).event
    Event.objects.filter(pk=event.pk).update(organiser="Rivers Trust")
    event.appearances.filter(label="ANN LEE").update(role="host")
    return Event.objects.get(pk=event.pk)


def test_a_correction_whose_file_says_otherwise_starts_from_the_new_file():
    # The previous file said no organiser and no role: the new file's values are news, so they
    # win over what staff set; the unchanged file leaves staff's values standing.
    event = staff_decided_forum()
    metadata = initial_metadata(pending_upload(SAYS_OTHERWISE, event=event), parse_transcript(SAYS_OTHERWISE))
    assert metadata["organiser"] == "City Council"
    assert initial_metadata(pending_upload(event=event), parse_transcript(FORUM))["organiser"] == "Rivers Trust"
    old = EventSnapshot.from_event(event)
    assert corrected_defaults(event, old, parse_transcript(SAYS_OTHERWISE))["Ann Lee"]["role"] == "speaker"
    assert corrected_defaults(event, old, parse_transcript(FORUM))["Ann Lee"]["role"] == "host"


def test_a_correction_of_an_event_without_a_stored_file_keeps_every_stored_value():
    event = staff_decided_forum()
    Event.objects.filter(pk=event.pk).update(source_text="")
    event = Event.objects.get(pk=event.pk)
    metadata = initial_metadata(pending_upload(SAYS_OTHERWISE, event=event), parse_transcript(SAYS_OTHERWISE))
    assert (metadata["title"], metadata["organiser"]) == ("Water Forum", "Rivers Trust")
    old = EventSnapshot.from_event(event)
    assert corrected_defaults(event, old, parse_transcript(SAYS_OTHERWISE))["Ann Lee"]["role"] == "host"


def test_an_untitled_upload_finds_the_event_slugged_as_the_importer_slugs_an_untitled_one():
    untitled = import_transcript(FORUM.replace("title: Water Forum", "title: Event")).event
    assert untitled.slug == "event-2024-05-01"
    assert target_event(pending_upload(), {"title": "", "date": "2024-05-01"}) == untitled
    assert target_event(pending_upload(), {"date": "2024-05-01"}) == untitled


def test_the_upload_s_file_name_gives_the_date_the_text_lacks():
    pending = pending_upload(UNDATED, filename="panel-2023-09-14.txt")
    assert parsed_transcript(pending, ReviewChoices()).date == datetime.date(2023, 9, 14)
    assert parsed_transcript(pending_upload(UNDATED), ReviewChoices()).date is None


# --- the transcript as staff corrected it ---------------------------------------------


def test_reviewed_transcript_names_unresolved_labels_and_sets_the_fields():
    metadata = {
        "title": "Renamed",
        "date": "2022-02-03",
        "topics": ["Rivers"],
        "description": "About rivers.",
        "organiser": "Org",
        "source_url": "https://example.org/s",
        "media_url": "https://example.org/m.mp3",
    }
    speakers = [{"key": "label:VOICE", "name": "Val Oice", "role": "panelist"}, {"key": "Ann Lee", "name": "Ann Lee"}]
    edited = reviewed_transcript(with_unresolved(), metadata, speakers)
    assert (edited.title, edited.date, edited.topics) == ("Renamed", datetime.date(2022, 2, 3), ["Rivers"])
    assert (edited.description, edited.organiser) == ("About rivers.", "Org")
    assert (edited.source_url, edited.media_url) == ("https://example.org/s", "https://example.org/m.mp3")
    assert [(p.key, p.name, p.label, p.role) for p in edited.participants] == [
        ("Ann Lee", "Ann Lee", "LEE", "presider"),
        ("label:VOICE", "Val Oice", "VOICE", "panelist"),
    ]
    assert [t.speaker for t in edited.turns] == ["Ann Lee", "label:VOICE", None, "label:VOICE"]
    # Without a title or date given: the parsed title, and no date.
    bare = reviewed_transcript(with_unresolved(), {}, [])
    assert (bare.title, bare.date, bare.topics, bare.organiser) == ("Mystery Panel", None, [], "")


# --- the plan -------------------------------------------------------------------------


def test_the_plan_of_a_new_event():
    pending = pending_upload(warnings=["Upload warning."])
    made = plan(pending, ReviewChoices())
    assert made.target is None and made.diff is None and made.field_changes == () and made.speaker_changes == ()
    assert made.problems == [] and made.duplicates == () and made.labels == {}
    assert made.warnings == ("Upload warning.",)
    assert [(s.key, s.label, s.parsed_name, s.turns, s.words) for s in made.speakers] == [
        ("Ann Lee", "ANN LEE", "Ann Lee", 1, 10),
        ("Bob Kim", "BOB KIM", "Bob Kim", 2, 6),
        ("Jane Doe", "Q", "Jane Doe", 1, 9),
    ]
    assert [(s.choice["name"], s.choice["role"], s.choice["person"]) for s in made.speakers] == [
        ("Ann Lee", "presider", ""),
        ("Bob Kim", "panelist", ""),
        ("Jane Doe", "questioner", ""),
    ]
    assert made.speakers[2].choice["affiliation"] == "Reuters"
    assert [s.mapping.reason for s in made.speakers] == ["no one has this name yet"] * 3
    assert not any(s.kept or s.unresolved or s.event_only for s in made.speakers)
    assert made.speakers[1].role_note == "introduced by the presider"
    assert made.people["Jane Doe"] == {
        "name": "Jane Doe",
        "role": "questioner",
        "title": "",
        "affiliation": "Reuters",
        "person": "",
        "generic": False,
    }
    assert made.snapshot.event.title == "Water Forum" and [t.speaker for t in made.snapshot.turns] == [
        "Ann Lee",
        "Bob Kim",
        "Jane Doe",
        "Bob Kim",
    ]
    assert made.metadata["title"] == "Water Forum"


def test_the_plan_proposes_an_existing_person_and_pins_them():
    import_transcript(UNDATED.replace("SMITH:", "BOB KIM:"))
    bob = Person.objects.get(name="Bob Kim")
    made = plan(pending_upload(), ReviewChoices())
    row = made.speakers[1]
    assert row.proposed.person.slug == bob.slug and row.choice["person"] == bob.slug
    assert made.people["Bob Kim"]["person"] == bob.slug
    # Staff typing another name unpins the person.
    choices = ReviewChoices(speakers={"Bob Kim": {"name": "  Robert   Kim "}})
    retyped = plan(pending_upload(), choices)
    assert retyped.speakers[1].choice["name"] == "Robert Kim"
    assert retyped.people["Bob Kim"]["person"] == ""


SMITH_ONLY = "Smith Returns\n\nMay 1, 2023\n\nSMITH: Hello again.\n\nJONES: Welcome back.\n"


def test_a_family_name_label_is_proposed_as_the_person_who_spoke_under_it_before():
    import_transcript(UNDATED, people={"Smith": {"name": "Bob Smith"}})
    made = plan(pending_upload(SMITH_ONLY), ReviewChoices())
    smith = made.speakers[0]
    assert (smith.key, smith.choice["name"], smith.choice["person"]) == ("Smith", "Bob Smith", "bob-smith")
    assert smith.proposed.reason == "spoke as SMITH before (1 event)"
    assert made.people["Smith"]["person"] == "bob-smith"


def test_a_correction_proposes_whoever_spoke_under_the_label_in_this_event():
    event = import_transcript(UNDATED, people={"Smith": {"name": "Bob Smith"}}).event
    made = plan(pending_upload(SMITH_ONLY, event=event), ReviewChoices())
    assert made.speakers[0].proposed.reason == "spoke as SMITH in the current version of this event"


def test_staff_s_pick_among_people_of_one_name_is_kept():
    first = Person.objects.create(name="Pat Lee", slug="pat-lee")
    second = Person.objects.create(name="Pat Lee", slug="pat-lee-2")
    text = "Pat Panel\n\nMay 1, 2023\n\nPAT LEE: Hello.\n\nJONES: Hi.\n"
    assert plan(pending_upload(text), ReviewChoices()).speakers[0].mapping.person.slug == first.slug
    made = plan(pending_upload(text), ReviewChoices(speakers={"Pat Lee": {"person": "pat-lee-2"}}))
    assert made.speakers[0].mapping.person.slug == second.slug and made.people["Pat Lee"]["person"] == "pat-lee-2"


def test_the_plan_of_an_upload_with_unresolved_labels():
    pending = pending_with(with_unresolved())
    made = plan(pending, ReviewChoices(labels={}))
    assert [(s.key, s.unresolved, s.turns, s.words) for s in made.speakers] == [
        ("Ann Lee", False, 1, 2),
        ("label:VOICE", True, 2, 6),
        ("label:ECHO", True, 1, 2),
    ]
    assert made.problems == [
        "VOICE is mapped to nobody: type the speaker's name or pick an existing person.",
        "ECHO is mapped to nobody: type the speaker's name or pick an existing person.",
    ]
    assert made.warnings == ("Labels the parser could not attribute: VOICE, ECHO — name them below.",)
    named = plan(pending, ReviewChoices(speakers={"label:VOICE": {"name": "Val"}, "label:ECHO": {"name": "Operator"}}))
    assert named.problems == []
    assert named.people["label:ECHO"]["generic"] is True and named.speakers[2].event_only
    assert named.speakers[2].mapping.person is None
    assert [t.speaker for t in named.snapshot.turns] == ["Ann Lee", "label:VOICE", "label:ECHO", "label:VOICE"]


def test_a_plan_without_a_title_or_date_says_what_is_missing():
    transcript = dataclasses.replace(with_unresolved(), title="", date=None, turns=with_unresolved().turns[:1])
    made = plan(pending_with(transcript), ReviewChoices())
    assert made.problems == ["The event needs a title; none was found in the transcript."]
    assert made.warnings == ("No date found in the transcript: give one above.",)
    given = plan(pending_with(transcript), ReviewChoices(metadata={"title": "Given", "date": "2020-01-01"}))
    assert given.problems == [] and given.snapshot.event.title == "Given"
    assert given.warnings == ("No date found in the transcript: give one above.",)


def test_a_speaker_row_without_a_name_or_label_is_a_problem():
    transcript = Transcript(
        title="T",
        participants=[Participant(key="k", name="Someone", label="")],
        turns=[ParsedTurn(1, "", "k", "remark", "discussion", [paragraph("Hi.")])],
    )
    made = plan(pending_with(transcript), ReviewChoices(speakers={"k": {"name": "  "}}))
    assert made.problems == ["A speaker is mapped to nobody: type the speaker's name or pick an existing person."]


def test_the_plan_of_a_correction_lists_what_changes():
    event = import_transcript(FORUM, people={"Bob Kim": {"role": "presider"}}, metadata={"organiser": "Org"}).event
    corrected = FORUM.replace("Rivers matter.", "Rivers matter a great deal.") + "\nCARL MOE: One more voice.\n"
    made = plan(pending_upload(corrected, event=event), ReviewChoices())
    assert made.target == event
    assert (made.diff.kept, made.diff.changed, made.diff.added, made.diff.removed) == (3, 1, 1, 0)
    assert made.metadata["organiser"] == "Org" and made.field_changes == ()
    assert made.speaker_changes == ("Carl Moe (CARL MOE): new speaker, other",)
    assert [(s.key, s.kept, s.choice["person"]) for s in made.speakers] == [
        ("Ann Lee", True, "ann-lee"),
        ("Bob Kim", True, "bob-kim"),
        ("Jane Doe", True, "jane-doe"),
        ("Carl Moe", False, ""),
    ]
    bob = made.speakers[1]
    assert bob.choice["role"] == "presider"
    assert bob.role_note == "kept as set on the event (the text suggests panelist: introduced by the presider)"
    assert made.speakers[0].role_note == "opens the event and introduces the other speakers"
    retitled = plan(
        pending_upload(corrected, event=event),
        ReviewChoices(metadata={**made.metadata, "title": "Water Forum II", "organiser": ""}),
    )
    assert retitled.field_changes == (("title", "Water Forum", "Water Forum II"), ("organiser", "Org", ""))


def test_duplicates_are_other_events_stored_from_the_same_text():
    first = import_transcript(FORUM).event
    second = import_transcript(FORUM, metadata={"title": "A Copy"}).event
    assert duplicate_events(FORUM, None) == [first, second]
    assert duplicate_events(FORUM, first) == [second]
    assert duplicate_events("\x07" + FORUM, second) == [first]  # compared as the importer stores it
    assert duplicate_events(FORUM + "more", None) == []
    for n in range(5):
        import_transcript(FORUM, metadata={"title": f"Copy {n}"})
    assert len(duplicate_events(FORUM, None)) == 5
    assert duplicate_events(FORUM, None)[0] == first
    made = plan(pending_upload(), ReviewChoices(metadata={"title": "Yet Another"}))
    assert made.duplicates[:2] == (first, second)


def test_a_correction_from_the_same_text_lists_no_copy_and_a_page_break_still_matches():
    paged = FORUM.replace("Lakes too.", "Lakes too.\n\x0c\nBOB KIM: And seas.")
    stored = import_transcript(paged).event
    assert "\x0c" in stored.source_text
    assert duplicate_events(paged, None) == [stored]
    assert plan(pending_upload(paged, event=stored), ReviewChoices()).duplicates == ()
    assert plan(pending_upload(paged), ReviewChoices(metadata={"title": "Another"})).duplicates == (stored,)


def test_the_plan_keeps_the_label_choices_it_was_parsed_with():
    made = plan(pending_upload(), ReviewChoices(labels={"Q": False}))
    assert made.labels == {"Q": False}
    assert "Jane Doe" not in [s.key for s in made.speakers]


def test_a_missing_title_is_the_first_problem():
    transcript = dataclasses.replace(with_unresolved(), title="")
    made = plan(pending_with(transcript), ReviewChoices(metadata={"title": ""}))
    assert made.problems[0] == "The event needs a title; none was found in the transcript."
    assert made.problems[1:] == [
        "VOICE is mapped to nobody: type the speaker's name or pick an existing person.",
        "ECHO is mapped to nobody: type the speaker's name or pick an existing person.",
    ]


def speaker_plan(**fields):
    from transcripts.plan import SpeakerPlan

    row = {"key": "k", "label": "L", "parsed_name": "N", "unresolved": False, "turns": 1, "words": 1}
    choice = {"name": "Ann Lee", "role": "panelist", "person": "", "title": "", "affiliation": ""}
    return SpeakerPlan(**{**row, "choice": choice, "proposed": None, "mapping": None, **fields})


def test_a_speaker_row_s_role_note():
    kept = {"name": "Ann Lee", "role": "presider"}
    assert speaker_plan(kept=True, choice=kept, parsed_role="panelist", role_reason="why").role_note == (
        "kept as set on the event (the text suggests panelist: why)"
    )
    assert speaker_plan(kept=True, choice=kept, parsed_role="panelist").role_note == (
        "kept as set on the event (the text suggests panelist: no reason)"
    )
    assert speaker_plan(kept=True, choice=kept, parsed_role="presider", role_reason="why").role_note == "why"
    assert speaker_plan(kept=False, choice=kept, parsed_role="panelist", role_reason="why").role_note == "why"
    assert speaker_plan().problem == "" and not speaker_plan().event_only
    assert speaker_plan(choice={"name": "Operator"}).event_only


# --- what a correction changes, in words ----------------------------------------------


def participant(key, name, label="", person=None, role="other", title="", affiliation=""):
    from transcripts.snapshots import ParticipantSnapshot

    return ParticipantSnapshot(key, name, person, label, role, title, affiliation)


def snapshot(*participants):
    return EventSnapshot(EventSnapshot.from_transcript(Transcript(title="T")).event, tuple(participants))


def test_changed_speakers_in_words():
    old = snapshot(
        participant("ann", "Ann Lee", "LEE", person="ann-lee", role="presider", title="Chair"),
        participant("bob", "Bob Kim", "KIM", role="panelist", affiliation="Uni"),
        participant("cy", "Cy", "", role="other"),
    )
    new = snapshot(
        participant("x", "Ann Lee", "ANN", person="ann-lee", role="panelist", title=""),
        participant("y", "Robert Kim", "KIM", person="robert-kim", role="panelist", affiliation="Uni"),
        participant("z", "Dee", "", role="questioner"),
    )
    assert changed_speakers(old, new) == [
        "Ann Lee (ANN): role presider → panelist; title Chair → —",
        "Bob Kim (KIM): name Bob Kim → Robert Kim; person none → robert-kim",
        "Cy (no label): name Cy → Dee; role other → questioner",
    ]


def test_changed_speakers_new_and_gone():
    old = snapshot(participant("a", "Ann", "A"), participant("b", "Bo", ""))
    new = snapshot(participant("a", "Ann", "A"), participant("c", "Cy", "", role="panelist"))
    assert changed_speakers(old, new) == ["Bo (no label): name Bo → Cy; role other → panelist"]
    assert changed_speakers(snapshot(participant("b", "Bo", "")), snapshot()) == ["Bo (no label): no longer speaks"]
    assert changed_speakers(snapshot(), new) == ["Ann (A): new speaker, other", "Cy (no label): new speaker, panelist"]
    titled = snapshot(participant("a", "Ann", "A", title="Chair"))
    assert changed_speakers(snapshot(participant("a", "Ann", "A")), titled) == ["Ann (A): title — → Chair"]
    moved_on = snapshot(participant("a", "Ann", "A", affiliation="Uni"))
    assert changed_speakers(moved_on, snapshot(participant("a", "Ann", "A"))) == ["Ann (A): affiliation Uni → —"]
    dropped = snapshot(participant("a", "Ann", "A", person="ann"))
    assert changed_speakers(dropped, snapshot(participant("a", "Ann", "A"))) == []


def test_changed_speakers_match_by_person_then_by_a_label_not_yet_matched():
    old = snapshot(participant("q1", "Jane", "Q", role="questioner"), participant("q2", "Bob", "Q", role="questioner"))
    new = snapshot(participant("a", "Jane", "Q", role="questioner"), participant("b", "Bob", "Q", role="questioner"))
    assert changed_speakers(old, new) == []
    moved = snapshot(participant("x", "Ann", "A", person="ann"), participant("y", "Ben", "B", person="ben"))
    swapped = snapshot(participant("x", "Ann", "B", person="ann"), participant("y", "Ben", "A", person="bob"))
    # Ann is found by her person, so Ben's new label A (Ann's old one) matches no one left.
    assert changed_speakers(moved, swapped) == ["Ben (A): new speaker, other", "Ben (B): no longer speaks"]
    repinned = snapshot(participant("x", "Ann", "A", person="ann"), participant("y", "Ben", "B", person="bob"))
    assert changed_speakers(moved, repinned) == ["Ben (B): person ben → bob"]


def test_field_changes_show_lists_comma_separated():
    old = EventSnapshot.from_transcript(Transcript(title="T", topics=["A", "B"], organiser="O")).event
    new = EventSnapshot.from_transcript(Transcript(title="T", topics=["A"], description="D")).event
    assert field_changes(old, new) == [("description", "", "D"), ("organiser", "O", ""), ("topics", "A, B", "A")]
    assert field_changes(old, old) == []


# --- confirming -----------------------------------------------------------------------


def test_confirm_stores_exactly_the_plan_once(django_user_model):
    staff = django_user_model.objects.create_user("editor", password="x", is_staff=True)
    pending = pending_upload(filename="forum.txt")
    choices = ReviewChoices(speakers={"Bob Kim": {"name": "Robert Kim", "title": "Hydrologist"}})
    made = plan(pending, choices)
    result = confirm(pending, made, status="draft", user=staff)
    assert result.action == "created" and result.event.status == "draft"
    event = Event.objects.get()
    assert [(t.appearance.speaker_name, t.text) for t in event.turns.select_related("appearance__person")] == [
        ("Ann Lee", "Welcome to the water forum. Joining us is Bob Kim."),
        ("Robert Kim", "Thanks, Ann. Rivers matter."),
        ("Jane Doe", "Hi, I'm Jane Doe from Reuters. What about lakes?"),
        ("Robert Kim", "Lakes too."),
    ]
    assert event.appearances.get(person__name="Robert Kim").title == "Hydrologist"
    revision = EventRevision.objects.get()
    assert revision.note == "Uploaded “forum.txt” in the admin" and revision.created_by == staff
    stored = PendingUpload.objects.get(pk=pending.pk)
    assert stored.confirmed is not None and stored.confirmed_by == staff and stored.result == event
    assert pending.confirmed == stored.confirmed
    # A second confirm (a double click) stores nothing more.
    assert confirm(pending, made, status="published") is None
    assert Event.objects.get().status == "draft" and EventRevision.objects.count() == 1


def test_confirm_of_pasted_text_notes_it_and_an_anonymous_user():
    pending = pending_upload()
    confirm(pending, plan(pending, ReviewChoices()), status="published", user=AnonymousUser())
    assert EventRevision.objects.get().note == "Uploaded pasted text in the admin"
    assert PendingUpload.objects.get(pk=pending.pk).confirmed_by is None
    second = pending_upload(FORUM.replace("Lakes too.", "Lakes."))
    confirm(second, plan(second, ReviewChoices()), status="published", note="Fixed a word")
    assert list(EventRevision.objects.values_list("note", flat=True).order_by("number")) == [
        "Uploaded pasted text in the admin",
        "Fixed a word",
    ]


def test_confirm_stores_staff_s_names_fields_and_event():
    pending = pending_with(with_unresolved())
    choices = ReviewChoices(
        metadata={"title": "Typed Title", "date": "2022-02-02", "organiser": "Typed Org"},
        speakers={"label:VOICE": {"name": "Val Oice"}, "label:ECHO": {"name": "Operator"}},
    )
    event = confirm(pending, plan(pending, choices), status="published").event
    stored = Event.objects.get(pk=event.pk)
    assert (stored.title, str(stored.date), stored.organiser) == ("Typed Title", "2022-02-02", "Typed Org")
    turns = stored.turns.select_related("appearance__person").order_by("position")
    assert [(t.appearance.speaker_name, t.text) for t in turns] == [
        ("Ann Lee", "Welcome all."),
        ("Val Oice", "One two three."),
        ("Operator", "Four five."),
        ("Val Oice", "Six.\n\nSeven eight."),
    ]
    # A correction started from this event under another title updates it, not a new one.
    again = pending_with(with_unresolved())
    PendingUpload.objects.filter(pk=again.pk).update(event=stored)
    again.refresh_from_db()
    renamed = ReviewChoices(metadata={"title": "Another Title", "date": "2022-02-02"}, speakers=choices.speakers)
    assert confirm(again, plan(again, renamed), status="published").event == stored
    assert Event.objects.count() == 1 and Event.objects.get().title == "Another Title"


def test_confirm_refuses_a_plan_with_problems_and_stores_nothing():
    pending = pending_with(with_unresolved())
    with pytest.raises(ValueError, match="^VOICE is mapped to nobody"):
        confirm(pending, plan(pending, ReviewChoices()), status="published")
    assert not Event.objects.exists() and not Turn.objects.exists()
    assert PendingUpload.objects.get(pk=pending.pk).confirmed is None
