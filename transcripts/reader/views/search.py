"""The search page and its JSON twin: the same parameters, the same engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache, partial
from urllib.parse import urlencode, urlsplit

from django.db import connection
from django.shortcuts import render
from django.template.defaultfilters import date as date_format
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.views.decorators.http import require_GET

from transcripts.languages import language_name
from transcripts.models import Event, Person, Role, Section
from transcripts.normalise import name_key
from transcripts.reader import serializers
from transcripts.reader.views.respond import (
    absolute,
    json_response,
    json_twin_url,
    other_page_redirect,
    unknown_format,
    wants_json,
)
from transcripts.search.api import (
    SearchFilters,
    SearchUnavailable,
    find_events,
    find_people,
    index_generation,
    is_name_query,
    parse_query,
    quoted,
    run_turn_search,
)

PER_PAGE = 20
MAX_PAGE = 500  # deeper pages cost more than anyone reads; the total stays exact


@dataclass
class SearchPage:
    """Everything both views need, computed once from the request."""

    query: str
    filters: SearchFilters
    page: int
    search: object = None  # engine.TurnSearch
    people: list = field(default_factory=list)
    events: list = field(default_factory=list)
    name_first: bool = False
    unavailable: str = ""

    @property
    def pages(self) -> int:
        total = self.search.total if self.search else 0
        return min(MAX_PAGE, max(1, -(-total // PER_PAGE)))

    def url(self, path: str, *, page: int | None = None, **changes) -> str:
        params = {"q": self.query} if self.query else {}
        params.update(self.filters.params(**changes))
        if page and page > 1:
            params["page"] = page
        return f"{path}?{urlencode(params)}" if params else path


def _page_number(value) -> int:
    try:
        return min(MAX_PAGE, max(1, int(value)))
    except (TypeError, ValueError):
        return 1


def run_search(request) -> SearchPage:
    query = " ".join((request.GET.get("q") or "").split())
    page = SearchPage(
        query=query, filters=SearchFilters.from_params(request.GET), page=_page_number(request.GET.get("page"))
    )
    parsed = parse_query(query)
    try:
        page.search = run_turn_search(
            parsed,
            page.filters,
            offset=(page.page - 1) * PER_PAGE,
            limit=PER_PAGE,
            with_facets=True,
            with_suggestion=True,
        )
        if page.search.searched and page.page > page.pages:  # past the end: show the last page
            page.page = page.pages
            page.search = run_turn_search(
                parsed,
                page.filters,
                offset=(page.page - 1) * PER_PAGE,
                limit=PER_PAGE,
                with_facets=True,
                with_suggestion=True,
            )
        if parsed.has_positive and page.page == 1 and not page.filters.is_active:
            page.people, page.events = find_people(parsed), find_events(parsed)
            page.name_first = is_name_query(parsed, page.people)
    except SearchUnavailable as exc:
        page.unavailable = str(exc)
    return page


class _Reversed:
    """A URL pattern with one slug argument, reversed once per page instead of once per hit
    (slugs need no quoting)."""

    MARKER = "slugmarker"

    def __init__(self, name: str):
        self.prefix, self.suffix = reverse(name, args=[self.MARKER]).split(self.MARKER)

    def __call__(self, slug: str) -> str:
        return f"{self.prefix}{slug}{self.suffix}"


def results_html(hits) -> SafeString:
    """The results list's items, drawn in Python as the event page draws its turns: a
    template include per hit was a third of the search page's time."""
    event_url, person_url, turn_url = _Reversed("event"), _Reversed("person"), _Reversed("turn")
    return format_html_join("", "{}\n", ((_result_html(hit, event_url, person_url, turn_url),) for hit in hits))


