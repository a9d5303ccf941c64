"""The preview's suggestions (people matched with reason and confidence, topics from
distinctive terms) and the review's handling of labels the parser could not attribute."""

import pytest

from transcripts.models import Appearance, Event, Person, Topic
from transcripts.operations.imports import import_transcript
from transcripts.parsing import Paragraph, Participant, Transcript, Turn
from transcripts.plan import reviewed_transcript, speaker_rows
from transcripts.speakers import PeopleIndex, match_person
from transcripts.staff.suggest import suggest_topics, terms

pytestmark = pytest.mark.django_db


def person(name, slug=None):
    return Person.objects.create(name=name, slug=slug or name.lower().replace(" ", "-").replace(".", ""))


def test_same_name_ignoring_case_and_accents_is_certain():
    jose = person("José Ramírez")
    match = match_person("JOSE RAMIREZ")
    assert (match.person.id, match.confidence) == (jose.pk, 1.0)
    assert "same name" in match.reason


def test_two_people_with_one_name_propose_the_oldest_with_doubt():
    first, _ = person("Ann Lee", "ann-lee"), person("Ann Lee", "ann-lee-2")
    match = match_person("Ann Lee")
    assert match.person.id == first.pk and match.confidence == 0.6 and "2 people share this name" in match.reason
    assert len(match.candidates) == 2


@pytest.mark.parametrize(
    "existing, typed, confidence, reason",
    [
        ("Susan M. Coppedge", "Susan Coppedge", 0.9, "middle names differ"),
        ("Sid Kara", "Siddharth Kara", 0.8, "first initial"),
        ("Mark Lagon", "Ambassador Mark Lagon", 1.0, "same name"),
    ],
)
def test_look_alikes_are_proposed_with_why(existing, typed, confidence, reason):
    target = person(existing)
    match = match_person(typed)
    assert match.person.id == target.pk and match.confidence == confidence and reason in match.reason


def test_weak_look_alikes_are_offered_but_not_proposed():
    other = person("Peter Lagon")
    match = match_person("Mark Lagon")
    assert match.person is None and [p.id for p in match.candidates] == [other.pk]
    assert "a new person will be created" in match.reason


def test_family_name_label_matches_a_regular_who_used_it(sample_event):
    match = match_person("Lagon", "LAGON")
    assert match.person.name == "Mark Lagon" and match.confidence == 0.8
    assert "spoke as LAGON before" in match.reason


def test_label_in_the_event_being_corrected_wins(sample_event):
    renamed = sample_event.appearances.get(label="KARA").person
    match = match_person("S. K.", "KARA", sample_event)
    assert match.person.id == renamed.pk and "current version of this event" in match.reason


def test_mapping_follows_what_was_typed():
    lagon = person("Mark Lagon")
    index = PeopleIndex()
    proposed = index.match("Mark Lagon")
    assert index.decide(proposed, "Mark Lagon").person.id == lagon.pk
    assert index.decide(proposed, "mark  LAGON").person.id == lagon.pk
    new = index.decide(proposed, "Marcus Lagon")
    assert new.person is None and "Mark Lagon" in new.reason  # offered as similar
    assert index.decide(proposed, "").reason.startswith("mapped to nobody")


def test_a_pinned_slug_picks_between_namesakes():
    person("Ann Lee", "ann-lee")
    second = person("Ann Lee", "ann-lee-2")
    index = PeopleIndex()
    assert index.decide(index.match("Ann Lee"), "Ann Lee", "ann-lee-2").person.id == second.pk


def test_terms_are_words_and_phrases_without_stopwords():
    counts = terms("The forced labor in the cobalt mines. Forced labor, again!")
    assert counts["forced labor"] == 2 and counts["cobalt"] == 1 and counts["cobalt mines"] == 1
    assert "the" not in counts and "labor cobalt" not in counts


def test_topics_suggested_by_name_and_by_similar_events(sample_event, sample_text):
    """The sample carries topics; a new panel on the same subject gets them suggested."""
    Topic.objects.create(name="Trade Policy", slug="trade-policy", description="Tariffs and trade agreements.")
    paragraph = (
        "Human trafficking and modern slavery in supply chains: survivors, prosecutors and "
        "forced labor in cobalt mines. "
    )
    suggestions = suggest_topics(paragraph * 5, names=["Jane Roe"])
    names = [s.topic.name for s in suggestions.topics]
    assert names[:2] == ["Human Trafficking", "Modern Slavery"]
    assert "Trade Policy" not in names
    top = suggestions.topics[0]
    assert any("“human trafficking” is said 5 times" in r for r in top.reasons)
    assert any("used by similar events: Combating Human Trafficking" in r for r in top.reasons)
    assert "cobalt mines" in suggestions.terms


def test_distinctive_terms_are_measured_against_the_rest_of_the_archive(sample_event):
    text = (
        "The trafficking of cobalt is discussed. Trafficking again and trafficking once more. "
        "Quantum computing and quantum computing again."
    )
    ideas = suggest_topics(text).terms
    # Both said as often; the archive already talks about trafficking, not about quantum computing.
    assert ideas.index("quantum computing") < ideas.index("trafficking")


def test_speakers_names_are_no_topics():
    text = "Siddharth said this. Siddharth said that. Cobalt and cobalt."
    assert "siddharth" not in suggest_topics(text, names=["Siddharth Kara"]).terms


def test_an_unattributed_label_becomes_a_speaker_staff_name():
    """Should the parser leave a turn without a speaker, the preview asks for a name."""
    transcript = Transcript(
        title="Panel",
        participants=[Participant(key="Mark Lagon", name="Mark Lagon", label="LAGON", role="presider")],
        turns=[
            Turn(1, "LAGON", "Mark Lagon", "remark", "discussion", [Paragraph("Welcome.")]),
            Turn(2, "VOICE", None, "remark", "discussion", [Paragraph("Hello from the floor.")]),
        ],
    )
    rows = speaker_rows(transcript)
    assert [(r["key"], r["unresolved"]) for r in rows] == [("Mark Lagon", False), ("label:VOICE", True)]
    speakers = [{**rows[0]}, {**rows[1], "name": "Jane Roe"}]
    edited = reviewed_transcript(transcript, {"title": "Panel"}, speakers)
    assert edited.turns[1].speaker == "label:VOICE" and transcript.turns[1].speaker is None
    people = {r["key"]: {"name": r["name"], "role": r["role"]} for r in speakers}
    event = import_transcript(
        "LAGON: Welcome.\n\nVOICE: Hello from the floor.\n", transcript=edited, people=people
    ).event
    assert event.turns.get(position=2).appearance.person.name == "Jane Roe"
    assert Appearance.objects.get(event=event, label="VOICE").role == "other"
    assert Event.objects.count() == 1
