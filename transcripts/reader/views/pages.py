"""Reader pages: home, events, people, topics. Views fetch and hand over; rendering
lives in templates, derived page structures in transcripts.reader.reading, JSON twins in
transcripts.reader.serializers."""

from __future__ import annotations

import re

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from transcripts import event_fields
from transcripts.models import (
    Appearance,
    Event,
    Person,
    PersonRedirect,
    Role,
    Topic,
    Turn,
)
from transcripts.reader import keyness, page_cache, serializers
from transcripts.reader.structured_data import person_page_ld, website_ld
from transcripts.reader.turn_html import appearance_list_html
from transcripts.reader.views import talk
from transcripts.reader.views.event_page import fetch_rows, render_event_page
from transcripts.reader.views.fragments import event_items_html, passages_html, spoken_turns_html
from transcripts.reader.views.respond import absolute, canonical, other_page_redirect, page_number, respond
from transcripts.search.api import SearchUnavailable, find_turns, index_caught_up

EVENTS_PER_PAGE = 20
TURNS_PER_PAGE = 20


def _urls(request):
    return lambda path: absolute(request, path)


# The roles that make someone one of an event's speakers rather than its audience.
PLATFORM_ROLES = (Role.HOST, Role.PRESIDER, Role.PANELIST, Role.SPEAKER)


def frequent_speakers(limit: int) -> list[Person]:
    """The people who spoke from the platform (host, presider, panelist, speaker) at some
    published event first, so an audience member with two questions never outranks a
    panelist; then the most published events, most turns, A–Z. Never the call operator's
    reading out names. Events and turns are the counters transcripts.counts keeps: grouping
    every appearance and turn of the archive took most of an uncached home page at 100,000
    turns, and grew with it. The home page caches the answer until the archive changes."""
    on_platform = Appearance.objects.filter(
        person=OuterRef("pk"), role__in=PLATFORM_ROLES, event__status=Event.Status.PUBLISHED
    )
    people = list(
        Person.objects.filter(speaking_event_count__gt=0)
        .annotate(on_platform=Exists(on_platform))
        .order_by("-on_platform", "-speaking_event_count", "-speaking_turn_count", "sort_name")[:limit]
    )
    for person in people:
        person.event_count, person.turn_count = person.speaking_event_count, person.speaking_turn_count
    return people


def _home_parts() -> dict:
    latest = list(Event.objects.published().defer("source_text").prefetch_related("topics")[:6])
    topics = list(Topic.objects.filter(published_event_count__gt=0).order_by("-published_event_count", "name")[:16])
    for topic in topics:
        topic.event_count = topic.published_event_count
    return {
        "latest": latest,
        "latest_html": event_items_html(latest, with_topics=True),
        "topics": topics,
        "speakers": frequent_speakers(8),
    }


def home(request):
    # Everything on the home page changes only when the archive does (a cached part).
    parts = page_cache.cached("home", page_cache.archive_version(), _home_parts)
    latest, topics, speakers = parts["latest"], parts["topics"], parts["speakers"]
    context = {
        **parts,
        "canonical": canonical(request),
        "json_ld": website_ld(absolute(request, "/"), absolute(request, reverse("search"))),
    }

    def data():
        urls = _urls(request)
        return {
            "latest_events": [serializers.event_summary(e, urls) for e in latest],
            "topics": [{**serializers.topic_summary(t, urls), "events": t.event_count} for t in topics],
            "frequent_speakers": [
                {**serializers.person_summary(p, urls), "events": p.event_count, "turns": p.turn_count}
                for p in speakers
            ],
        }

    return respond(request, "transcripts/home.html", context, data)


