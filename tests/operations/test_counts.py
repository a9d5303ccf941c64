"""The counters the home page ranks by (transcripts/counts.py): each person's published
speaking events and turns, each topic's published events. They must equal what the rows
say after every operation that changes the archive: import, re-import, edits, deletes,
merges, status changes, the admin's way of saving appearances, and bulk writes."""

import pytest
from django.db import connection
from django.db.models import Count, Q, Sum
from django.test.utils import CaptureQueriesContext

from transcripts.devtools.corpus import write_corpus_in_bulk
from transcripts.models import Appearance, Event, Person, Role, Topic, Turn
from transcripts.operations.edits import delete_events, delete_turns, edit_event, edit_turn, set_status
from transcripts.operations.imports import import_transcript
from transcripts.operations.people import merge_people

pytestmark = pytest.mark.django_db


def transcript(title: str, turns: list[tuple[str, str]], *, topics="Supply Chains, Sanctions", people=None) -> str:
    """A transcript whose turns are (LABEL, text); `people` maps LABEL to (name, role)."""
    people = people or PEOPLE
    used = dict.fromkeys(label for label, _ in turns)
    participants = "".join(
        f"  - name: {people[label][0]}\n    label: {label}\n    role: {people[label][1]}\n" for label in used
    )
    body = "\n\n".join(f"{label}: {text}" for label, text in turns)
    return f"---\ntitle: {title}\ndate: 2024-05-01\ntopics: {topics}\nparticipants:\n{participants}---\n\n{body}\n"


PEOPLE = {
    "NAKAMURA": ("Zoe Nakamura", "presider"),
    "FISCHER": ("Kenji Fischer", "panelist"),
    "HADDAD": ("Uma Haddad", "panelist"),
    "OPERATOR": ("Call Operator", "operator"),
}
FIRST = [
    ("NAKAMURA", "Welcome to the first panel."),
    ("OPERATOR", "Our first question comes from the floor."),
    ("FISCHER", "Supply chains are long."),
    ("NAKAMURA", "Thank you, Kenji."),
    ("HADDAD", "And sanctions are blunt."),
    ("FISCHER", "Indeed they are."),
]
SECOND = [
    ("NAKAMURA", "Welcome back."),
    ("HADDAD", "Sanctions again."),
    ("OPERATOR", "The next question, please."),
]


def counters() -> dict:
    """(events, turns) per person, events per topic and (turns, words) per appearance, as
    the counters hold them."""
    people = {p.name: (p.speaking_event_count, p.speaking_turn_count) for p in Person.objects.all()}
    topics = {t.name: t.published_event_count for t in Topic.objects.all()}
    appearances = {a.pk: (a.turn_count, a.word_count) for a in Appearance.objects.all()}
    return {"people": people, "topics": topics, "appearances": appearances}


def counted_from_rows() -> dict:
    """The same, grouped from the rows (what the home page did before the counters)."""
    speaking = Appearance.objects.filter(event__status="published").exclude(role=Role.OPERATOR)
    events = dict(speaking.values_list("person__name").annotate(n=Count("event", distinct=True)))
    turns = dict(
        Turn.objects.filter(appearance__in=speaking).values_list("appearance__person__name").annotate(n=Count("id"))
    )
    people = {p.name: (events.get(p.name, 0), turns.get(p.name, 0)) for p in Person.objects.all()}
    topics = dict(
        Topic.objects.annotate(n=Count("events", filter=Q(events__status="published"))).values_list("name", "n")
    )
    appearances = {
        a.pk: (a.n, a.words or 0) for a in Appearance.objects.annotate(n=Count("turns"), words=Sum("turns__word_count"))
    }
    return {"people": people, "topics": topics, "appearances": appearances}


def assert_counters_right() -> dict:
    now = counters()
    assert now == counted_from_rows()
    return now


def test_import_counts_speakers_but_not_the_operator_and_each_topic():
    import_transcript(transcript("First Panel", FIRST))
    import_transcript(transcript("Second Panel", SECOND, topics="Sanctions"))
    now = assert_counters_right()
    assert now["people"] == {
        "Zoe Nakamura": (2, 3),
        "Kenji Fischer": (1, 2),
        "Uma Haddad": (2, 2),
        "Call Operator": (0, 0),
    }
    assert now["topics"] == {"Supply Chains": 1, "Sanctions": 2}


