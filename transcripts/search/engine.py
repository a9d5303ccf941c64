"""Running searches: haystack's public API for the index, the database for what is shown.

The index answers which turns match, how many, and the facet counts; the turns
themselves (text for snippets, names, links) are read from the database, and only
those of published events are shown.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import astuple, dataclass, field, replace
from functools import lru_cache
from urllib.parse import urlencode

from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.db.models import OuterRef
from django.urls import reverse
from haystack.exceptions import SearchBackendError
from haystack.query import SearchQuerySet
from rapidfuzz import fuzz

from transcripts import event_fields
from transcripts.models import Event, Person, Topic, Turn, is_published
from transcripts.normalise import iter_words
from transcripts.search.filters import SearchFilters
from transcripts.search.highlight import QueryMarks
from transcripts.search.models import IndexTask
from transcripts.search.queue import EVENT
from transcripts.search.results import SearchTimeLimit, SearchUnavailable, TurnHit
from transcripts.search.syntax import MAX_ALTERNATIVES, ParsedQuery, parse_query
from transcripts.search.text import fold, searching_in, term_set

log = logging.getLogger(__name__)

FACETS = {"speaker": "person", "event": "event", "topic": "topic", "year": "year"}  # facet -> index field
FACET_LIMIT = 12
# What each facet asks the index for (haystack's facet options; each engine's adapter reads
# them): the most frequent values, or for years the latest, twice as many as the page shows
# so a value the database no longer labels can be dropped and the limit still shown. The
# counts stay exact; only the list is cut: for a common word the index handed over, and this
# process sorted, every one of fifteen thousand events' counts to show twelve.
FACET_OPTIONS = {index_field: {"size": 2 * FACET_LIMIT} for index_field in FACETS.values()}
FACET_OPTIONS["year"]["by_value"] = True
TOO_SLOW = (
    "That search matches too much, in too many ways, to finish in time, so no results are shown. "
    "Use fewer OR alternatives, more words that must all match, or a filter (speaker, event, dates)."
)
# What the index answered for a search (page of ids and scores, total, facet counts,
# spelling), kept per worker under the index generation, so any index update makes every
# entry unreachable: no stale results. Pages still read the turns from the database.
RESULTS = LocMemCache("verbatim-search-results", {"TIMEOUT": 3600, "OPTIONS": {"MAX_ENTRIES": 1000}})
UNAVAILABLE = "Search is unavailable right now (the index is missing or being rebuilt). Please try again in a minute."


@dataclass
class FacetValue:
    value: str
    label: str
    count: int


@dataclass
class TurnSearch:
    parsed: ParsedQuery
    hits: list[TurnHit] = field(default_factory=list)
    total: int = 0
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    suggestion: str | None = None
    messages: list[str] = field(default_factory=list)
    searched: bool = False  # False when there was nothing to search for
    # Totals and facet counts are always counted exactly: since each segment's matches
    # are kept, counting every match is no longer what a search costs (the targets allow
    # estimates only where it is). The JSON says so.
    total_is_estimate: bool = False
    # The index generation the search read (engine.index_generation), for what a page
    # keeps beside it; None when it was not searched or the engine names none.
    index_generation: str | None = None


def _guarded(run):
    """Call the engine; an index that is missing or damaged becomes SearchUnavailable (a
    503 saying so). Any other exception is a bug: it goes up, to be logged as one."""
    try:
        return run()
    except SearchTimeLimit:
        raise  # the query's fault, not the index's: callers say so
    except SearchBackendError as exc:
        log.warning("search backend error: %s", exc)
        raise SearchUnavailable(UNAVAILABLE) from exc


def permalink(turn: Turn, query: str) -> str:
    base = reverse("event", args=[turn.event.slug])
    return f"{base}?{urlencode({'q': query})}#{turn.anchor}" if query else f"{base}#{turn.anchor}"


# What a hit shows of its turn, event and speaker: the rest of the rows (an event's source
# text, alignment and dates, a turn's paragraphs) is neither read nor decoded.
HIT_FIELDS = (
    "public_id",
    "text",
    "section",
    "label",
    "event__slug",
    "event__title",
    "event__date",
    "event__status",
    "appearance__role",
    "appearance__name",
    "appearance__person__slug",
    "appearance__person__name",
)


def _hits(page: list[tuple[int, float]], parsed: ParsedQuery, language: str) -> list[TurnHit]:
    """The page's turns as hits, their snippets marking what the index matched: the words
    typed stemmed in the search's `language`, once for the whole page."""
    scores = dict(page)
    marks = QueryMarks(parsed, language)
    # By primary key alone, publication checked here: with the event's status in the
    # query, SQLite walked every published event looking for the 20 turns (16 ms at
    # 100,000 turns, against 1 ms). The event's whole transcript is not shown.
    turns = (
        Turn.objects.filter(pk__in=scores).order_by().select_related("event", "appearance__person").only(*HIT_FIELDS)
    )
    by_pk = {turn.pk: turn for turn in turns if turn.event.status == Event.Status.PUBLISHED}
    hits = []
    for pk, score in scores.items():
        turn = by_pk.get(pk)
        if turn is None:  # deleted or unpublished since it was indexed; the queue will catch up
            continue
        person = turn.appearance.person if turn.appearance_id else None
        hits.append(
            TurnHit(
                turn_id=turn.pk,
                public_id=turn.public_id,
                event_slug=turn.event.slug,
                event_title=turn.event.title,
                event_date=turn.event.date,
                speaker_name=turn.appearance.speaker_name if turn.appearance_id else turn.label,
                speaker_slug=person.slug if person else "",
                role=turn.appearance.role if turn.appearance_id else "other",
                section=turn.section,
                snippet_html=marks.snippet(turn.text),
                score=float(score or 0),
                permalink=permalink(turn, parsed.raw),
            )
        )
    return hits


