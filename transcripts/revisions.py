"""A turn's earlier texts, by public id: what quote and turn links are checked against.

Each time an operation records a new version of an event (transcripts.operations.versions.
record_revision), the turns of the previous version that the new one no longer has, or
has with other words, are kept as TurnRevision rows. A link to a corrected or removed
turn then reads a few small rows found by the turn's id, not every stored version of
the whole event (which made one public request cost seconds on a big event).
"""

from __future__ import annotations

from transcripts.models import Event, EventRevision, Turn, TurnRevision
from transcripts.normalise import words
from transcripts.snapshots import EventSnapshot

# How many earlier texts of a turn a link is checked against, newest first.
MAX_EARLIER_TEXTS = 10


def replaced_turns(previous: list[dict], current: list[dict]) -> list[tuple[str, int, list[str]]]:
    """(public id, position, paragraphs) of each turn of `previous` (snapshot JSON turns)
    that `current` lacks or words differently. Plain data, so the migration that fills
    the table from existing versions uses it too."""
    now = {t.get("public_id"): list(t.get("paragraphs") or []) for t in current if t.get("public_id")}
    replaced = []
    for position, turn in enumerate(previous, start=1):
        public_id, paragraphs = turn.get("public_id"), list(turn.get("paragraphs") or [])
        if public_id and now.get(public_id) != paragraphs:
            replaced.append((public_id, position, paragraphs))
    return replaced


def readable_turns(snapshot) -> list[dict]:
    """The turns of a version's snapshot JSON; none when the version cannot be read (an
    unreadable version vouches for no earlier text)."""
    if not isinstance(snapshot, dict) or snapshot.get("schema", 1) not in EventSnapshot.READS:
        return []
    turns = snapshot.get("turns")
    return [t for t in turns if isinstance(t, dict)] if isinstance(turns, list) else []


def fill_from_versions(versions, turn_revision_model=TurnRevision) -> None:
    """Earlier texts from stored versions: `versions` yields (event id, number, snapshot JSON)
    ordered by event and number. For a restored archive, and (with the historical model)
    the migration that added the table; two versions are in memory at a time."""
    before = None  # (event id, number, turns) of the version read last
    for event_id, number, snapshot in versions:
        turns = readable_turns(snapshot)
        if before and before[0] == event_id:
            rows = [
                turn_revision_model(
                    event_id=event_id, public_id=public_id, number=before[1], position=position, paragraphs=paragraphs
                )
                for public_id, position, paragraphs in replaced_turns(before[2], turns)
            ]
            turn_revision_model.objects.bulk_create(rows, batch_size=500)
        before = (event_id, number, turns)


def last_place(public_id: str) -> tuple[Event, int] | None:
    """(published event, position) where a turn no longer in the archive last stood."""
    row = (
        TurnRevision.objects.filter(public_id=public_id, event__in=Event.objects.published())
        .select_related("event")
        .only("position", "event")
        .order_by("-number", "-id")
        .first()
    )
    return (row.event, row.position) if row else None


def texts_of(event: Event, public_ids) -> list[list[str]]:
    """The paragraphs the turns with these ids have now and had before, newest first (at
    most MAX_EARLIER_TEXTS earlier ones)."""
    public_ids = sorted(set(public_ids))
    now = Turn.objects.filter(event=event, public_id__in=public_ids).values_list("paragraphs", flat=True)
    earlier = (
        TurnRevision.objects.filter(event=event, public_id__in=public_ids)
        .order_by("-number", "-id")
        .values_list("paragraphs", flat=True)[:MAX_EARLIER_TEXTS]
    )
    texts = []
    for paragraphs in [*now, *earlier]:
        if paragraphs not in texts:
            texts.append(list(paragraphs))
    return texts


def version_that_said(event: Event, public_ids, text: str):
    """The newest version of the event in which one of these turns held `text` word for word
    (case and punctuation aside), or None: what a corrected quote is cited "as quoted" from."""
    wanted = words(text)
    if not wanted:
        return None
    rows = (
        TurnRevision.objects.filter(event=event, public_id__in=sorted(set(public_ids)))
        .order_by("-number", "-id")
        .values_list("number", "paragraphs")[:MAX_EARLIER_TEXTS]
    )
    joined = " ".join(wanted)
    for number, paragraphs in rows:
        if f" {joined} " in f" {' '.join(words(' '.join(paragraphs)))} ":
            return EventRevision.objects.filter(event=event, number=number).first()
    return None
