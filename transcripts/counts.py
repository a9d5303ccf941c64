"""Counters kept on the rows the reader pages rank and add up by: each person's published
speaking events and turns (`Person.speaking_event_count`, `.speaking_turn_count`), each
topic's published events (`Topic.published_event_count`) and each appearance's turns and
words (`Appearance.turn_count`, `.word_count`).

Why: without them the home page grouped every published appearance and turn of the archive
on each uncached request (most of its time at 100,000 turns, and growing with the archive),
and a person page counted, summed and sorted all of the person's turns to show 20.

How they stay right: every operation that changes who speaks at an event, how many turns
they have there, an event's topics or its status runs inside `recounted(events)` (the
importer's `apply_snapshot`, and `transcripts.actions`' edits, deletes, merges and status
changes), which recounts, in the same transaction, the people and topics of those events
before and after the change, and the appearances at those events. Outside those
operations, the signals connected below recount in the saving or deleting transaction: an
appearance saved or deleted on its own (the admin's inline, before `edit_event` runs)
recounts its person, before and after; a turn saved on its own its speaker and the
appearances at its event; topics added to or taken from an event those topics; an event
saved with another status, or deleted, its people and topics. Writers that bypass the
models (the bulk corpus writer) call `recount_everything()` at the end.

A recount is computed from the rows, never incremented, so running it twice is harmless.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

PUBLISHED = "published"
OPERATOR = "operator"

# How many `recounted` blocks this thread is inside: their own recount covers every row
# they change, so the per-row signals stay quiet (a re-import deletes every appearance).
_state = threading.local()


def _inside_recounted() -> bool:
    return getattr(_state, "depth", 0) > 0


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


def _ids(events) -> list:
    return [getattr(event, "pk", event) for event in events]


@contextmanager
def recounted(events):
    """Recount, on leaving, the people and topics of `events` (Events or ids; a new Event
    may get its id inside) as they were on entering and as they are on leaving: someone
    taken off an event, or a topic removed from it, is recounted too. Call inside the
    operation's transaction so the counters change with the rows."""
    events = list(events)
    people_before, topics_before = members(_ids(events))
    _state.depth = getattr(_state, "depth", 0) + 1
    try:
        yield
    finally:
        _state.depth -= 1
    people_after, topics_after = members(_ids(events))
    recount(people=people_before | people_after, topics=topics_before | topics_after, events=_ids(events))


def _remember_event_members(sender, instance, **_kwargs) -> None:
    instance._counted_members = members([instance.pk])


def _recount_event_members(sender, instance, **_kwargs) -> None:
    # Sent after the event's appearances and topic links are gone, inside the delete's transaction.
    people, topics = getattr(instance, "_counted_members", (set(), set()))
    if not _inside_recounted():
        recount(people=people, topics=topics)


def _remember_appearance_person(sender, instance, **_kwargs) -> None:
    """The person the stored row names: an edit may hand the appearance to someone else."""
    if instance.pk and not _inside_recounted():
        instance._counted_person = sender.objects.filter(pk=instance.pk).values_list("person_id", flat=True).first()


def _recount_appearance_person(sender, instance, **_kwargs) -> None:
    if not _inside_recounted():
        recount(people={instance.person_id, getattr(instance, "_counted_person", None)} - {None})


def _remember_status(sender, instance, **_kwargs) -> None:
    if instance.pk and not _inside_recounted():
        instance._counted_status = sender.objects.filter(pk=instance.pk).values_list("status", flat=True).first()


def _recount_if_status_changed(sender, instance, created=False, **_kwargs) -> None:
    if (
        not created
        and not _inside_recounted()
        and getattr(instance, "_counted_status", instance.status) != instance.status
    ):
        people, topics = members([instance.pk])
        recount(people=people, topics=topics)
    instance._counted_status = instance.status


def _recount_speaker(sender, instance, **_kwargs) -> None:
    if instance.appearance_id and not _inside_recounted():
        recount(
            people=[instance.appearance.person_id] if instance.appearance.person_id else [], events=[instance.event_id]
        )


def _recount_topics(sender, instance, action, reverse, pk_set=None, **_kwargs) -> None:
    """Topics added to or taken from an event, from either side of the relation."""
    if _inside_recounted():
        return
    if reverse:  # topic.events changed: only that topic's count moves
        if action.startswith("post_"):
            recount(topics=[instance.pk])
    elif action == "pre_clear":
        instance._counted_topics = set(instance.topics.values_list("pk", flat=True))
    elif action in ("post_add", "post_remove"):
        recount(topics=pk_set)
    elif action == "post_clear":
        recount(topics=getattr(instance, "_counted_topics", set()))


def connect_signals() -> None:
    from transcripts.models import Appearance, Event, Turn

    pre_delete.connect(_remember_event_members, sender=Event, dispatch_uid="counts-event-pre-delete")
    post_delete.connect(_recount_event_members, sender=Event, dispatch_uid="counts-event-post-delete")
    pre_save.connect(_remember_status, sender=Event, dispatch_uid="counts-event-pre-save")
    post_save.connect(_recount_if_status_changed, sender=Event, dispatch_uid="counts-event-save")
    post_save.connect(_recount_speaker, sender=Turn, dispatch_uid="counts-turn-save")
    m2m_changed.connect(_recount_topics, sender=Event.topics.through, dispatch_uid="counts-event-topics")
    pre_save.connect(_remember_appearance_person, sender=Appearance, dispatch_uid="counts-appearance-pre-save")
    post_save.connect(_recount_appearance_person, sender=Appearance, dispatch_uid="counts-appearance-save")
    post_delete.connect(_recount_appearance_person, sender=Appearance, dispatch_uid="counts-appearance-delete")
