"""The search functions other parts of Verbatim call (event page, topic page, search views).

Everything here goes through haystack's public API (see transcripts/search/engine.py), so
the same code runs on Whoosh, Elasticsearch or Solr.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.safestring import SafeString
from haystack.exceptions import SearchBackendError


class SearchUnavailable(Exception):
    """The index is missing, corrupt or being rebuilt. The message is safe to show readers."""


class SearchTimeLimit(SearchBackendError):
    """Raised by a search engine adapter when a query ran out of its time limit: the
    query is at fault, not the index (the search page says so and shows no results)."""


@dataclass
class TurnHit:
    turn_id: int
    public_id: str
    event_slug: str
    event_title: str
    event_date: date | None
    speaker_name: str
    speaker_slug: str
    role: str
    section: str
    snippet_html: SafeString
    score: float
    permalink: str  # "/events/<slug>/?q=<q>#t-<public_id>"


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
    from transcripts.search.engine import run_turn_search
    from transcripts.search.filters import SearchFilters

    filters = SearchFilters(event=event_slug or "", speaker=person_slug or "", topic=topic_slug or "")
    return run_turn_search(query, filters, offset=0, limit=limit).hits


def highlight_html(text: str, query: str) -> SafeString:
    """`text` escaped, with every occurrence of the query's positive terms (stem-aware) and
    phrases wrapped in <mark>."""
    from transcripts.search.highlight import highlight_all

    return highlight_all(text, query)


def query_terms(query: str) -> list[str]:
    """The positive words and phrases of a query, as typed (no excluded terms, no speaker: filters)."""
    from transcripts.search.syntax import parse_query

    return parse_query(query).positive_terms()
