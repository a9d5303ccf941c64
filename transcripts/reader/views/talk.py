"""What people talk about: a speaker's (or an event's) distinctive terms, and two speakers
side by side on a topic (/compare/?a=PERSON&b=PERSON&q=TOPIC). Each page has its JSON twin."""

from __future__ import annotations

from functools import partial
from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from transcripts.models import Event, Person
from transcripts.reader import keyness, serializers
from transcripts.reader.views.respond import absolute, respond
from transcripts.search.api import SearchUnavailable, find_turns

COMPARE_PASSAGES = 5


def term_links(terms, **scope) -> list[dict]:
    """Each term with its search link (a phrase quoted) and its bar's width against the strongest."""
    top = max((t.score for t in terms), default=1) or 1
    out = []
    for term in terms:
        query = f'"{term.term}"' if " " in term.term else term.term
        out.append(
            {
                "term": term.term,
                "count": term.count,
                "per_10k": round(term.per_10k, 1),
                "archive_per_10k": round(term.reference_per_10k, 1),
                "score": term.score,
                "width": max(4, round(100 * term.score / top)),
                "url": f"{reverse('search')}?{urlencode({'q': query, **scope})}",
            }
        )
    return out


def _public_person(slug: str) -> Person:
    person = Person.objects.public().filter(slug=slug).first()
    if person is None:
        raise Http404("No such person in the archive.")
    return person


def person_terms(request, slug):
    person = _public_person(slug)
    terms = term_links(keyness.person_terms(person), speaker=person.slug)
    context = {"subject": person.name, "subject_url": person.get_absolute_url(), "terms": terms, "person": person}
    return respond(request, "talk/terms.html", context, lambda: {"person": person.slug, "terms": terms})


def event_terms(request, slug):
    event = get_object_or_404(Event.objects.published(), slug=slug)
    terms = term_links(keyness.event_terms(event), event=event.slug)
    context = {"subject": event.title, "subject_url": event.get_absolute_url(), "terms": terms, "event": event}
    return respond(request, "talk/terms.html", context, lambda: {"event": event.slug, "terms": terms})


def _find_person(given: str) -> Person | None:
    return Person.objects.public().named(given.replace("\x00", "").strip()[:200])


def compare(request):
    a, b = _find_person(request.GET.get("a", "")), _find_person(request.GET.get("b", ""))
    topic = request.GET.get("q", "").replace("\x00", "").strip()[:200]
    messages, unavailable = [], ""
    for key, found in (("a", a), ("b", b)):
        if request.GET.get(key) and found is None:
            messages.append(f"No one called “{request.GET[key][:80]}” speaks in the archive.")
    columns = []
    for person in (p for p in (a, b) if p):
        passages = []
        if topic:
            try:
                passages = find_turns(topic, person_slug=person.slug, limit=COMPARE_PASSAGES)
            except SearchUnavailable as exc:
                unavailable = str(exc)
        columns.append(
            {
                "person": person,
                "terms": term_links(keyness.person_terms(person)[:12], speaker=person.slug),
                "passages": passages,
            }
        )
    context = {"a": a, "b": b, "q": topic, "columns": columns, "messages": messages, "unavailable": unavailable}

    def data():
        urls = partial(absolute, request)
        return {
            "topic": topic,
            "messages": messages,
            "columns": [
                {
                    **serializers.person_summary(c["person"], urls),
                    "terms": c["terms"],
                    "passages": [serializers.hit_data(hit, urls) for hit in c["passages"]],
                }
                for c in columns
            ],
        }

    return respond(request, "talk/compare.html", context, data, status=503 if unavailable else 200)
