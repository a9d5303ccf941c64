"""Topics edited or deleted in the admin. An event's documents in the index carry its topics'
names, so both queue the events tagged with the topic; a deleted topic's events are
recounted from the rows that remain."""

from __future__ import annotations

from django.db import transaction

from transcripts.models import Event, Topic
from transcripts.operations import effects


def _tagged(topics) -> list[int]:
    return list(Event.topics.through.objects.filter(topic__in=topics).values_list("event_id", flat=True).distinct())


def save_topic(topic: Topic) -> Topic:
    """Store a topic as the admin's form changed it (name, address, description)."""
    with transaction.atomic():
        topic.save()
        effects.queue_index(events=_tagged([topic]) if topic.pk else [])
        effects.renew_page_cache()
    return topic


def delete_topics(topics) -> int:
    """Delete topics; the events they tagged lose them. Returns how many topics went."""
    topics = list(topics)
    with transaction.atomic():
        events = _tagged(topics)
        deleted = Topic.objects.filter(pk__in=[t.pk for t in topics]).delete()[1].get(Topic._meta.label, 0)
        effects.queue_index(events=events)
        effects.renew_page_cache()
    return deleted
