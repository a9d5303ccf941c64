"""The importer's hot path: the queries one import costs do not grow with
its turns or participants, and the revision it records is exactly what the database holds."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from transcripts.devtools.corpus import generate_transcripts
from transcripts.models import EventRevision
from transcripts.operations.imports import import_transcript
from transcripts.snapshots import EventSnapshot

# The corpus generator builds on the sample transcript.
pytestmark = pytest.mark.django_db


def _import_counting(text):
    with CaptureQueriesContext(connection) as ctx:
        result = import_transcript(text, status="published")
    return result, [q["sql"] for q in ctx.captured_queries]


def test_a_new_event_writes_its_appearances_in_one_insert_and_reads_no_turns_back():
    text = next(generate_transcripts(80, seed=3, per_event=(80, 80)))
    result, queries = _import_counting(text)
    assert result.action == "created"
    assert result.event.appearances.count() >= 4
    assert sum(q.startswith('INSERT INTO "transcripts_appearance"') for q in queries) == 1
    # Nothing to delete for a new event, and the revision is built from the rows just written.
    assert not [q for q in queries if q.startswith('SELECT "transcripts_turn"."id"')]
    assert not [q for q in queries if q.startswith("DELETE")]


def _retitled(text, title):
    return re.sub(r"^title: .*$", f"title: {title}", text, count=1, flags=re.M)


def test_queries_per_import_do_not_grow_with_turns_or_participants():
    small = next(generate_transcripts(20, seed=5, per_event=(20, 20)))
    large = next(generate_transcripts(400, seed=5, per_event=(400, 400)))
    for text in (small, large):  # the people exist from now on, as in a grown archive
        import_transcript(text, status="published")
    few_result, few = _import_counting(_retitled(small, "Small again"))
    result, many = _import_counting(_retitled(large, "Large again"))
    assert result.event.turns.count() == 400
    assert result.event.appearances.count() > few_result.event.appearances.count() + 10
    # Besides the person lookups (one per participant, resolve_person's) and turn inserts, a 400-turn import
    # with many more people costs what a 20-turn one does (topics, looked up one by one, may
    # differ by two).
    assert len(_not_person_lookups(many)) <= len(_not_person_lookups(few)) + 2


def _not_person_lookups(queries):
    """Also leaves out the turn inserts, which SQLite's 999-parameter limit splits into
    one statement per 76 turns."""
    skipped = ('SELECT "transcripts_person"."id"', 'INSERT INTO "transcripts_turn"')
    return [q for q in queries if not q.startswith(skipped)]


@pytest.mark.parametrize("correct", [False, True])
def test_the_recorded_revision_is_the_event_as_stored(correct):
    text = next(generate_transcripts(50, seed=7, per_event=(50, 50)))
    event = import_transcript(text, status="published").event
    if correct:
        lines = text.splitlines()
        last = max(i for i, line in enumerate(lines) if ": " in line and line.split(":")[0].isupper())
        lines[last] += " A corrected sentence."
        event = import_transcript("\n".join(lines) + "\n", status="published").event
    revision = EventRevision.objects.filter(event=event).order_by("-number").first()
    assert revision.number == (2 if correct else 1)
    assert revision.snapshot == EventSnapshot.from_event(event).to_json()