def _facet_labels(name: str, values: list[str]) -> dict[str, str]:
    # By slug alone and unordered: with the status in the query, or the events' default
    # order, SQLite walked every published event (by the status index) looking for the
    # twelve slugs, as _hits explains for turns; publication is checked here instead.
    if name == "speaker":
        return dict(Person.objects.filter(slug__in=values).order_by().values_list("slug", "name"))
    if name == "event":
        rows = Event.objects.filter(slug__in=values).order_by().values_list("slug", "title", "status")
        return {slug: title for slug, title, status in rows if status == Event.Status.PUBLISHED}
    if name == "topic":
        return dict(Topic.objects.filter(slug__in=values).order_by().values_list("slug", "name"))
    return {v: v for v in values}


def _facets(counts: dict) -> dict[str, list[FacetValue]]:
    fields_ = counts.get("fields", {}) if counts else {}
    facets = {}
    for name, index_field in FACETS.items():
        pairs = [(str(v), c) for v, c in fields_.get(index_field, []) if v and c]
        if name == "year":
            pairs.sort(key=lambda pair: pair[0], reverse=True)
        pairs = pairs[:FACET_LIMIT]
        labels = _facet_labels(name, [v for v, _ in pairs])
        # A label missing from the database (a draft, a deleted person) is not shown.
        facets[name] = [FacetValue(v, labels[v], c) for v, c in pairs if v in labels]
    return facets


# How many turns holding a corrected word are read to find how the archive writes it.
WRITTEN_FORM_TURNS = 5


def as_written(typed: list[str], corrected: str, language: str = "") -> str:
    """The engine's spelling correction with every word it changed written as the archive
    writes it: an engine may correct among its index terms, which are stems ("surplu",
    "diplomaci"), and a reader must be offered a word. A changed word is looked up in a few
    turns that hold it; of the words there with its stem, the one closest to what was typed
    is offered. A correction no published turn holds is dropped (None: no suggestion).
    Stems are `language`'s, the search's."""
    fixed = corrected.split()
    if len(fixed) != len(typed):
        return corrected
    out = []
    for word, correction in zip(typed, fixed):
        if fold(word) == fold(correction):
            out.append(correction)
            continue
        written = _written_form(word, correction, language)
        if not written:
            return None
        out.append(written)
    return " ".join(out)


def _written_form(typed: str, correction: str, language: str) -> str:
    wanted = term_set(correction, language)
    if not wanted:
        return correction
    sqs = SearchQuerySet().models(Turn).filter(content=correction)
    with searching_in(language):  # the index is asked for the correction in the search's stems
        pks = [int(r.pk) for r in sqs[:WRITTEN_FORM_TURNS]]
    texts = Turn.objects.filter(pk__in=pks, event__status=Event.Status.PUBLISHED).values_list("text", flat=True)
    forms: dict[str, list[str]] = {}
    stems: dict[str, set[str]] = {}  # each word's stems: speech repeats its words
    for text in texts:
        for folded, start, end in iter_words(text):
            if folded not in stems:
                stems[folded] = term_set(folded, language)
            if stems[folded] == wanted:
                forms.setdefault(folded, []).append(text[start:end])
    if not forms:
        return ""
    folded = max(forms, key=lambda f: (fuzz.ratio(f, fold(typed)), len(forms[f])))
    spellings = forms[folded]
    # A word written in lower case anywhere is offered in lower case; a name keeps its capitals.
    return folded if any(s.islower() for s in spellings) else max(set(spellings), key=spellings.count)