def event_list(request):
    events = Event.objects.published().defer("source_text").prefetch_related("topics")
    notes = []
    year = request.GET.get("year", "").strip()
    if year:
        # Year 0000 is no date (a 500 before), and "²" or "١" pass isdigit() but not int().
        if year.isascii() and year.isdigit() and len(year) == 4 and int(year) >= 1:
            events = events.filter(date__year=int(year))
        else:
            notes.append(f"“{year}” is not a year, so all years are shown.")
            year = ""
    topic = None
    topic_slug = request.GET.get("topic", "").strip()
    if topic_slug:
        topic = Topic.objects.public().filter(slug=topic_slug).first()
        if topic:
            events = events.filter(topics=topic)
        else:
            notes.append(f"There is no topic “{topic_slug}”, so all topics are shown.")
    page = Paginator(events, EVENTS_PER_PAGE).get_page(page_number(request))
    if moved := other_page_redirect(request, page.number):
        return moved
    years = [d.year for d in Event.objects.published().dates("date", "year", order="DESC")]
    all_topics = list(Topic.objects.public().order_by("name"))
    context = {
        "page": page,
        "events_html": event_items_html(page, with_topics=True, level=2),
        "year": year,
        "topic": topic,
        "years": years,
        "all_topics": all_topics,
        "notes": notes,
        "canonical": canonical(request, year=year, topic=topic.slug if topic else "", page=page.number),
    }

    def data():
        urls = _urls(request)
        return {
            "events": [
                {**serializers.event_summary(e, urls), "topics": [t.slug for t in e.topics.all()]} for e in page
            ],
            "page": serializers.page_info(page),
            "filters": {"year": year or None, "topic": topic.slug if topic else None},
            "notes": notes,
        }

    return respond(request, "transcripts/event_list.html", context, data)


def event_detail(request, slug):
    event = get_object_or_404(Event.objects.published().prefetch_related("topics"), slug=slug)
    appearances, turns = fetch_rows(event)
    query = request.GET.get("q", "").strip()[:200]
    return render_event_page(request, event, appearances=appearances, turns=turns, query=query)


def _person_or_redirect(slug):
    person = Person.objects.filter(slug=slug).first()
    if person:
        return person, None
    moved = PersonRedirect.objects.select_related("person").filter(old_slug=slug).first()
    if moved:
        return None, moved.person
    raise Http404("No such person in the archive.")


def _most_shared(links, key: str, model, order: str, limit: int) -> list:
    """`links` (appearances or event-topic links: one row per event and `key`) counted
    per `key`, most shared events first, then by `order`; each as a `model` with `.shared`,
    holding only the name and slug a list of links shows, read in the same query (no second
    query for the rows themselves)."""
    rows = (
        links.values(key, f"{key}__name", f"{key}__slug")
        .annotate(shared=Count("event_id"))  # one link per event and key: no DISTINCT needed
        .order_by("-shared", order)[:limit]
    )
    found = []
    for row in rows:
        item = model(pk=row[key], name=row[f"{key}__name"], slug=row[f"{key}__slug"])
        item.shared = row["shared"]
        found.append(item)
    return found


def _co_speakers(person, event_ids, limit=12) -> list[Person]:
    """The people who spoke at most of the same events as `person` (`event_ids`: ids or a
    query of them), not as the call operator. Counted on appearances alone: grouping
    people joined to appearances took a quarter of a second for a frequent speaker. The
    operator is left out by the role of the appearance at these events: a list of everyone
    who was ever an operator read every appearance of the archive."""
    links = (
        Appearance.objects.filter(event_id__in=event_ids, person__isnull=False)  # not the event-only speakers
        .exclude(person_id=person.pk)
        .exclude(role=Role.OPERATOR)
    )
    return _most_shared(links, "person", Person, "person__sort_name", limit)


# The event columns a list of events shows (serializers.event_summary, the list items).
EVENT_SUMMARY = ("slug", *event_fields.names(json=event_fields.SUMMARY))  # the columns event_summary reads


