"""A saved search: the search page's query string, normalised so one search is one alert."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from django.http import QueryDict

from transcripts.models import Role, Section
from transcripts.search.api import SearchFilters, quoted

MAX_QUERY_CHARS = 500  # what the search box allows


@dataclass
class SavedSearch:
    q: str
    filters: SearchFilters
    messages: list[str] = field(default_factory=list)

    @classmethod
    def from_params(cls, params) -> SavedSearch:
        """From a QueryDict (the search page's GET, or a stored query string). Sort and page
        are dropped: an alert is about what matches, newest first."""
        filters = replace(SearchFilters.from_params(params), sort="newest")
        q = " ".join((params.get("q") or "").split())
        messages = list(filters.messages)
        if len(q) > MAX_QUERY_CHARS:
            messages.append(f"A search can be at most {MAX_QUERY_CHARS} characters long.")
            q = q[:MAX_QUERY_CHARS]
        return cls(q=q, filters=filters, messages=messages)

    @classmethod
    def from_string(cls, query_string: str) -> SavedSearch:
        return cls.from_params(QueryDict(query_string))

    @property
    def is_empty(self) -> bool:
        return not self.q and not self.filters.is_active

    def query_string(self) -> str:
        params = {"q": self.q} if self.q else {}
        params.update(self.filters.params(sort=None))
        return urlencode(params)

    def describe(self) -> str:
        """In words, for mail subjects and page titles: “cobalt” by Siddharth Kara, on Labour."""
        f, parts = self.filters, []
        if self.q:
            parts.append(quoted(self.q))
        named = f.named()
        for word, name in (("by", "speaker"), ("at", "event"), ("on", "topic")):
            if name in named:
                parts.append(f"{word} {named[name]}")
        if f.role:
            parts.append(f"({Role(f.role).label.lower()}s)")
        if f.section:
            parts.append(f"in {Section(f.section).label.lower()}")
        if f.date_from:
            parts.append(f"from {f.date_from.isoformat()}")
        if f.date_to:
            parts.append(f"to {f.date_to.isoformat()}")
        return " ".join(parts) if self.q else "Everything said " + " ".join(parts)