def _suggestion(parsed: ParsedQuery, corrected: str | None) -> str | None:
    if not corrected:
        return None
    words, fixed = parsed.positive_word_list(), corrected.split()
    if len(words) != len(fixed):
        return corrected
    replacements = {fold(w): f for w, f in zip(words, fixed) if fold(w) != fold(f)}
    suggestion = parsed.with_words_replaced(replacements)
    return suggestion if suggestion != parsed.raw else None


def events_not_yet_hidden() -> list[int]:
    """Events the index may still show although they are no longer published (unpublished
    or deleted since it was written): their event-level task is still queued, waiting
    for the consumer. One query on the queue, which is short when the consumer keeps up."""
    sql, params = _not_yet_hidden_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return sorted({object_id for (object_id,) in cursor.fetchall()})


@lru_cache(maxsize=1)
def _not_yet_hidden_sql() -> tuple[str, tuple]:
    """The query as the ORM writes it, compiled once per process: every search asks it,
    and building and compiling the queryset cost more than running it."""
    queued = IndexTask.objects.filter(model=EVENT).exclude(is_published(OuterRef("object_id")))
    return queued.order_by().values_list("object_id", flat=True).query.sql_with_params()


def turn_queryset(parsed: ParsedQuery, filters: SearchFilters):
    sqs = SearchQuerySet().models(Turn)
    condition = parsed.to_sq()
    if condition is not None:
        sqs = sqs.filter(condition)
    hidden = events_not_yet_hidden()
    if hidden:  # left out of the hits, the total and the facet counts alike
        sqs = sqs.exclude(event_id__in=hidden)
    return filters.apply(sqs)


def index_generation(sqs=None) -> str | None:
    """The name of the index as it is now (see the Whoosh backend's `generation`): anything
    kept under it is stale once it changes. None when the backend does not name its
    generations (OpenSearch, haystack's Elasticsearch and Solr) or the index cannot be
    opened (the search says so)."""
    backend = (sqs if sqs is not None else SearchQuerySet()).query.backend
    generation = getattr(backend, "generation", None)
    if generation is None:
        return None
    try:
        return generation()
    except SearchBackendError:
        return None


def _cache_key(sqs, generation: str | None, request: tuple) -> str | None:
    """The results cache's key: the index generation and everything the index is asked
    (the models searched; the query, filters and hidden events are all in the query
    haystack builds). None, meaning "do not cache", without a generation."""
    if generation is None:
        return None
    built = sqs.query.build_query()  # the models searched are not in it: added beside
    models = sorted(model._meta.label_lower for model in sqs.query.models)
    asked = (generation, built, models, sorted(map(str, sqs.query.narrow_queries)), sqs.query.order_by, request)
    return hashlib.sha256(repr(asked).encode()).hexdigest()


def search_language(filters: SearchFilters) -> str:
    """The language whose stemmer a search stems the words typed with: the language
    filter's, else that of the one event searched within, else none (English)."""
    if filters.language or not filters.event:
        return filters.language
    return Event.objects.filter(slug=filters.event).values_list("language", flat=True).first() or ""