def test_reimport_that_drops_a_speaker_and_a_topic_recounts_them():
    import_transcript(transcript("First Panel", FIRST))
    without_haddad = [turn for turn in FIRST if turn[0] != "HADDAD"]
    result = import_transcript(transcript("First Panel", without_haddad, topics="Sanctions"))
    assert result.action == "updated"
    now = assert_counters_right()
    assert now["people"]["Uma Haddad"] == (0, 0)
    assert now["people"]["Kenji Fischer"] == (1, 2)
    assert now["topics"] == {"Supply Chains": 0, "Sanctions": 1}


def test_draft_import_counts_nothing_until_published_and_unpublishing_takes_it_back():
    event = import_transcript(transcript("First Panel", FIRST), status="draft").event
    assert assert_counters_right()["people"]["Zoe Nakamura"] == (0, 0)
    set_status(Event.objects.filter(pk=event.pk), "published")
    now = assert_counters_right()
    assert now["people"]["Zoe Nakamura"] == (1, 2)
    assert now["topics"]["Supply Chains"] == 1
    set_status([Event.objects.get(pk=event.pk)], "draft")
    now = assert_counters_right()
    assert now["people"]["Zoe Nakamura"] == (0, 0)
    assert now["topics"]["Supply Chains"] == 0


def test_editing_a_turns_text_recounts_its_appearances_words():
    event = import_transcript(transcript("First Panel", FIRST)).event
    turn = event.turns.get(position=3)  # Kenji Fischer's "Supply chains are long."
    edit_turn(turn, paragraphs=["Supply chains are very long indeed."])
    now = assert_counters_right()
    assert now["appearances"][turn.appearance_id] == (2, 6 + 3)  # and "Indeed they are."


def test_editing_a_turns_speaker_moves_the_turn_between_counts():
    event = import_transcript(transcript("First Panel", FIRST)).event
    turn = event.turns.get(position=3)  # Kenji Fischer's
    haddad = event.appearances.get(person__name="Uma Haddad")
    edit_turn(turn, speaker=haddad)
    now = assert_counters_right()
    assert now["people"]["Kenji Fischer"] == (1, 1)
    assert now["people"]["Uma Haddad"] == (1, 2)


def test_deleting_turns_and_events_recounts():
    first = import_transcript(transcript("First Panel", FIRST)).event
    import_transcript(transcript("Second Panel", SECOND, topics="Sanctions"))
    delete_turns(list(first.turns.filter(position__in=[1, 4])))  # both of Nakamura's turns there
    now = assert_counters_right()
    assert now["people"]["Zoe Nakamura"] == (2, 1)  # still appears at the first panel, with no turns
    delete_events([Event.objects.get(pk=first.pk)])
    now = assert_counters_right()
    assert now["people"]["Zoe Nakamura"] == (1, 1)
    assert now["people"]["Kenji Fischer"] == (0, 0)
    assert now["topics"] == {"Supply Chains": 0, "Sanctions": 1}


def test_merging_people_adds_their_counts_together():
    import_transcript(transcript("First Panel", FIRST))
    typo = {**PEOPLE, "HADDAD": ("Uma Hadad", "panelist")}
    import_transcript(transcript("Second Panel", SECOND, topics="Sanctions", people=typo))
    assert counters()["people"]["Uma Hadad"] == (1, 1)
    merge_people(Person.objects.get(name="Uma Haddad"), Person.objects.get(name="Uma Hadad"))
    now = assert_counters_right()
    assert now["people"]["Uma Haddad"] == (2, 2)
    assert "Uma Hadad" not in now["people"]


def test_editing_event_topics_and_status_recounts():
    event = import_transcript(transcript("First Panel", FIRST)).event
    edit_event(Event.objects.get(pk=event.pk), {"topics": ["Public Health"]})
    assert assert_counters_right()["topics"] == {"Supply Chains": 0, "Sanctions": 0, "Public Health": 1}
    edit_event(Event.objects.get(pk=event.pk), {"status": "draft"})
    now = assert_counters_right()
    assert now["topics"]["Public Health"] == 0
    assert now["people"]["Kenji Fischer"] == (0, 0)