def _result_html(hit, event_url, person_url, turn_url) -> SafeString:
    if hit.speaker_slug:
        speaker = format_html(
            '<a class="result-speaker" href="{}">{}</a>', person_url(hit.speaker_slug), hit.speaker_name
        )
    else:  # the turn's speaker is unknown: the label, not a link to nobody
        speaker = format_html('<span class="result-speaker">{}</span>', hit.speaker_name or "Unknown speaker")
    when = ""
    if hit.event_date:
        when = format_html(
            ', <time datetime="{}">{}</time>',
            date_format(hit.event_date, "Y-m-d"),
            date_format(hit.event_date, "j M Y"),
        )
    query = urlsplit(hit.permalink).query  # the "read in context" link keeps the highlighting query
    return format_html(
        '<li class="result">\n  <p class="result-meta">\n    {}\n'
        '    <span class="badge role-{}">{}</span>\n'
        '    <span class="sep" aria-hidden="true">·</span>\n'
        '    <a href="{}">{}</a>{}{}\n  </p>\n'
        '  <p class="snippet">{}</p>\n'
        '  <p class="result-link"><a href="{}">Read in context'
        '<span class="visually-hidden">: {} at {}</span> →</a></p>\n'
        "</li>",
        speaker,
        hit.role,
        capfirst(hit.role),
        event_url(hit.event_slug),
        hit.event_title,
        when,
        SafeString(' <span class="badge">Q&amp;A</span>') if hit.section == "qa" else "",
        hit.snippet_html,
        turn_url(hit.public_id) + (f"?{query}" if query else ""),
        hit.speaker_name,
        hit.event_title,
    )


FACET_TITLES = {"speaker": "Speakers", "event": "Events", "topic": "Topics", "year": "Years"}


def _facet_links(page: SearchPage, path: str) -> list[dict]:
    """Each facet value as a link that adds its filter (or removes it, when active)."""
    links = []
    for name, values in (page.search.facets if page.search else {}).items():
        items = []
        for value in values:
            if name == "year":
                changes = {"from": f"{value.value}-01-01", "to": f"{value.value}-12-31"}
                active = (
                    page.filters.date_from
                    and page.filters.date_from.isoformat() == changes["from"]
                    and page.filters.date_to
                    and page.filters.date_to.isoformat() == changes["to"]
                )
            else:
                changes = {name: value.value}
                active = getattr(page.filters, name) == value.value
            items.append(
                {
                    "label": value.label,
                    "count": value.count,
                    "active": active,
                    "url": page.url(path, **(dict.fromkeys(changes) if active else changes)),
                }
            )
        if items:
            links.append({"name": name, "title": FACET_TITLES[name], "values": items})
    return links


def _active_filters(page: SearchPage, path: str) -> list[dict]:
    f = page.filters
    labels = f.named()
    if f.role:
        labels["role"] = Role(f.role).label
    if f.section:
        labels["section"] = Section(f.section).label
    chips = [
        {"kind": name.capitalize(), "label": labels[name], "remove": page.url(path, **{name: None})}
        for name in ("speaker", "event", "topic", "role", "section", "language")
        if name in labels
    ]
    if f.date_from:
        chips.append(
            {
                "kind": "From",
                "label": _date_field(f.date_from, year_start=True),
                "remove": page.url(path, **{"from": None}),
            }
        )
    if f.date_to:
        chips.append(
            {"kind": "To", "label": _date_field(f.date_to, year_start=False), "remove": page.url(path, **{"to": None})}
        )
    return chips


def _date_field(value, *, year_start: bool) -> str:
    """A date filter as its input shows it: the year alone when it covers the whole year
    (what the URL and the year facets use), else YYYY-MM-DD."""
    if value is None:
        return ""
    whole_year = (value.month, value.day) == ((1, 1) if year_start else (12, 31))
    return str(value.year) if whole_year else value.isoformat()


def searchable_languages(chosen: str, generation: str | None) -> list[tuple[str, str]]:
    """The languages the published events are in (and the one chosen), for the filter's
    menu: no menu at all for an archive that records none."""
    codes = published_languages(generation) | ({chosen} - {""})
    return sorted(((c, language_name(c)) for c in codes), key=lambda choice: choice[1])


# The last answer of published_languages, with the index generation it was read at.
_languages_seen: tuple[str, frozenset[str]] | None = None


def published_languages(generation: str | None) -> frozenset[str]:
    """The languages of the published events, read once per index generation (`generation`,
    engine.index_generation; None: read every time) instead of once per search page. Every
    write that publishes, withdraws or deletes an event or changes its language re-indexes
    it, which moves the generation on, so the menu changes with what a search can find;
    kept in the process, it also outlives a cleared cache, as the search's own results do."""
    global _languages_seen
    seen = _languages_seen
    if generation is not None and seen is not None and seen[0] == generation:
        return seen[1]
    sql, params = _languages_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        codes = frozenset(code for (code,) in cursor.fetchall())
    if generation is not None:
        _languages_seen = (generation, codes)
    return codes


