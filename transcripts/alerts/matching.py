"""Which turns are new for an alert, through the project's search engine (haystack's
public API via transcripts.search.engine) so an alert matches exactly what the search
page shows for the same query string."""
from __future__ import annotations

import datetime
from datetime import timedelta

from django.db.models import Max, Min

from transcripts.alerts.models import Delivery, TurnSighting
from transcripts.alerts.queries import SavedSearch
from transcripts.models import Event, IndexTask, Turn
from transcripts.search.engine import run_turn_search, turn_queryset
from transcripts.search.queue import EVENT
from transcripts.search.syntax import parse_query

FEED_LENGTH = 30
CHUNK = 500  # ids per query (SQLite limits the parameters of one statement)
MAX_TURNS_PER_MAIL = 200  # more than anyone reads in one mail; the rest follow in the next
# An import's transaction stamps its event's `updated` before it commits; looking this far
# back lets a sweep catch an event whose transaction was still open during the previous one.
SWEEP_SLACK = timedelta(minutes=15)


def feed_hits(saved: SavedSearch, limit: int = FEED_LENGTH):
    """The newest published turns matching the saved search (engine.TurnHit). Raises
    SearchUnavailable when the index cannot answer."""
    if saved.is_empty:
        return []
    return run_turn_search(saved.q, saved.filters, offset=0, limit=limit).hits


def sweep(now: datetime.datetime) -> int:
    """Record, as first seen `now`, every published turn not seen before, in events that
    changed recently and whose index work is done (a turn must be searchable before it
    counts as seen, or an alert would look for it too early and pass it by)."""
    pending = set(IndexTask.objects.filter(model=EVENT).values_list("object_id", flat=True))
    oldest_pending = IndexTask.objects.aggregate(t=Min("created"))["t"]
    last_seen = TurnSighting.objects.aggregate(t=Max("first_seen"))["t"]
    events = Event.objects.published().exclude(pk__in=pending)
    if last_seen is not None:
        since = min(filter(None, (last_seen, oldest_pending))) - SWEEP_SLACK
        events = events.filter(updated__gte=since)
    public_ids = sorted(Turn.objects.filter(event__in=events.values("pk")).values_list("public_id", flat=True))
    new = []
    for start in range(0, len(public_ids), CHUNK):
        chunk = public_ids[start:start + CHUNK]
        known = set(TurnSighting.objects.filter(public_id__in=chunk).values_list("public_id", flat=True))
        new += [TurnSighting(public_id=pid, first_seen=now) for pid in chunk if pid not in known]
    TurnSighting.objects.bulk_create(new, batch_size=CHUNK, ignore_conflicts=True)
    return len(new)


def new_matches(email: str, saved: SavedSearch, since: datetime.datetime,
                until: datetime.datetime) -> tuple[list[Turn], int]:
    """Published turns first seen in (since, until] that match `saved` and were never
    mailed to `email`, newest first (at most MAX_TURNS_PER_MAIL), and how many matched in all.
    Raises haystack's SearchBackendError when the index cannot answer."""
    if saved.is_empty:
        return [], 0
    seen = TurnSighting.objects.filter(first_seen__gt=since, first_seen__lte=until).values("public_id")
    mailed = Delivery.objects.filter(email=email).values("public_id")
    candidates = {
        turn.pk: turn for turn in Turn.objects.filter(public_id__in=seen, event__status=Event.Status.PUBLISHED)
        .exclude(public_id__in=mailed).select_related("event", "appearance__person").defer("event__source_text")
    }
    if not candidates:
        return [], 0
    event_ids = sorted({turn.event_id for turn in candidates.values()})
    parsed = parse_query(saved.q)
    if not (parsed.has_positive or parsed.speakers or saved.filters.is_active):
        return [], 0  # only words to leave out: the search page refuses it too
    sqs = turn_queryset(parsed, saved.filters).filter(event_id__in=event_ids)
    total = sqs.count()
    matched = [candidates[int(r.pk)] for r in sqs[:total] if int(r.pk) in candidates]
    return matched[:MAX_TURNS_PER_MAIL], len(matched)
