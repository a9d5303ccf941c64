"""What a search hands back: a turn hit, and the errors readers may be shown. Its own module
so the engine and the Whoosh adapter can build them without importing the API that fronts
them (api -> engine -> results, never back)."""

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