class _SpokenTurns:
    """A person's turns, newest event first and in order within each, for the paginator.

    Found through their appearances (newest first, one per event) and each appearance's
    turn count (kept by transcripts.counts): a page reads only the turns of the few
    appearances it spans. Counting, summing and sorting every one of the person's turns
    (three passes over 1,000 rows with their text) was most of the page's database time."""

    def __init__(self, appearances: list[Appearance]):
        self.appearances = appearances
        self.count = sum(a.turn_count for a in appearances)

    def __getitem__(self, where: slice) -> list[Turn]:
        start, stop = where.start or 0, where.stop
        spanned, skipped, seen = [], 0, 0
        for appearance in self.appearances:
            if seen + appearance.turn_count > start:
                skipped = skipped if spanned else start - seen  # the page starts inside the first one
                spanned.append(appearance)
            seen += appearance.turn_count
            if seen >= stop:
                break
        by_appearance = {a.pk: a for a in spanned}
        turns = (
            Turn.objects.filter(appearance__in=spanned)
            .only("public_id", "position", "paragraphs", "word_count", "event_id", "appearance_id")
            .order_by("position")
        )
        grouped: dict[int, list[Turn]] = {pk: [] for pk in by_appearance}
        for turn in turns:
            turn.appearance = by_appearance[turn.appearance_id]
            turn.event = turn.appearance.event
            grouped[turn.appearance_id].append(turn)
        ordered = [turn for pk in by_appearance for turn in grouped[pk]]
        return ordered[skipped : skipped + stop - start]


def person_detail(request, slug):
    person, moved_to = _person_or_redirect(slug)
    if moved_to:
        target = moved_to.get_absolute_url()
        return redirect(f"{target}?{request.GET.urlencode()}" if request.GET else target, permanent=True)
    # Only the columns the page and its JSON show: building whole Event rows (a dozen
    # columns, dates converted) was the largest single part of the page for a frequent speaker.
    published_appearances = Appearance.objects.filter(person=person, event__in=Event.objects.published())
    appearances = list(
        published_appearances.select_related("event")
        .only(
            "event_id",
            "person_id",
            "role",
            "title",
            "affiliation",
            "turn_count",
            "word_count",
            *(f"event__{f}" for f in EVENT_SUMMARY),
        )
        .order_by("-event__date", "-event_id")
    )
    if not appearances:
        raise Http404("No published event features this person.")

    def parts():
        return {
            "co_speakers": _co_speakers(person, published_appearances.values("event_id")),
            "appearances_html": appearance_list_html(appearances),
        }

    version = page_cache.archive_version()
    cached = page_cache.cached(f"person:{person.pk}", version, parts)
    turns = _SpokenTurns(appearances)
    paginator = Paginator(turns, TURNS_PER_PAGE)
    paginator.count = turns.count  # already added up: no COUNT
    page = paginator.get_page(page_number(request))
    if moved := other_page_redirect(request, page.number):
        return moved
    co_speakers = cached["co_speakers"]
    stats = {"events": len(appearances), "turns": turns.count, "words": sum(a.word_count for a in appearances)}
    url = absolute(request, person.get_absolute_url())
    known_terms = keyness.person_terms(person, version=version)  # only when already counted: the page stays cheap
    context = {
        "person": person,
        "key_terms": talk.term_links(known_terms[:10], speaker=person.slug) if known_terms else None,
        "appearances_html": cached["appearances_html"],
        "page": page,
        "stats": stats,
        "co_speakers": co_speakers,
        "turns_html": spoken_turns_html(page),
        "canonical": canonical(request, page=page.number),
        "json_ld": person_page_ld(person, url, person.bio_html),
    }

    def data():
        urls = _urls(request)
        return {
            **serializers.person_summary(person, urls),
            "bio_html": person.bio_html,
            "photo_url": person.photo_url,
            "counts": stats,
            "appearances": [serializers.appearance_data(a, urls) for a in appearances],
            "turns": [serializers.spoken_turn_data(t, urls) for t in page],
            "page": serializers.page_info(page),
            "appeared_with": [{**serializers.person_summary(p, urls), "shared_events": p.shared} for p in co_speakers],
        }

    return respond(request, "transcripts/person_detail.html", context, data)


def _letter(person) -> str:
    first = person.name_key.split()[-1][:1].upper() if person.name_key else ""
    return first if first.isalpha() else "#"


