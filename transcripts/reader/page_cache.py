"""Cached expensive parts of the reader pages (home's latest events, frequent speakers and
topics, a person's co-speakers and appearance list, a topic's related topics and
passages), keyed by what changes them. The counts those pages show are not cached here:
they are counters the domain keeps on the rows (transcripts/counts.py), so an uncached
page is cheap too; the benchmark's cold figures are for pages drawn with this cache empty.

Where: Django's default cache (a file cache under var/, see archive/settings.py), not a
per-process LocMem one: every gunicorn worker shares it, so after a change the expensive
part is computed once on the machine, not once per worker, and a reading costs well under
a millisecond. Clearing the cache (as the benchmark's cold runs do) only costs a recompute.

The key's version has two halves, both needed:
- the database's word on published events: their count and highest id, both read from
  the (status, date) index (one small query per request; their newest `updated` would
  read every event row, source text and all: 50-90 ms at 1,500 events). It moves on
  every new, published, withdrawn or deleted event, even from writers that send no
  signals (bulk corpora);
- a token every write renews (transcripts.operations.effects.renew_page_cache, called by
  each operation), on commit. A turn edited on its own does not touch its event's
  `updated`. Until the commit, the changing thread adds its count of changes to the key.
"""

from __future__ import annotations

import uuid

from django.core.cache import cache
from django.db.models import Count, Max

from transcripts.operations.effects import PAGE_TOKEN_KEY, uncommitted_changes

# Passages come from the search index, which the queue consumer updates after the
# database; this bounds how long a result computed from an index that was behind (bulk
# writes, which queue nothing, then rebuild_index) can be served.
PASSAGES_SECONDS = 600
PARTS_SECONDS = 24 * 3600


def _token() -> str:
    token = cache.get(PAGE_TOKEN_KEY)
    if token is None:
        token = uuid.uuid4().hex
        cache.add(PAGE_TOKEN_KEY, token, None)
        token = cache.get(PAGE_TOKEN_KEY, token)
    return token


def archive_version() -> str:
    """What every cached part's key starts with (one query)."""
    from transcripts.models import Event

    row = Event.objects.published().aggregate(n=Count("id"), last=Max("id"))
    return f"{row['n']}:{row['last']}:{_token()}:{uncommitted_changes()}"


def peek(name: str, version: str):
    """What `cached` keeps for (name, version), or None, computing nothing."""
    return cache.get(f"pages:{name}:{version}")


def cached(name: str, version: str, compute, seconds: int = PARTS_SECONDS, keep=lambda value: True):
    """`compute()` once per (name, version), unless `keep(value)` says not to keep it;
    `name` says which part and for whom."""
    key = f"pages:{name}:{version}"
    value = cache.get(key)
    if value is None:
        value = compute()
        if keep(value):
            cache.set(key, value, seconds)
    return value
