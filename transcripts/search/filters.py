"""The filters beside the search box, read from (and written back to) the URL."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from haystack.inputs import Exact

from transcripts.languages import UnknownLanguage, language_code, language_name
from transcripts.models import Event, Person, Role, Section, Topic

SLUG_RE = re.compile(r"^[-\w]{1,200}$")
SORTS = {"relevance": None, "newest": "newest", "oldest": "oldest"}
# URL parameter -> attribute, in the order links are written.
PARAMS = {
    "speaker": "speaker",
    "event": "event",
    "topic": "topic",
    "role": "role",
    "section": "section",
    "language": "language",
    "from": "date_from",
    "to": "date_to",
    "sort": "sort",
}


def _parse_date(value: str, *, end: bool) -> datetime.date:
    value = value.strip()
    if re.fullmatch(r"\d{4}", value):
        date = datetime.date(int(value), 12, 31) if end else datetime.date(int(value), 1, 1)
    else:
        date = datetime.date.fromisoformat(value)
    if date.year < 1000:  # the index writes dates as 4-digit years; 0001-10-01 is a typo anyway
        raise ValueError(value)
    return date


@dataclass
class SearchFilters:
    speaker: str = ""  # person slug
    event: str = ""  # event slug
    topic: str = ""  # topic slug
    role: str = ""
    section: str = ""
    language: str = ""  # ISO 639-1 code: only turns of events in this language, stemmed in it
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    sort: str = "relevance"
    messages: list[str] = field(default_factory=list, compare=False)

    @classmethod
    def from_params(cls, params) -> SearchFilters:
        """Filters from a QueryDict; bad values are dropped with a message, never an error."""
        found = cls()
        for name, label in (("speaker", "speaker"), ("event", "event"), ("topic", "topic")):
            value = (params.get(name) or "").strip()
            if value and SLUG_RE.match(value):
                setattr(found, name, value)
            elif value:
                found.messages.append(f"The {label} filter “{value[:60]}” is not one Verbatim knows; it was ignored.")
        for name, choices in (("role", Role), ("section", Section)):
            value = (params.get(name) or "").strip()
            if value in choices.values:
                setattr(found, name, value)
            elif value:
                found.messages.append(f"There is no {name} called “{value[:60]}”; that filter was ignored.")
        value = (params.get("language") or "").strip()
        try:
            found.language = language_code(value[:60])
        except UnknownLanguage:
            found.messages.append(
                f"“{value[:60]}” is not a language code (write one such as fr or de); that filter was ignored."
            )
        for name, attr in (("from", "date_from"), ("to", "date_to")):
            value = (params.get(name) or "").strip()
            if not value:
                continue
            try:
                setattr(found, attr, _parse_date(value, end=name == "to"))
            except ValueError:
                found.messages.append(f"“{value[:40]}” is not a date (use YYYY-MM-DD or a year); it was ignored.")
        if found.date_from and found.date_to and found.date_from > found.date_to:
            found.date_from, found.date_to = found.date_to, found.date_from
            found.messages.append("The dates were the wrong way round, so they were swapped.")
        sort = (params.get("sort") or "").strip()
        if sort in SORTS:
            found.sort = sort
        elif sort:
            found.messages.append("Results can be sorted by relevance, newest or oldest; relevance was used.")
        return found

    def named(self) -> dict[str, str]:
        """The speaker, event and topic filters set, by their names as readers see them (the
        person's name, the event's title), or the slug when none public has it."""
        lookups = {
            "speaker": lambda v: Person.objects.public().filter(slug=v).values_list("name", flat=True).first(),
            "event": lambda v: Event.objects.published().filter(slug=v).values_list("title", flat=True).first(),
            "topic": lambda v: Topic.objects.public().filter(slug=v).values_list("name", flat=True).first(),
        }
        named = {
            name: lookup(getattr(self, name)) or getattr(self, name)
            for name, lookup in lookups.items()
            if getattr(self, name)
        }
        if self.language:
            named["language"] = language_name(self.language)
        return named

    @property
    def is_active(self) -> bool:
        return any(
            getattr(self, attr)
            for attr in ("speaker", "event", "topic", "role", "section", "language", "date_from", "date_to")
        )

    def apply(self, sqs):
        """Narrow a turn SearchQuerySet (haystack public API only)."""
        for name in ("event", "topic", "role", "section", "language"):
            if getattr(self, name):
                sqs = sqs.filter(**{name: Exact(getattr(self, name))})
        if self.speaker:
            sqs = sqs.filter(person=Exact(self.speaker))
        if self.date_from:
            sqs = sqs.filter(date__gte=self.date_from)
        if self.date_to:
            sqs = sqs.filter(date__lte=self.date_to)
        if SORTS.get(self.sort):
            sqs = sqs.order_by(SORTS[self.sort])
        return sqs

    def params(self, **changes) -> dict[str, str]:
        """URL parameters for these filters, with `changes` applied (None removes one)."""
        values = {}
        for param, attr in PARAMS.items():
            value = changes[param] if param in changes else getattr(self, attr)
            if isinstance(value, datetime.date):
                value = value.isoformat()
            if value and not (param == "sort" and value == "relevance"):
                values[param] = value
        return values
