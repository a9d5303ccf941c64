"""A turn's earlier texts, kept by public id when an operation changes or removes the turn:
quote and turn links to earlier wordings read those rows, never whole event versions, and
every such public request stays well under a second of CPU on outsized events."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from transcripts.models import Event, Turn, TurnRevision
from transcripts.operations.edits import edit_turn
from transcripts.operations.imports import import_transcript
from transcripts.operations.versions import record_revision

pytestmark = pytest.mark.django_db


def two_turn_hearing(first: str, second: str = "Thank you, that is all from me.") -> str:
    return f"---\ntitle: River Hearing\ndate: 2022-03-01\n---\n\nLEE: {first}\n\nPARK: {second}\n"


def test_an_edit_keeps_the_turns_earlier_text_under_its_public_id():
    event = import_transcript(two_turn_hearing("The levee held in April.")).event
    turn = event.turns.get(position=1)
    edit_turn(turn, paragraphs=["The levee held in May."])
    assert list(TurnRevision.objects.values_list("public_id", "number", "position", "paragraphs")) == [
        (turn.public_id, 1, 1, ["The levee held in April."])
    ]
    # A correction that drops the turn keeps the text it had last, where it stood.
    import_transcript(two_turn_hearing("Completely different words about dams and nothing else whatsoever."))
    rows = list(TurnRevision.objects.filter(public_id=turn.public_id).values_list("number", "paragraphs"))
    assert rows == [(2, ["The levee held in May."]), (1, ["The levee held in April."])]
    assert not Turn.objects.filter(public_id=turn.public_id).exists()


def test_links_to_a_removed_turn_read_its_earlier_text_not_the_event_versions(client):
    event = import_transcript(two_turn_hearing("The levee held in April.")).event
    gone = event.turns.get(position=1).public_id
    import_transcript(two_turn_hearing("Completely different words about dams and nothing else whatsoever."))
    with CaptureQueriesContext(connection) as queries:
        turn_link = client.get(f"/t/{gone}/")
        quote = client.get(f"/q/{gone}/levee-held/")
    assert turn_link.status_code == 302 and turn_link["Location"] == event.get_absolute_url()
    assert quote.status_code == 200
    assert "has been edited" in quote.content.decode() or "no longer" in quote.content.decode()
    assert not [q["sql"] for q in queries.captured_queries if "eventrevision" in q["sql"]]
    assert client.get("/q/zzzzzzzzzz/levee-held/").status_code == 404  # an id the archive never had


@pytest.fixture
def outsized_turn():
    """A published event whose first turn is one 2 MB paragraph, kept in 10 versions."""
    paragraph = "end " + "the river runs past the mill and on to the sea " * 44_000
    event = Event.objects.create(title="Long", slug="long", status="published")
    turn = Turn(event=event, position=1, label="LEE", paragraphs=[paragraph], public_id="abcdefghij")
    turn.save()
    other = Turn(event=event, position=2, label="PARK", paragraphs=["Version 0."], public_id="klmnopqrst")
    other.save()
    for number in range(10):
        Turn.objects.filter(pk=other.pk).update(paragraphs=[f"Version {number + 1}."])
        record_revision(event, note=f"v{number + 1}")
    assert len(paragraph) > 2_000_000
    return turn


@pytest.mark.parametrize("key", ["the~400~zzzz", "the~400~end", "mill~399~sea"])
def test_a_long_gap_key_on_a_two_megabyte_turn_costs_under_a_second(client, outsized_turn, key):
    started = time.process_time()
    response = client.get(f"/q/{outsized_turn.public_id}/{key}/")
    spent = time.process_time() - started
    assert response.status_code == 200
    assert spent < 1.0, spent


def test_a_gap_key_still_finds_its_passage(client):
    event = import_transcript(two_turn_hearing("one two three four five six seven eight nine ten.")).event
    turn = event.turns.get(position=1)
    response = client.get(f"/q/{turn.public_id}/two~6~nine/")
    assert response.status_code == 200
    assert "two three four five six seven eight nine" in response.content.decode()
