"""Who a speaker is (transcripts/speakers.py) for generic labels: Operator, Q, Moderator,
Speaker 2 are speakers of one event, stored with no Person, shown with no page."""

import pytest

from transcripts.models import Appearance, Person
from transcripts.operations.imports import import_transcript
from transcripts.speakers import EVENT_ONLY_REASON, PeopleIndex, is_event_only

pytestmark = pytest.mark.django_db


def call(title: str, analyst: str) -> str:
    return (
        f"---\ntitle: {title}\ndate: 2024-0{len(title) % 9 + 1}-01\n---\n"
        "OPERATOR: Good day and welcome to the call.\n\n"
        "MODERATOR: Thank you. With us is Dana Pike.\n\n"
        "DANA PIKE: Thanks. Revenue grew.\n\n"
        f"SPEAKER 2: Hi, this is {analyst}. What about margins?\n\n"
        "DANA PIKE: They grew too.\n\n"
        "Q: And costs?\n\n"
        "DANA PIKE: Down.\n"
    )


@pytest.fixture
def two_calls():
    first = import_transcript(call("First Call", "Sam Ode"), status="published").event
    second = import_transcript(call("Second Call Again", "Ray Ito"), status="published").event
    return first, second


def test_generic_labels_create_no_person_rows(two_calls):
    assert sorted(Person.objects.values_list("name", flat=True)) == ["Dana Pike"]
    first, second = two_calls
    for event in two_calls:
        shown = {a.speaker_name: (a.person_id is None, a.role) for a in event.appearances.all()}
        assert shown == {
            "Operator": (True, "operator"),
            "Moderator": (True, "presider"),
            "Dana Pike": (False, "panelist"),
            "Speaker 2": (True, "panelist"),
            "Questioner": (True, "questioner"),
        }
    # Each event has its own Operator: nothing links the two.
    operators = Appearance.objects.filter(name="Operator")
    assert operators.count() == 2 and {a.event_id for a in operators} == {first.pk, second.pk}


def test_generic_speakers_have_no_page_and_are_not_listed(client, two_calls):
    first, _second = two_calls
    for slug in ("operator", "moderator", "speaker-2", "questioner", "q"):
        assert client.get(f"/people/{slug}/").status_code == 404
    index = client.get("/people/").content.decode()
    assert "Dana Pike" in index and "Operator" not in index and "Moderator" not in index
    assert [p["name"] for p in client.get("/people/", {"format": "json"}).json()["people"]] == ["Dana Pike"]
    event_page = client.get(first.get_absolute_url()).content.decode()
    assert "Operator" in event_page and "Moderator" in event_page  # shown by name, no link
    assert 'href="/people/operator/"' not in event_page and 'href="/people/dana-pike/"' in event_page
    person = client.get("/people/dana-pike/")
    assert person.status_code == 200
    assert "Operator" not in person.content.decode() and "Moderator" not in person.content.decode()


def test_event_json_names_generic_speakers_without_a_page(client, two_calls):
    data = client.get(two_calls[0].get_absolute_url(), {"format": "json"}).json()
    speakers = {s["name"]: (s["slug"], s["url"]) for s in data["participants"]}
    assert speakers["Operator"] == (None, None)
    assert speakers["Dana Pike"][0] == "dana-pike"


def test_the_matcher_proposes_nobody_for_a_generic_name(two_calls):
    index = PeopleIndex(event=two_calls[0], labels=["OPERATOR", "Q"])
    assert index.match("Operator", "OPERATOR").person is None
    assert index.match("Operator", "OPERATOR").reason == EVENT_ONLY_REASON
    assert index.match("Dana Pike", "DANA PIKE").person.name == "Dana Pike"
    decided = index.decide(index.match("Questioner", "Q"), "Unidentified Audience Member")
    assert decided.person is None and decided.reason == EVENT_ONLY_REASON
    assert [is_event_only(n) for n in ("Speaker 2", "SPEAKER_00", "Reporter", "Jane Doe", "Q")] == [
        True,
        True,
        True,
        False,
        True,
    ]


def test_a_generic_person_already_in_the_archive_is_not_reused(db):
    Person.objects.create(name="Operator", slug="operator")  # as an older version stored it
    event = import_transcript(call("Third Call", "Sam Ode"), status="published").event
    operator = event.appearances.get(label="OPERATOR")
    assert operator.person_id is None and operator.name == "Operator"


def test_restoring_a_version_stored_before_event_only_speakers_makes_no_person(two_calls):
    from transcripts.operations.imports import restore_revision

    event = two_calls[0]
    revision = event.revisions.get()
    old_form = dict(revision.snapshot)
    old_form["participants"] = [
        {k: v for k, v in p.items() if k != "generic"} | ({"person": "operator"} if p["name"] == "Operator" else {})
        for p in old_form["participants"]
    ]
    revision.snapshot = old_form
    revision.save()
    restore_revision(revision)
    assert sorted(Person.objects.values_list("name", flat=True)) == ["Dana Pike"]
    assert event.appearances.get(name="Operator").person_id is None


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_generic_people_into_event_only_speakers():
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    def state_at(target):
        executor = MigrationExecutor(connection)
        executor.migrate([("transcripts", target)])
        executor.loader.build_graph()
        return executor.loader.project_state([("transcripts", target)]).apps

    try:
        old = state_at("0012_turn_revisions")
        OldPerson, OldEvent = old.get_model("transcripts", "Person"), old.get_model("transcripts", "Event")
        OldAppearance = old.get_model("transcripts", "Appearance")
        event = OldEvent.objects.create(title="Call", slug="call")
        for name, slug in (("Operator", "operator"), ("Speaker 2", "speaker-2"), ("Dana Pike", "dana-pike")):
            person = OldPerson.objects.create(name=name, slug=slug, name_key=name.lower(), sort_name=name.lower())
            OldAppearance.objects.create(event=event, person=person, label=name.upper())
        new = state_at("0013_generic_speakers_and_roles")
        Appearance = new.get_model("transcripts", "Appearance")
        assert list(new.get_model("transcripts", "Person").objects.values_list("name", flat=True)) == ["Dana Pike"]
        rows = sorted(Appearance.objects.values_list("label", "name", "person__name"))
        assert rows == [
            ("DANA PIKE", "", "Dana Pike"),
            ("OPERATOR", "Operator", None),
            ("SPEAKER 2", "Speaker 2", None),
        ]
    finally:
        call_command("migrate", verbosity=0)
