"""The one search API the rest of Verbatim calls (reader views, alerts, the event, person and
topic pages). Nothing outside transcripts.search imports its other modules
(tests/project/test_app_layout.py checks).

Everything behind it goes through haystack's public API (see transcripts/search/engine.py),
so the same code runs on Whoosh, Elasticsearch or Solr.
"""

from __future__ import annotations

from django.utils.safestring import SafeString

from transcripts.search.engine import (
    FacetValue,
    TurnSearch,
    find_events,
    find_people,
    index_generation,
    is_name_query,
    permalink,
    run_turn_search,
    turn_queryset,
    turns_holding_most,
)
from transcripts.search.filters import SearchFilters
from transcripts.search.highlight import highlight_all, snippet
from transcripts.search.queue import events_awaiting_index, index_caught_up
from transcripts.search.results import SearchTimeLimit, SearchUnavailable, TurnHit
from transcripts.search.syntax import ParsedQuery, parse_query, quoted

__all__ = [
    "FacetValue",
    "ParsedQuery",
    "SearchFilters",
    "SearchTimeLimit",
    "SearchUnavailable",
    "TurnHit",
    "TurnSearch",
    "events_awaiting_index",
    "find_events",
    "find_people",
    "find_turns",
    "highlight_html",
    "index_caught_up",
    "index_generation",
    "is_name_query",
    "parse_query",
    "permalink",
    "query_terms",
    "quoted",
    "run_turn_search",
    "snippet",
    "turn_queryset",
    "turns_holding_most",
]


def find_turns(
    query: str,
    *,
    event_slug: str | None = None,
    person_slug: str | None = None,
    topic_slug: str | None = None,
    limit: int = 10,
) -> list[TurnHit]:
    """The best-matching published turns for a reader's query, optionally within one event,
    person or topic. An empty or unusable query gives []; a broken index raises SearchUnavailable."""
    filters = SearchFilters(event=event_slug or "", speaker=person_slug or "", topic=topic_slug or "")
    return run_turn_search(query, filters, offset=0, limit=limit).hits


def highlight_html(text: str, query: str) -> SafeString:
    """`text` escaped, with every occurrence of the query's positive terms (stem-aware) and
    phrases wrapped in <mark>."""
    return highlight_all(text, query)


def query_terms(query: str) -> list[str]:
    """The positive words and phrases of a query, as typed (no excluded terms, no speaker: filters)."""
    return parse_query(query).positive_terms()