def people_index(request):
    # The counter transcripts.counts keeps, not a GROUP BY over every appearance.
    people = list(Person.objects.filter(speaking_event_count__gt=0).order_by("sort_name"))
    for person in people:
        person.event_count = person.speaking_event_count
    letters: dict[str, list] = {}
    for person in people:
        letters.setdefault(_letter(person), []).append(person)
    context = {"letters": sorted(letters.items()), "count": len(people), "canonical": canonical(request)}

    def data():
        urls = _urls(request)
        return {"people": [{**serializers.person_summary(p, urls), "events": p.event_count} for p in people]}

    return respond(request, "transcripts/people_index.html", context, data)


def topics_index(request):
    # Public means at least one published event: the counter transcripts.counts keeps.
    topics = list(Topic.objects.filter(published_event_count__gt=0).order_by("name"))
    for topic in topics:
        topic.event_count = topic.published_event_count
    context = {"topics": topics, "canonical": canonical(request)}

    def data():
        urls = _urls(request)
        return {"topics": [{**serializers.topic_summary(t, urls), "events": t.event_count} for t in topics]}

    return respond(request, "transcripts/topics_index.html", context, data)


def topic_passages(topic) -> tuple[list, str]:
    """The turns that best match the topic, found by searching its name within its events:
    all its words first, then any of them (few panels say "supply chains" in full)."""
    words = [w for w in re.findall(r"\w+", topic.name) if len(w) > 2]
    queries = [topic.name] + ([" OR ".join(words)] if len(words) > 1 else [])
    try:
        for query in queries:
            hits = find_turns(query, topic_slug=topic.slug, limit=5)
            if hits:
                return hits, ""
    except SearchUnavailable as exc:
        return [], str(exc) or "Search is unavailable right now, so no passages can be suggested."
    return [], ""


def _related_topics(topic, limit: int = 10) -> list[Topic]:
    """The topics most often given to the same published events as `topic`: counted on the
    event-topic links alone, not by grouping topics joined twice to the links."""
    links = Event.topics.through.objects.filter(event__in=Event.objects.published().filter(topics=topic))
    return _most_shared(links.exclude(topic=topic), "topic", Topic, "topic__name", limit)


def _cached_passages(topic, version) -> tuple[list, str]:
    """The topic's passages, kept per (topic, archive version) only while the index has
    caught up with the database: a search made while index work is queued may not show
    the change yet, and must not be kept under the version that change started."""
    if not index_caught_up():
        return topic_passages(topic)
    # A note means search was unavailable: not kept, the next request tries again.
    return page_cache.cached(
        f"topic-passages:{topic.pk}",
        version,
        lambda: topic_passages(topic),
        page_cache.PASSAGES_SECONDS,
        keep=lambda found: not found[1],
    )


def topic_detail(request, slug):
    topic = get_object_or_404(Topic.objects.public(), slug=slug)
    events = topic.events.published().only(*EVENT_SUMMARY)
    version = page_cache.archive_version()
    related = page_cache.cached(f"topic-related:{topic.pk}", version, lambda: _related_topics(topic))
    paginator = Paginator(events, EVENTS_PER_PAGE)
    paginator.count = topic.published_event_count  # kept by transcripts.counts: no COUNT
    page = paginator.get_page(page_number(request))
    if moved := other_page_redirect(request, page.number):
        return moved
    passages, passages_note = _cached_passages(topic, version)
    context = {
        "topic": topic,
        "page": page,
        "passages_html": passages_html(passages),
        "passages": passages,
        "passages_note": passages_note,
        "related": related,
        "events_html": event_items_html(page),
        "canonical": canonical(request, page=page.number),
    }

    def data():
        urls = _urls(request)
        return {
            **serializers.topic_summary(topic, urls),
            "description_html": topic.description_html,
            "events": [serializers.event_summary(e, urls) for e in page],
            "page": serializers.page_info(page),
            "passages": [serializers.hit_data(h, urls) for h in passages],
            "related": [serializers.topic_summary(t, urls) for t in related],
        }

    return respond(request, "transcripts/topic_detail.html", context, data)