def test_the_admins_appearance_inline_is_recounted_by_edit_event():
    """The admin's appearance inline saves appearances inside edit_event (save_related):
    the people taken off and put on the event are both recounted, with no signal."""
    event = import_transcript(transcript("First Panel", FIRST)).event
    fischer = event.appearances.get(person__name="Kenji Fischer")

    def make_operator():
        fischer.role = Role.OPERATOR
        fischer.save()

    edit_event(Event.objects.get(pk=event.pk), {}, related_changed=True, save_related=make_operator)
    assert assert_counters_right()["people"]["Kenji Fischer"] == (0, 0)

    def hand_to_haddad():
        Appearance.objects.filter(event=event, person__name="Uma Haddad").delete()
        fischer.person = Person.objects.get(name="Uma Haddad")
        fischer.role = Role.PANELIST
        fischer.save()

    edit_event(Event.objects.get(pk=event.pk), {}, related_changed=True, save_related=hand_to_haddad)
    now = assert_counters_right()
    assert now["people"]["Uma Haddad"] == (1, 2)
    assert now["people"]["Kenji Fischer"] == (0, 0)


def test_a_plain_save_outside_the_operations_changes_no_counter():
    """No signal receiver recounts behind a write's back: only operations keep counters, so a
    save that bypasses them leaves the counters as they were (the layout test keeps such
    saves out of the code)."""
    event = import_transcript(transcript("First Panel", FIRST)).event
    before = counters()
    fischer = event.appearances.get(person__name="Kenji Fischer")
    fischer.role = Role.OPERATOR
    fischer.save()
    assert counters() == before
    assert counters() != counted_from_rows()


def test_bulk_written_corpus_is_counted():
    write_corpus_in_bulk(400, seed=5)
    now = assert_counters_right()
    assert sum(events for events, _ in now["people"].values()) > 0
    assert sum(now["topics"].values()) > 0


def test_home_ranks_frequent_speakers_from_the_counters_without_grouping_turns(client):
    import_transcript(transcript("First Panel", FIRST))
    import_transcript(transcript("Second Panel", SECOND, topics="Sanctions"))
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/?format=json")
    assert response.status_code == 200
    speakers = [(p["name"], p["events"], p["turns"]) for p in response.json()["frequent_speakers"]]
    assert speakers == [("Zoe Nakamura", 2, 3), ("Uma Haddad", 2, 2), ("Kenji Fischer", 1, 2)]
    assert [(t["name"], t["events"]) for t in response.json()["topics"]] == [("Sanctions", 2), ("Supply Chains", 1)]
    assert not [q["sql"] for q in ctx.captured_queries if "transcripts_turn" in q["sql"]]


def test_person_page_pages_through_turns_newest_event_first_across_appearances(client):
    """Pages cut through appearances (the page reads the turns of the appearances it
    spans, by their counters): every turn once, in the order of a sort of all of them."""
    for number in range(1, 6):
        turns = [("FISCHER", f"Point {number}.{n} on supply chains.") for n in range(1, 10)] + [("NAKAMURA", "Thanks.")]
        text = transcript(f"Panel {number}", turns).replace("2024-05-01", f"2024-05-0{number}")
        import_transcript(text)
    fischer = Person.objects.get(name="Kenji Fischer")
    expected = list(
        Turn.objects.filter(appearance__person=fischer)
        .order_by("-event__date", "-event_id", "position")
        .values_list("public_id", flat=True)
    )
    assert len(expected) == 45
    shown = []
    for number in (1, 2, 3):
        data = client.get(f"/people/{fischer.slug}/", {"page": number, "format": "json"}).json()
        assert data["counts"] == {"events": 5, "turns": 45, "words": 45 * 5}
        assert data["page"]["count"] == 45 and data["page"]["pages"] == 3
        shown += [turn["id"] for turn in data["turns"]]
    assert shown == expected


def test_co_speakers_and_related_topics_rank_by_shared_events_then_name(client):
    import_transcript(transcript("First Panel", FIRST, topics="Supply Chains, Sanctions, Public Health"))
    import_transcript(transcript("Second Panel", SECOND, topics="Sanctions, Public Health"))
    third = [("NAKAMURA", "A third welcome."), ("FISCHER", "Briefly."), ("OPERATOR", "Next question.")]
    import_transcript(transcript("Third Panel", third, topics="Sanctions, Migration"))
    nakamura = client.get("/people/zoe-nakamura/", {"format": "json"}).json()
    shared = [(p["name"], p["shared_events"]) for p in nakamura["appeared_with"]]
    assert shared == [("Kenji Fischer", 2), ("Uma Haddad", 2)]  # a tie, by family name; never the operator
    assert nakamura["appeared_with"][0]["url"].endswith("/people/kenji-fischer/")
    sanctions = client.get("/topics/sanctions/", {"format": "json"}).json()
    assert [t["slug"] for t in sanctions["related"]] == ["public-health", "migration", "supply-chains"]
    assert sanctions["page"]["count"] == 3