def run_turn_search(
    query: str | ParsedQuery,
    filters: SearchFilters | None = None,
    *,
    offset: int = 0,
    limit: int = 10,
    with_facets: bool = False,
    with_suggestion: bool = False,
) -> TurnSearch:
    parsed = parse_query(query) if isinstance(query, str) else query
    filters = filters or SearchFilters()
    result = TurnSearch(parsed=parsed, messages=list(parsed.messages) + list(filters.messages))
    if not (parsed.has_positive or parsed.speakers or filters.is_active):
        if parsed.excluded:
            result.messages.append("Add a word to search for, not only words to leave out.")
        return result
    if not parsed.has_positive and filters.sort == "relevance":
        filters = replace(filters, sort="newest")  # nothing to rank by: newest first
    sqs = turn_queryset(parsed, filters)
    if with_facets:
        for index_field in FACETS.values():
            sqs = sqs.facet(index_field, **FACET_OPTIONS[index_field])
    if with_suggestion and parsed.has_positive:
        sqs = sqs.set_spelling_query(" ".join(parsed.positive_word_list()))

    def run():
        page = [(int(r.pk), r.score) for r in sqs[offset : offset + limit]] if limit > 0 else []
        corrected = sqs.spelling_suggestion() if with_suggestion and parsed.has_positive else None
        return (
            page,
            sqs.count(),
            sqs.facet_counts() if with_facets else {},
            as_written(parsed.positive_word_list(), corrected, language) if corrected else None,
        )

    language = search_language(filters)
    result.index_generation = generation = index_generation(sqs)
    key = _cache_key(
        sqs, generation, (parsed.raw, astuple(filters), language, offset, limit, with_facets, with_suggestion)
    )
    try:
        answer = RESULTS.get(key) if key else None
        if answer is None:
            with searching_in(language):  # the words typed are stemmed as the turns searched were
                answer = _guarded(run)
            if key:
                RESULTS.set(key, answer)
        page, result.total, counts, corrected = answer
    except SearchTimeLimit as exc:
        log.warning("search stopped at its time limit: %r (%s)", parsed.raw[:200], exc)
        result.searched = True
        result.messages.append(TOO_SLOW)
        return result
    result.searched = True
    result.hits = _hits(page, parsed, language)
    result.facets = _facets(counts) if with_facets else {}
    result.suggestion = _suggestion(parsed, corrected)
    return result


def turns_holding_most(words: list[str], *, speaker: str = "", limit: int) -> list[int]:
    """Ids of the turns holding the most of `words`, the rarest weighing most, best first:
    the quote checker's candidates, from one read of a few postings where the engine
    offers it (Whoosh, see word_overlap.py); elsewhere an OR of the words, scored by the
    engine. Within one person's turns when `speaker` (a slug) is given."""
    if not words:
        return []
    backend = SearchQuerySet().query.backend
    finder = getattr(backend, "turns_holding_most", None)
    if finder is None:
        query = " OR ".join(words[:MAX_ALTERNATIVES])
        return [hit.turn_id for hit in run_turn_search(query, SearchFilters(speaker=speaker), limit=limit).hits]
    return [turn_id for turn_id, _score in _guarded(lambda: finder(words, limit, person=speaker))]


# What the people and events boxes show (and their JSON, serializers.person_summary and
# event_summary): not an event's transcript, nor a person's biography.
BOX_FIELDS = {
    Person: ("slug", "name"),
    Event: ("slug", *(declared.name for declared in event_fields.FIELDS if declared.json == event_fields.SUMMARY)),
}


def _matching(model, parsed: ParsedQuery, limit: int):
    """People or events whose document matches the query's words, best first."""
    content_only = ParsedQuery(groups=parsed.groups, excluded=parsed.excluded)
    condition = content_only.to_sq()
    if condition is None:
        return []
    sqs = SearchQuerySet().models(model).filter(condition)
    key = _cache_key(sqs, index_generation(sqs), ("matching", limit))  # kept as the turn search's answers are
    try:
        pks = RESULTS.get(key) if key else None
        if pks is None:
            pks = [int(r.pk) for r in _guarded(lambda: list(sqs[:limit]))]
            if key:
                RESULTS.set(key, pks)
    except SearchTimeLimit:  # the turn search says so; names and titles above it are left out
        return []
    queryset = model.objects.filter(pk__in=pks).only(*BOX_FIELDS[model])
    if model is Event:
        queryset = queryset.filter(status=Event.Status.PUBLISHED)
    by_pk = queryset.in_bulk()
    return [by_pk[pk] for pk in pks if pk in by_pk]


def find_people(parsed: ParsedQuery, limit: int = 5) -> list[Person]:
    return _matching(Person, parsed, limit)


def find_events(parsed: ParsedQuery, limit: int = 5) -> list[Event]:
    return _matching(Event, parsed, limit)


def is_name_query(parsed: ParsedQuery, people: list[Person]) -> bool:
    """True when every word searched for is in one matching person's name."""
    wanted = set().union(*(term_set(t) for t in parsed.positive_terms())) if parsed.has_positive else set()
    return bool(wanted) and any(wanted <= term_set(person.name) for person in people)
