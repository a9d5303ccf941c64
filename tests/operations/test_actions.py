"""The staff writes beyond a plain import, called directly: the rows each leaves (turn texts,
speakers, version rows and their notes, counters, index work queued), what each refuses and
in what words, and that a refusal stores nothing."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from transcripts.models import Appearance, Event, EventRevision, PendingUpload, Person, PersonRedirect, Topic, Turn
from transcripts.operations.edits import (
    EVENT_FIELDS,
    TURN_FIELDS,
    delete_turns,
    edit_event,
    edit_turn,
    set_status,
)
from transcripts.operations.imports import import_transcript
from transcripts.operations.people import delete_person, merge_people
from transcripts.operations.uploads import PENDING_UPLOAD_DAYS, stage_upload
from transcripts.parsing import parse_transcript
from transcripts.search.models import IndexTask
from transcripts.turn_rows import TurnDiff, diff_summary
from transcripts.validation import InvalidInput

pytestmark = pytest.mark.django_db

PANEL = (
    "A Small Panel\n\nJanuary 5, 2021\n\n"
    "SMITH: Hello there.\n\nJONES: Hello back, friend.\n\nSMITH: One more thing.\n\nOPERATOR: Next question.\n"
)
OTHER_PANEL = "Another Panel\n\nMarch 8, 2022\n\nJONES: I spoke here too.\n\nBROWN: So did I.\n"


def imported(text=PANEL, status="published", topics=("Trade",)):
    """An event imported from `text`, with its index queue emptied (so a test sees what it queued)."""
    event = import_transcript(text, status=status, metadata={"topics": list(topics)}).event
    IndexTask.objects.all().delete()
    return event


def turn_at(event, position):
    return Turn.objects.select_related("appearance__person").get(event=event, position=position)


def texts(event):
    return [
        (t.position, t.appearance.speaker_name if t.appearance else None, t.text)
        for t in event.turns.order_by("position").select_related("appearance__person")
    ]


def notes(event):
    return list(EventRevision.objects.filter(event=event).order_by("number").values_list("number", "note"))


def queued(event):
    """Whether the event (and so all its turns) waits in the index queue."""
    return IndexTask.objects.filter(model="transcripts.event", object_id=event.pk).exists()


def snapshot_texts(revision):
    return ["\n\n".join(t["paragraphs"]) for t in revision.snapshot["turns"]]


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("editor", password="x", is_staff=True)


# --- stage_upload ---------------------------------------------------------------------


def test_stage_upload_keeps_the_text_and_what_the_caller_gave(staff):
    pending = stage_upload(PANEL, filename="panel.txt", metadata={"title": "T"}, warnings=("w1", "w2"), user=staff)
    stored = PendingUpload.objects.get(pk=pending.pk)
    assert stored.source_text == PANEL
    assert stored.filename == "panel.txt"
    assert stored.metadata == {"title": "T"}
    assert stored.warnings == ["w1", "w2"]
    assert stored.created_by == staff
    assert stored.event is None and stored.confirmed is None
    assert stored.parsed is None and stored.parsed_key == ""
    # A token no one can guess: 32 random bytes, URL-safe.
    assert len(stored.token) == 43 and stored.token != stage_upload(PANEL).token


def test_stage_upload_defaults_and_an_anonymous_user():
    pending = PendingUpload.objects.get(pk=stage_upload(PANEL, user=AnonymousUser()).pk)
    assert pending.created_by is None
    assert pending.metadata == {} and pending.warnings == [] and pending.filename == ""


def test_stage_upload_cuts_a_long_filename_to_255_characters():
    pending = stage_upload(PANEL, filename="a" * 300 + ".txt")
    assert PendingUpload.objects.get(pk=pending.pk).filename == "a" * 255


def test_stage_upload_keeps_the_parse_it_is_given_and_the_event():
    event = imported()
    transcript = parse_transcript(PANEL)
    pending = stage_upload(PANEL, transcript=transcript, event=event)
    stored = PendingUpload.objects.get(pk=pending.pk)
    assert stored.parsed == transcript.to_dict()
    assert len(stored.parsed_key) == 64
    assert stored.event == event


def test_stage_upload_drops_unconfirmed_uploads_older_than_a_week():
    assert PENDING_UPLOAD_DAYS == 7
    now = timezone.now()
    old, recent, confirmed = (stage_upload(f"text {n}") for n in range(3))
    PendingUpload.objects.filter(pk=old.pk).update(created=now - datetime.timedelta(days=7, minutes=1))
    PendingUpload.objects.filter(pk=recent.pk).update(created=now - datetime.timedelta(days=6, hours=23))
    PendingUpload.objects.filter(pk=confirmed.pk).update(created=now - datetime.timedelta(days=30), confirmed=now)
    fresh = stage_upload("new")
    assert set(PendingUpload.objects.values_list("pk", flat=True)) == {recent.pk, confirmed.pk, fresh.pk}


# --- merge_people ---------------------------------------------------------------------


def test_a_person_cannot_be_merged_into_itself():
    event = imported()
    smith = Person.objects.get(name="Smith")
    with pytest.raises(ValueError, match="^A person cannot be merged into itself.$"):
        merge_people(smith, Person.objects.get(pk=smith.pk))
    assert Person.objects.filter(pk=smith.pk).exists()
    assert notes(event) == [(1, "Imported (created)")]


def test_merging_moves_appearances_turns_and_the_address(staff):
    first, second = imported(), imported(OTHER_PANEL)
    keep = Person.objects.get(name="Smith")
    duplicate = Person.objects.get(name="Jones")
    duplicate.bio, duplicate.photo_url = "Jones's bio.", "https://example.org/jones.jpg"
    duplicate.save()
    PersonRedirect.objects.create(old_slug="jones-old", person=duplicate)
    PersonRedirect.objects.create(old_slug=keep.slug, person=duplicate)
    events = merge_people(keep, duplicate, user=staff)

    assert sorted(e.pk for e in events) == sorted([first.pk, second.pk])
    assert not Person.objects.filter(pk=duplicate.pk).exists()
    # At the event both spoke at, one appearance holds all their turns; at the other, the
    # duplicate's appearance is now keep's.
    assert texts(first) == [
        (1, "Smith", "Hello there."),
        (2, "Smith", "Hello back, friend."),
        (3, "Smith", "One more thing."),
        (4, "Operator", "Next question."),
    ]
    assert Appearance.objects.filter(event=first, person=keep).count() == 1
    assert Appearance.objects.filter(event=first).count() == 2
    assert texts(second)[0] == (1, "Smith", "I spoke here too.")
    # Its old addresses lead to keep; keep's own slug is no redirect.
    assert dict(PersonRedirect.objects.values_list("old_slug", "person_id")) == {
        "jones-old": keep.pk,
        duplicate.slug: keep.pk,
    }
    keep.refresh_from_db()
    assert keep.bio == "Jones's bio." and keep.photo_url == "https://example.org/jones.jpg"
    # Counters: keep speaks at two published events, four turns in all.
    assert keep.speaking_event_count == 2 and keep.speaking_turn_count == 4
    assert Appearance.objects.get(event=first, person=keep).turn_count == 3
    # Each event: re-indexed, and a version saying what happened, by whom.
    assert queued(first) and queued(second)
    assert notes(first)[-1] == (2, "Merged Jones into Smith")
    assert notes(second)[-1] == (2, "Merged Jones into Smith")
    revision = EventRevision.objects.get(event=first, number=2)
    assert revision.created_by == staff
    assert [t["speaker"] for t in revision.snapshot["turns"]][:3] == [keep.slug] * 3


def test_merging_two_speakers_of_one_event_recounts_the_appearance_they_share():
    event = imported("Third Panel\n\nMay 1, 2023\n\nSMITH: First words.\n\nJONES: Second words here.\n")
    keep, duplicate = Person.objects.get(name="Smith"), Person.objects.get(name="Jones")
    merge_people(keep, duplicate)
    shared = Appearance.objects.get(event=event)
    assert (shared.person, shared.turn_count, shared.word_count) == (keep, 2, 5)
    keep.refresh_from_db()
    assert (keep.speaking_event_count, keep.speaking_turn_count) == (1, 2)


def test_merging_keeps_keep_s_own_bio_and_photo():
    imported()
    keep, duplicate = Person.objects.get(name="Smith"), Person.objects.get(name="Jones")
    Person.objects.filter(pk=keep.pk).update(bio="Smith's.", photo_url="https://example.org/s.jpg")
    Person.objects.filter(pk=duplicate.pk).update(bio="Jones's.", photo_url="https://example.org/j.jpg")
    keep.refresh_from_db()
    merge_people(keep, Person.objects.get(pk=duplicate.pk))
    keep.refresh_from_db()
    assert keep.bio == "Smith's." and keep.photo_url == "https://example.org/s.jpg"


def test_merging_a_person_who_spoke_nowhere_touches_no_event():
    event = imported()
    keep = Person.objects.get(name="Smith")
    silent = Person.objects.create(name="Silent Sam", slug="silent-sam")
    assert merge_people(keep, silent) == []
    assert notes(event) == [(1, "Imported (created)")] and not queued(event)
    assert PersonRedirect.objects.get(old_slug="silent-sam").person == keep


# --- delete_person --------------------------------------------------------------------


def test_deleting_a_person_keeps_their_turns_without_a_speaker(staff):
    first, second = imported(), imported(OTHER_PANEL)
    third = imported("Third Panel\n\nMay 1, 2023\n\nSMITH: Not Jones here.\n")
    jones = Person.objects.get(name="Jones")
    events = delete_person(jones, user=staff)
    assert [e.pk for e in events] == sorted([first.pk, second.pk])
    assert not Person.objects.filter(name="Jones").exists()
    assert turn_at(first, 2).appearance is None and turn_at(first, 2).label == "JONES"
    assert turn_at(first, 2).text == "Hello back, friend."
    assert texts(second) == [(1, None, "I spoke here too."), (2, "Brown", "So did I.")]
    assert notes(first)[-1] == (2, "Deleted the person Jones") and notes(second)[-1] == (2, "Deleted the person Jones")
    assert notes(third) == [(1, "Imported (created)")]
    assert EventRevision.objects.get(event=first, number=2).created_by == staff
    assert queued(first) and queued(second) and not queued(third)
    assert Appearance.objects.filter(event=first).count() == 2


def test_deleting_a_person_with_the_longest_name_notes_it_whole():
    event = imported("Long Name Panel\n\nMay 1, 2023\n\nSMITH: Hello.\n")
    person = Person.objects.get(name="Smith")
    longest = Person._meta.get_field("name").max_length
    Person.objects.filter(pk=person.pk).update(name="N" * longest)
    delete_person(Person.objects.get(pk=person.pk))
    assert notes(event)[-1] == (2, "Deleted the person " + "N" * longest)


# --- edit_turn ------------------------------------------------------------------------


def test_editing_a_turn_s_text_keeps_a_version(staff):
    event = imported()
    turn = turn_at(event, 2)
    public_id = turn.public_id
    revision = edit_turn(turn, paragraphs=["  Hello back,\x07 friend.  ", "   ", "A second paragraph."], user=staff)
    stored = turn_at(event, 2)
    assert stored.paragraphs == ["Hello back, friend.", "A second paragraph."]
    assert stored.text == "Hello back, friend.\n\nA second paragraph."
    assert stored.public_id == public_id and stored.appearance.speaker_name == "Jones"
    assert revision == EventRevision.objects.get(event=event, number=2)
    assert revision.note == "Edited turn 2" and revision.created_by == staff
    assert snapshot_texts(revision)[1] == "Hello back, friend.\n\nA second paragraph."
    assert Appearance.objects.get(event=event, person__name="Jones").word_count == 6


def test_editing_a_turn_with_a_note():
    event = imported()
    edit_turn(turn_at(event, 1), paragraphs=["Hello, there."], note="Comma added")
    assert notes(event)[-1] == (2, "Comma added")


def test_a_turn_edit_that_changes_nothing_keeps_no_version():
    event = imported()
    turn = turn_at(event, 1)
    assert edit_turn(turn, paragraphs=[" Hello there. "], speaker=turn.appearance, label="SMITH") is None
    assert notes(event) == [(1, "Imported (created)")]


def test_changing_a_turn_s_speaker_and_label():
    event = imported()
    smith = Appearance.objects.get(event=event, person__name="Smith")
    revision = edit_turn(turn_at(event, 2), speaker=smith, label="SMITH")
    assert texts(event)[1] == (2, "Smith", "Hello back, friend.")
    assert turn_at(event, 2).label == "SMITH"
    assert revision.note == "Edited turn 2"
    assert Appearance.objects.get(pk=smith.pk).turn_count == 3
    assert Appearance.objects.get(event=event, person__name="Jones").turn_count == 0


def test_a_turn_can_be_given_to_nobody():
    event = imported()
    assert edit_turn(turn_at(event, 1), speaker=None) is not None
    assert turn_at(event, 1).appearance is None
    assert Appearance.objects.get(event=event, person__name="Smith").turn_count == 1


def test_a_speaker_of_another_event_is_refused_and_nothing_changes():
    event, other = imported(), imported(OTHER_PANEL)
    brown = Appearance.objects.get(event=other, person__name="Brown")
    with pytest.raises(InvalidInput) as refused:
        edit_turn(turn_at(event, 1), speaker=brown, paragraphs=["Changed."])
    assert str(refused.value) == "Brown does not appear at this event; pick one of its speakers."
    assert texts(event)[0] == (1, "Smith", "Hello there.")
    assert notes(event) == [(1, "Imported (created)")]


def test_edit_turn_refuses_fields_it_does_not_change():
    event = imported()
    assert TURN_FIELDS == ("label", "kind", "section", "timestamp")
    with pytest.raises(InvalidInput) as refused:
        edit_turn(turn_at(event, 1), public_id="x", position=9, label="Y")
    assert str(refused.value) == (
        "edit_turn cannot change position, public_id; "
        "it changes paragraphs, speaker and label, kind, section, timestamp."
    )
    assert turn_at(event, 1).label == "SMITH" and notes(event) == [(1, "Imported (created)")]


@pytest.mark.parametrize(
    "paragraphs, message",
    [
        ("Just a string.", "paragraphs must be a list of texts, one per paragraph."),
        (["Text.", 3], "paragraphs must be a list of texts, one per paragraph."),
        ([], "A turn needs some text: give at least one paragraph, or delete the turn instead."),
        (["  ", "\x07"], "A turn needs some text: give at least one paragraph, or delete the turn instead."),
    ],
)
def test_a_turn_without_text_is_refused(paragraphs, message):
    event = imported()
    with pytest.raises(InvalidInput) as refused:
        edit_turn(turn_at(event, 1), paragraphs=paragraphs)
    assert str(refused.value) == message
    assert texts(event)[0] == (1, "Smith", "Hello there.") and notes(event) == [(1, "Imported (created)")]


def test_a_turn_bigger_than_a_whole_transcript_may_be_is_refused(settings):
    settings.VERBATIM_MAX_UPLOAD_BYTES = 1000
    event = imported()
    with pytest.raises(InvalidInput) as refused:
        edit_turn(turn_at(event, 1), paragraphs=["é" * 400, "word " * 41])
    assert str(refused.value) == (
        "The turn's text is 1,004 bytes, more than a whole transcript may be (1,000); split it into several turns."
    )
    assert texts(event)[0] == (1, "Smith", "Hello there.") and notes(event) == [(1, "Imported (created)")]
    edit_turn(turn_at(event, 1), paragraphs=["é" * 400, "word " * 40])  # 999 bytes once stripped: taken
    assert notes(event)[-1] == (2, "Edited turn 1")


def test_an_invalid_kind_is_refused_naming_the_field():
    event = imported()
    with pytest.raises(InvalidInput) as refused:
        edit_turn(turn_at(event, 1), kind="shouting", paragraphs=["Changed."])
    assert str(refused.value) == "kind: Value 'shouting' is not a valid choice."
    assert turn_at(event, 1).kind == "remark" and texts(event)[0][2] == "Hello there."
    assert notes(event) == [(1, "Imported (created)")]


def test_a_too_long_label_is_refused_but_other_fields_are_not_checked():
    event = imported()
    Turn.objects.filter(pk=turn_at(event, 1).pk).update(kind="bogus")  # a stored oddity edit_turn leaves alone
    with pytest.raises(InvalidInput) as refused:
        edit_turn(turn_at(event, 1), label="L" * 301)
    assert str(refused.value).startswith("label: Ensure this value has at most")
    assert edit_turn(turn_at(event, 1), label="MR. SMITH").note == "Edited turn 1"
    assert turn_at(event, 1).label == "MR. SMITH"


def test_paragraph_starts_survive_an_edit_only_when_the_paragraph_count_stays():
    event = imported()
    Turn.objects.filter(event=event, position__in=[1, 2]).update(paragraph_starts=[12.5])
    edit_turn(turn_at(event, 1), paragraphs=["Hello there, all."])
    assert turn_at(event, 1).paragraph_starts == [12.5]
    edit_turn(turn_at(event, 2), paragraphs=["Hello back.", "Friend."])
    assert turn_at(event, 2).paragraph_starts == []


def test_edit_turn_with_only_other_fields_keeps_the_paragraphs():
    event = imported()
    edit_turn(turn_at(event, 1), timestamp="00:01:02", section="qa", kind="question")
    turn = turn_at(event, 1)
    assert (turn.timestamp, turn.section, turn.kind, turn.text) == ("00:01:02", "qa", "question", "Hello there.")
    assert notes(event)[-1] == (2, "Edited turn 1")


# --- delete_turns ---------------------------------------------------------------------


def test_deleting_one_turn_notes_its_position(staff):
    event = imported()
    revisions = delete_turns([turn_at(event, 3)], user=staff)
    assert [r.note for r in revisions] == ["Deleted turn 3"]
    assert revisions[0].created_by == staff
    assert [t[2] for t in texts(event)] == ["Hello there.", "Hello back, friend.", "Next question."]
    assert Appearance.objects.get(event=event, person__name="Smith").turn_count == 1
    assert snapshot_texts(revisions[0]) == ["Hello there.", "Hello back, friend.", "Next question."]


def test_deleting_turns_of_two_events_keeps_one_version_each():
    event, other = imported(), imported(OTHER_PANEL)
    revisions = delete_turns([turn_at(event, 3), turn_at(other, 2), turn_at(event, 1)])
    assert sorted((r.event_id, r.note) for r in revisions) == sorted(
        [(event.pk, "Deleted turns 1, 3"), (other.pk, "Deleted turn 2")]
    )
    assert [t[2] for t in texts(event)] == ["Hello back, friend.", "Next question."]
    assert texts(other) == [(1, "Jones", "I spoke here too.")]
    assert Person.objects.get(name="Brown").speaking_turn_count == 0
    assert delete_turns([turn_at(event, 2)], note="Spam")[0].note == "Spam"


# --- edit_event -----------------------------------------------------------------------


def test_editing_an_event_s_fields_and_topics(staff):
    event = imported()
    economy = Topic.objects.create(name="Economy", slug="economy")
    revision = edit_event(event, {"title": "A Renamed Panel", "topics": [economy, "  New   Topic "]}, user=staff)
    stored = Event.objects.get(pk=event.pk)
    assert stored.title == "A Renamed Panel"
    assert sorted(stored.topics.values_list("name", flat=True)) == ["Economy", "New Topic"]
    assert revision.note == "Edited (title, topics)" and revision.created_by == staff
    assert revision.snapshot["event"]["title"] == "A Renamed Panel"
    assert Topic.objects.get(name="Economy").published_event_count == 1
    assert Topic.objects.get(name="Trade").published_event_count == 0


def test_an_event_edit_that_changes_nothing_keeps_no_version():
    event = imported()
    trade = Topic.objects.get(name="Trade")
    assert edit_event(event, {"title": "A Small Panel", "topics": ["trade"]}) is None
    assert edit_event(event, {"topics": [trade]}) is None
    assert notes(event) == [(1, "Imported (created)")]


def test_an_event_edit_of_its_appearances_alone_keeps_a_version():
    event = imported()
    assert edit_event(event, {}, related_changed=True).note == "Edited (appearances)"
    assert edit_event(event, {"status": "draft"}, note="Hidden for now").note == "Hidden for now"
    assert Event.objects.get(pk=event.pk).status == "draft"
    assert list(Event.objects.get(pk=event.pk).topics.values_list("name", flat=True)) == ["Trade"]  # not given: kept
    assert Person.objects.get(name="Smith").speaking_event_count == 0


def test_edit_event_refuses_fields_it_does_not_change():
    event = imported()
    with pytest.raises(InvalidInput) as refused:
        edit_event(event, {"title": "New", "slug_x": 1, "alignment": {}})
    assert str(refused.value) == f"edit_event cannot change alignment, slug_x; it changes {', '.join(EVENT_FIELDS)}."
    assert "title" in EVENT_FIELDS and "topics" in EVENT_FIELDS and "alignment" not in EVENT_FIELDS
    assert "id" not in EVENT_FIELDS and "description_html" not in EVENT_FIELDS
    assert Event.objects.get(pk=event.pk).title == "A Small Panel"


def test_an_event_edit_checks_only_the_fields_it_changes():
    event = imported()
    Event.objects.filter(pk=event.pk).update(source_url="javascript:stored-before-the-check")
    assert edit_event(Event.objects.get(pk=event.pk), {"title": "Retitled"}).note == "Edited (title)"
    assert Event.objects.get(pk=event.pk).title == "Retitled"


def test_an_invalid_event_field_is_refused_naming_it():
    event = imported()
    with pytest.raises(InvalidInput) as refused:
        edit_event(event, {"source_url": "javascript:alert(1)", "title": "Changed", "topics": ["Other"]})
    assert str(refused.value).startswith("source_url: ")
    stored = Event.objects.get(pk=event.pk)
    assert stored.title == "A Small Panel" and list(stored.topics.values_list("name", flat=True)) == ["Trade"]
    assert notes(event) == [(1, "Imported (created)")]


def test_every_invalid_event_field_is_named_with_every_message():
    event = imported()
    with pytest.raises(InvalidInput) as refused:
        edit_event(event, {"source_url": "javascript:" + "x" * 600, "media_url": "ftp://example.org/a.mp3"})
    web_only = (
        "Enter a valid URL. Enter a web address starting with http:// or https:// "
        "(other kinds of link are not allowed)."
    )
    assert str(refused.value) == (
        f"source_url: {web_only} Ensure this value has at most 500 characters (it has 611).; "
        "media_url: Enter a web address starting with http:// or https:// (other kinds of link are not allowed)."
    )


# --- set_status -----------------------------------------------------------------------


def test_set_status_returns_only_the_events_it_changed():
    published, draft = imported(), imported(OTHER_PANEL, status="draft")
    changed = set_status(Event.objects.filter(pk__in=[published.pk, draft.pk]).order_by("pk"), "published")
    assert [e.pk for e in changed] == [draft.pk]
    assert set(Event.objects.values_list("status", flat=True)) == {"published"}
    assert Person.objects.get(name="Jones").speaking_event_count == 2
    assert Topic.objects.get(name="Trade").published_event_count == 2
    assert set_status([published], "draft") == [published]
    assert Event.objects.get(pk=published.pk).status == "draft"
    assert Person.objects.get(name="Smith").speaking_event_count == 0
    assert notes(published) == [(1, "Imported (created)")]


def test_set_status_writes_the_status_alone():
    """An event read before someone else's edit: publishing it keeps that edit."""
    stale = Event.objects.get(pk=imported(status="draft").pk)
    edit_event(Event.objects.get(pk=stale.pk), {"title": "Retitled Meanwhile"})
    assert set_status([stale], "published") == [stale]
    stored = Event.objects.get(pk=stale.pk)
    assert (stored.status, stored.title) == ("published", "Retitled Meanwhile")


def test_diff_summary_says_each_count():
    diff = TurnDiff(kept=5, changed=4, added=3, removed=2, speakers_changed=1)
    assert diff_summary(diff) == "5 turns kept, 4 changed, 3 added, 2 removed, 1 speaker changes"
