"""People: merging two records of one person, deleting one, saving an edited one. Each
runs in one transaction, records a version of every event whose speakers it changes, and
says its side effects (transcripts.operations.effects)."""

from __future__ import annotations

from django.db import transaction

from transcripts.models import Appearance, Event, Person, PersonRedirect
from transcripts.operations import effects
from transcripts.operations.versions import record_revision


def merge_people(keep: Person, duplicate: Person, *, user=None) -> list[Event]:
    """Make `duplicate` (the same person spelled another way) part of `keep`: its appearances
    and turns move over, its URL redirects to `keep`, the record goes. Returns the events touched."""
    if keep.pk == duplicate.pk:
        raise ValueError("A person cannot be merged into itself.")
    shared = Appearance.objects.filter(person=duplicate).values_list("event_id", flat=True)
    with transaction.atomic(), effects.recounted(list(shared)):
        events = []
        for appearance in Appearance.objects.filter(person=duplicate).select_related("event"):
            existing = Appearance.objects.filter(event=appearance.event, person=keep).first()
            if existing:
                # Both records speak at this event: one appearance keeps all their turns.
                appearance.turns.update(appearance=existing)
                appearance.delete()
            else:
                appearance.person = keep
                appearance.save()
            events.append(appearance.event)
        PersonRedirect.objects.filter(person=duplicate).update(person=keep)
        PersonRedirect.objects.filter(old_slug=keep.slug).delete()
        PersonRedirect.objects.update_or_create(old_slug=duplicate.slug, defaults={"person": keep})
        keep.bio = keep.bio or duplicate.bio
        keep.photo_url = keep.photo_url or duplicate.photo_url
        keep.save()
        gone = duplicate.pk
        duplicate.delete()
        for event in events:
            record_revision(event, user=user, note=f"Merged {duplicate.name} into {keep.name}")
        effects.queue_index(events=events, people=[keep], deleted_people=[gone])
        effects.renew_page_cache()
    return events


def delete_person(person: Person, *, user=None) -> list[Event]:
    """Delete a person. Their appearances go and their turns keep their labels but lose
    their speaker, which changes what each of those transcripts says: each gets a version
    recording that, as any other edit does. Returns the events touched."""
    with transaction.atomic():
        spoken_at = Appearance.objects.filter(person=person).values("event_id")
        events = list(Event.objects.select_for_update().filter(pk__in=spoken_at).order_by("pk"))
        with effects.recounted([event.pk for event in events]):
            name, gone = person.name, person.pk
            person.delete()
            for event in events:
                record_revision(event, user=user, note=f"Deleted the person {name}")
        effects.queue_index(events=events, deleted_people=[gone])
        effects.renew_page_cache()
    return events


def save_person(person: Person, *, save_related=None) -> Person:
    """Store a person as the admin's form changed them (name, address, bio, photo), and with
    `save_related` what hangs off them (the admin's inline of old addresses): their turns and
    the events they spoke at show the name, so the index re-reads them."""
    with transaction.atomic():
        person.save()
        if save_related is not None:
            save_related()
        effects.queue_index(people=[person])
        effects.renew_page_cache()
    return person
