"""Which turns are new for an alert, through the project's search engine (haystack's
public API via transcripts.search.engine) so an alert matches exactly what the search
page shows for the same query string."""

from __future__ import annotations

import datetime
from datetime import timedelta

from django.db.models import Max

from transcripts.alerts.models import Delivery, TurnSighting
from transcripts.alerts.queries import SavedSearch
from transcripts.models import Event, Turn
from transcripts.search.api import events_awaiting_index, parse_query, run_turn_search, turn_queryset

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
    pending, oldest_pending = events_awaiting_index()
    last_seen = TurnSighting.objects.aggregate(t=Max("first_seen"))["t"]
    events = Event.objects.published().exclude(pk__in=pending)
    if last_seen is not None:
        since = min(filter(None, (last_seen, oldest_pending))) - SWEEP_SLACK
        events = events.filter(updated__gte=since)
    public_ids = sorted(Turn.objects.filter(event__in=events.values("pk")).values_list("public_id", flat=True))
    new = []
    for start in range(0, len(public_ids), CHUNK):
        chunk = public_ids[start : start + CHUNK]
        known = set(TurnSighting.objects.filter(public_id__in=chunk).values_list("public_id", flat=True))
        new += [TurnSighting(public_id=pid, first_seen=now) for pid in chunk if pid not in known]
    TurnSighting.objects.bulk_create(new, batch_size=CHUNK, ignore_conflicts=True)
    return len(new)


class NewTurns:
    """The turns first seen in a window, read once per run for all the alerts that share it
    (alerts checked by the same earlier run share its start time)."""

    def __init__(self, until: datetime.datetime):
        self.until = until
        self._by_since: dict[datetime.datetime, dict[int, Turn]] = {}
        self._matched: dict[tuple[str, datetime.datetime], list[int]] = {}

    def since(self, since: datetime.datetime) -> dict[int, Turn]:
        if since not in self._by_since:
            turns = Turn.objects.filter(public_id__in=self._seen(since), event__status=Event.Status.PUBLISHED)
            turns = turns.select_related("event", "appearance__person").defer("event__source_text")
            self._by_since[since] = {turn.pk: turn for turn in turns}
        return self._by_since[since]

    def _seen(self, since):
        return TurnSighting.objects.filter(first_seen__gt=since, first_seen__lte=self.until).values("public_id")

    def matching(self, email: str, saved: SavedSearch, since: datetime.datetime) -> tuple[list[Turn], int]:
        """Turns new since `since` that match `saved` and were never mailed to `email`, newest
        first (at most MAX_TURNS_PER_MAIL), and how many matched in all. Raises haystack's
        SearchBackendError when the index cannot answer."""
        key = (saved.query_string(), since)
        if key not in self._matched:  # one engine call per search and window, however many follow it
            self._matched[key] = self._search(saved, self.since(since))
        new = self.since(since)
        order = self._matched[key]
        mailed = (
            set(
                Delivery.objects.filter(email=email, public_id__in=[new[pk].public_id for pk in order]).values_list(
                    "public_id", flat=True
                )
            )
            if order
            else set()
        )
        matched = [new[pk] for pk in order if new[pk].public_id not in mailed]
        return matched[:MAX_TURNS_PER_MAIL], len(matched)

    @staticmethod
    def _search(saved: SavedSearch, new: dict[int, Turn]) -> list[int]:
        """The pks among `new` that the engine finds for `saved`, newest first."""
        parsed = parse_query(saved.q)
        if not new or saved.is_empty or not (parsed.has_positive or parsed.speakers or saved.filters.is_active):
            return []  # nothing to match, or only words to leave out (the search page refuses it too)
        event_ids = sorted({turn.event_id for turn in new.values()})
        # Every turn of these events may match: fetch that many in one engine call.
        most = Turn.objects.filter(event_id__in=event_ids).count()
        results = turn_queryset(parsed, saved.filters).filter(event_id__in=event_ids)[:most]
        return [int(r.pk) for r in results if int(r.pk) in new]