@lru_cache(maxsize=1)
def _languages_sql() -> tuple[str, tuple]:
    """The menu's query as the ORM writes it, compiled once per process: a queryset built
    and compiled for every reading cost more than the reading (and on an engine that names
    no generation, OpenSearch, every search page reads it)."""
    languages = Event.objects.published().exclude(language="").values_list("language", flat=True)
    # order_by(): the events' default order would otherwise make DISTINCT one row per event.
    return languages.order_by().distinct().query.sql_with_params()


def hidden_filter_count(filters: SearchFilters) -> int:
    """How many of the folded filters (role, part, years, sort) are set: the fold's summary
    says so, since on a phone the fold is closed."""
    chosen = (
        filters.role,
        filters.section,
        filters.language,
        filters.date_from,
        filters.date_to,
        filters.sort != "relevance",
    )
    return sum(bool(value) for value in chosen)


def unknown_speakers(page: SearchPage) -> list[str]:
    """The speaker:NAME words of a search that no published speaker's name holds, so an
    empty result can say who is not in the archive rather than "check the spelling"."""
    unknown = []
    for term in parse_query(page.query).speakers:
        key = name_key(term.text)
        if key and not Person.objects.filter(speaking_event_count__gt=0, name_key__contains=key).exists():
            unknown.append(term.text)
    return unknown


@require_GET
def search_page(request):
    refused = unknown_format(request)
    if refused:
        return refused
    if wants_json(request):
        return search_json(request, reverse("search"))
    page = run_search(request)
    searched = page.search is not None and page.search.searched
    if not page.unavailable and (moved := other_page_redirect(request, page.page if searched else 1)):
        return moved
    path = reverse("search")
    search = page.search
    context = {
        "q": page.query,
        "page": page,
        "search": search,
        "filters": page.filters,
        "facets": _facet_links(page, path),
        "chips": _active_filters(page, path),
        "roles": Role.choices,
        "sections": Section.choices,
        "languages": searchable_languages(
            page.filters.language, search.index_generation if search and search.searched else index_generation()
        ),
        "sorts": [("relevance", "Relevance"), ("newest", "Newest first"), ("oldest", "Oldest first")],
        "suggestion_url": f"{path}?{urlencode({'q': search.suggestion, **page.filters.params()})}"
        if search and search.suggestion
        else "",
        "previous_url": page.url(path, page=page.page - 1) if page.page > 1 else "",
        "next_url": page.url(path, page=page.page + 1) if search and page.page < page.pages else "",
        "first_number": (page.page - 1) * PER_PAGE + 1,
        "results_html": results_html(search.hits) if search else "",
        "recent_events": Event.objects.published()[:8] if not (search and search.searched) else [],
        "json_url": json_twin_url(request),
        "date_from": _date_field(page.filters.date_from, year_start=True),
        "date_to": _date_field(page.filters.date_to, year_start=False),
        "title_query": quoted(page.query[:60]),
        "folded_filters": hidden_filter_count(page.filters),
        "asked_nothing": "q" in request.GET and not page.query and not page.filters.is_active,
        "unknown_speakers": unknown_speakers(page) if search and search.searched and not search.total else [],
    }
    return render(request, "search/search.html", context, status=503 if page.unavailable else 200)


def search_data(request, page: SearchPage, path: str) -> dict:
    """The search results as JSON: /api/search/ and the search page's ?format=json twin."""
    search = page.search
    urls = partial(absolute, request)
    return {
        "query": page.query,
        "filters": page.filters.params(),
        "total": search.total,
        "total_is_estimate": search.total_is_estimate,
        "page": page.page,
        "pages": page.pages,
        "per_page": PER_PAGE,
        "next": urls(page.url(path, page=page.page + 1)) if page.page < page.pages else None,
        "results": [serializers.hit_data(hit, urls) for hit in search.hits],
        "facets": {
            name: [{"value": v.value, "label": v.label, "count": v.count} for v in values]
            for name, values in search.facets.items()
        },
        "suggestion": search.suggestion,
        "messages": search.messages,
        "people": [serializers.person_summary(p, urls) for p in page.people],
        "events": [serializers.event_summary(e, urls) for e in page.events],
        "name_first": page.name_first,
    }


def search_json(request, path: str):
    page = run_search(request)
    if page.unavailable:
        return json_response({"error": page.unavailable}, status=503)
    return json_response(search_data(request, page, path))


@require_GET
def search_api(request):
    return unknown_format(request) or search_json(request, reverse("api_search"))
