"""The event page, shared by /events/<slug>/ and the quote pages (/q/<id>/), which are
the same page with a passage marked.

Queries: the event, its topics, its appearances (with people) and its turns — four,
however many turns there are. Everything else is derived in transcripts.reading.
"""
from __future__ import annotations

from transcripts import serializers
from transcripts.media.player import player_for, share_tags
from transcripts.models import Turn
from transcripts.reading import build_transcript
from transcripts.search.api import SearchUnavailable, find_turns
from transcripts.structured_data import event_ld, person_ld
from transcripts.views.respond import absolute, respond

# How many matching turns an in-event search lists above the transcript.
MAX_IN_EVENT_HITS = 50


def fetch_rows(event):
    """The event's appearances (person joined) and turns, in order: one query each."""
    appearances = list(event.appearances.select_related("person").order_by("order"))
    turns = list(Turn.objects.filter(event=event).defer("text").order_by("position"))
    for turn in turns:
        turn.event = event  # permalinks need the slug: no query per turn
    return appearances, turns


def in_event_hits(event, query: str) -> tuple[list, str]:
    """The turns matching `query` in this event, or a note saying why there are none."""
    if not query:
        return [], ""
    try:
        hits = find_turns(query, event_slug=event.slug, limit=MAX_IN_EVENT_HITS)
    except SearchUnavailable as exc:
        return [], str(exc) or "Search is unavailable right now; the words are still highlighted below."
    return hits, "" if hits else "No turn in this event matches those words."


def render_event_page(request, event, *, appearances, turns, query: str = "", quote=None, target: str = "", extra: dict | None = None, data_extra=None):
    transcript = build_transcript(appearances, turns, query=query, quote=quote, target=target)
    event_url = absolute(request, event.get_absolute_url())
    hits, search_note = in_event_hits(event, query)
    performers = [
        person_ld(s.person, absolute(request, s.url), job_title=s.appearance.title)
        for s in transcript.speakers
        if s.role in ("presider", "panelist")
    ]
    player = player_for(request, event, turns, quoted_turn=quote.turn if quote else None)
    context = {
        "player": player,
        "player_share": share_tags(player, lambda path: absolute(request, path)),
        "event": event,
        "transcript": transcript,
        "topics": list(event.topics.all()),
        "query": query,
        "hits": hits,
        "search_note": search_note,
        "canonical": event_url,
        "json_ld": event_ld(event, event_url, performers),
        **(extra or {}),
    }

    def data():
        payload = serializers.event_data(event, transcript, lambda path: absolute(request, path))
        if query:
            payload["query"] = query
            payload["matches"] = [serializers.hit_data(h, lambda path: absolute(request, path)) for h in hits]
        if data_extra:
            payload.update(data_extra(transcript))
        return payload

    return respond(request, "transcripts/event_detail.html", context, data)
