"""Counters kept on the rows the reader pages rank and add up by: each person's published
speaking events and turns (`Person.speaking_event_count`, `.speaking_turn_count`), each
topic's published events (`Topic.published_event_count`) and each appearance's turns and
words (`Appearance.turn_count`, `.word_count`).

Why: without them the home page grouped every published appearance and turn of the archive
on each uncached request (most of its time at 100,000 turns, and growing with the archive),
and a person page counted, summed and sorted all of the person's turns to show 20.

How they stay right: every operation that changes who speaks at an event, how many turns
they have there, an event's topics or its status (transcripts.operations) recounts, in
its own transaction, the people and topics of those events before and after the change,
and the appearances at those events (transcripts.operations.effects.recounted). Writers
that bypass the operations (the bulk corpus writer) call `recount_everything()` at the end.

A recount is computed from the rows, never incremented, so running it twice is harmless.
"""

from __future__ import annotations

from django.db import connection

PUBLISHED = "published"
OPERATOR = "operator"


def _update(model, assignments: str, ids, key: str = "id", params=()) -> None:
    """UPDATE model's table SET `assignments` for the rows whose `key` is in `ids` (None: all).

    Written as SQL (standard correlated subqueries, as any backend runs them): built by
    the ORM, compiling these three statements cost more than running them, and they run
    in every import."""
    sql = f"UPDATE {model._meta.db_table} SET {assignments}"
    if ids is not None:
        ids = list(ids)
        sql += f" WHERE {key} IN ({', '.join(['%s'] * len(ids))})"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *(ids or ())])


def recount_with(
    person_model, topic_model, appearance_model, turn_model, event_model, *, people, topics, events
) -> None:
    """Recount the appearances at the given events, then the given people (from their
    appearances' counters, which must be right: recount the events whose turns changed
    in the same call) and topics; ids, or None for all. Takes the models so the migration
    that fills the counters can pass its historical ones."""
    appearance, turn = appearance_model._meta.db_table, turn_model._meta.db_table
    event, tagged = event_model._meta.db_table, event_model.topics.through._meta.db_table
    if events is None or events:
        own = f"FROM {turn} t WHERE t.appearance_id = {appearance}.id"
        counted = f"turn_count = (SELECT COUNT(*) {own}), word_count = (SELECT COALESCE(SUM(t.word_count), 0) {own})"
        _update(appearance_model, counted, events, key="event_id")
    if people is None or people:
        # From the appearances' own counters (just recounted above where they changed):
        # reading a frequent speaker's every turn took a quarter of each import's time.
        # An appearance is one person at one event (a unique pair): counting them counts events.
        person = person_model._meta.db_table
        speaking = (
            f"FROM {appearance} a JOIN {event} e ON e.id = a.event_id"
            f" WHERE a.person_id = {person}.id AND e.status = %s AND a.role <> %s"
        )
        counted = (
            f"speaking_event_count = (SELECT COUNT(*) {speaking}),"
            f" speaking_turn_count = (SELECT COALESCE(SUM(a.turn_count), 0) {speaking})"
        )
        _update(person_model, counted, people, params=(PUBLISHED, OPERATOR) * 2)
    if topics is None or topics:
        topic = topic_model._meta.db_table
        counted = (
            f"published_event_count = (SELECT COUNT(*) FROM {tagged} l JOIN {event} e ON e.id = l.event_id"
            f" WHERE l.topic_id = {topic}.id AND e.status = %s)"
        )
        _update(topic_model, counted, topics, params=(PUBLISHED,))


def recount(*, people=(), topics=(), events=()) -> None:
    """Recount these people and topics, and the appearances at these events (ids)."""
    from transcripts.models import Appearance, Event, Person, Topic, Turn

    recount_with(Person, Topic, Appearance, Turn, Event, people=people, topics=topics, events=events)


def recount_everything() -> None:
    """Every counter, from the rows (after writes that bypass the models)."""
    from transcripts.models import Appearance, Event, Person, Topic, Turn

    recount_with(Person, Topic, Appearance, Turn, Event, people=None, topics=None, events=None)


def members(event_ids) -> tuple[set[int], set[int]]:
    """The people who appear at these events and the events' topics."""
    from transcripts.models import Appearance, Event

    event_ids = [pk for pk in event_ids if pk is not None]
    if not event_ids:
        return set(), set()
    people = set(Appearance.objects.filter(event_id__in=event_ids).values_list("person_id", flat=True)) - {None}
    topics = set(Event.topics.through.objects.filter(event_id__in=event_ids).values_list("topic_id", flat=True))
    return people, topics
