"""Quote links (/q/<turn public id>/?text=…&prefix=…&suffix=…) and citation pages.

A quote link must outlive corrections: the quoted turn is found by its public id, or —
when a correction replaced it — through the old revisions that still list that id; the
words are then found again by transcripts.quotes. A link whose words are gone opens the
turn with a note; only an id the archive never had is a 404.
"""
from __future__ import annotations

import re

from django.db.models import TextField
from django.db.models.functions import Cast
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from transcripts.citations import CitationSource, citations
from transcripts.models import Event, EventRevision, Turn
from transcripts.quotes import MAX_CONTEXT_CHARS, MAX_QUOTE_CHARS, locate_quote
from transcripts.structured_data import person_ld, quotation_ld
from transcripts.views.event_page import fetch_rows, render_event_page
from transcripts.views.respond import absolute, respond

# Ids the importer makes are 10 base32 characters; the revision scan below only runs
# for ids that look like one, so a short id cannot match half the archive.
PUBLIC_ID_RE = re.compile(r"[a-z0-9]{6,16}")


def quote_params(request) -> dict:
    return {
        "text": request.GET.get("text", "")[:MAX_QUOTE_CHARS],
        "prefix": request.GET.get("prefix", "")[-MAX_CONTEXT_CHARS:],
        "suffix": request.GET.get("suffix", "")[:MAX_CONTEXT_CHARS],
    }


def quote_url(public_id: str, params: dict) -> str:
    kept = {k: v for k, v in params.items() if v}
    return reverse("quote", args=[public_id]) + (f"?{urlencode(kept)}" if kept else "")


def quoted_place(public_id: str) -> tuple[Event, int | None, bool] | None:
    """(event, position the turn had, whether the turn still exists) for a turn public id."""
    turn = Turn.objects.filter(public_id=public_id, event__status=Event.Status.PUBLISHED).select_related("event").only(
        "position", "event"
    ).first()
    if turn:
        return turn.event, turn.position, True
    if not PUBLIC_ID_RE.fullmatch(public_id):
        return None
    # A correction gave the turn a new id or removed it: old revisions remember where it stood.
    revisions = (
        EventRevision.objects.annotate(snapshot_text=Cast("snapshot", TextField()))
        .filter(snapshot_text__contains=public_id, event__status=Event.Status.PUBLISHED)
        .select_related("event")
        .order_by("-number")
    )
    for revision in revisions:
        for position, turn in enumerate(revision.snapshot.get("turns", []), start=1):
            if turn.get("public_id") == public_id:
                return revision.event, position, False
    return None


def _place_or_404(public_id):
    place = quoted_place(public_id)
    if place is None:
        raise Http404("This link points to a passage the archive does not have.")
    return place


def quote(request, public_id):
    event, position, exists = _place_or_404(public_id)
    params = quote_params(request)
    if not params["text"].strip():
        # A plain turn link: the event page at that turn.
        return redirect(event.get_absolute_url() + (f"#t-{public_id}" if exists else ""))
    event = Event.objects.prefetch_related("topics").get(pk=event.pk)
    appearances, turns = fetch_rows(event)
    location = locate_quote(turns, public_id=public_id, position=position, **params)
    if location is None:  # an event with no turns left at all
        return redirect(event.get_absolute_url())
    passage = location.passage() if location.found else params["text"]
    speaker = next((a for a in appearances if a.id == location.turn.appearance_id), None)
    share_url = absolute(request, quote_url(public_id, params))
    speaker_name = speaker.person.name if speaker else location.turn.label.title()
    context = {
        "quote": {
            "location": location,
            "passage": passage,
            "requested": params["text"],
            "speaker_name": speaker_name,
            "url": share_url,
            "cite_url": reverse("quote_cite", args=[public_id]) + "?" + urlencode({k: v for k, v in params.items() if v}),
            "turn_anchor": location.turn.anchor,
        },
        "og_title": f"{speaker_name} at “{event.title}”",
        "og_description": f"“{passage}”",
        "og_url": share_url,
        "page_title": f"“{_short(passage)}” — {speaker_name}",
        "json_ld": quotation_ld(
            passage, share_url,
            person_ld(speaker.person, absolute(request, speaker.person.get_absolute_url())) if speaker else None,
            event, absolute(request, event.get_absolute_url()),
        ),
    }

    def data_extra(_transcript):
        return {"quote": {
            "requested_text": params["text"], "found": location.found, "match": location.how, "passage": passage,
            "turn": location.turn.public_id, "speaker_name": speaker_name, "url": share_url,
            "turn_permalink": absolute(request, location.turn.get_absolute_url()) if location.turn.event_id == event.pk else None,
        }}

    return render_event_page(request, event, appearances=appearances, turns=turns, quote=location, extra=context, data_extra=data_extra)


def _short(text: str, words: int = 12) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def _render_citations(request, *, subject: str, source: CitationSource, back_url: str, passage: str = "", speaker=None, event=None):
    cites = citations(source)
    context = {"subject": subject, "citations": cites, "back_url": back_url, "passage": passage, "speaker": speaker,
                "event": event, "cited_url": source.url, "canonical": request.build_absolute_uri(request.get_full_path())}

    def data():
        return {"subject": subject, "url": source.url, "passage": passage or None,
                "citations": {c.style: c.text for c in cites}}

    return respond(request, "transcripts/cite.html", context, data)


def _source(event, url, **speaker) -> CitationSource:
    return CitationSource(event.title, event.date, event.organiser, url, timezone.localdate(), **speaker)


def event_cite(request, slug):
    event = get_object_or_404(Event.objects.published(), slug=slug)
    url = absolute(request, event.get_absolute_url())
    return _render_citations(request, subject=f"the event “{event.title}”", source=_source(event, url),
                             back_url=event.get_absolute_url(), event=event)


def quote_cite(request, public_id):
    """Citations for a quoted passage (with ?text=) or a whole turn (without)."""
    event, position, exists = _place_or_404(public_id)
    params = quote_params(request)
    turns = list(Turn.objects.filter(event=event).select_related("appearance__person").order_by("position"))
    if params["text"].strip():
        location = locate_quote(turns, public_id=public_id, position=position, **params)
        turn = location.turn if location else None
        passage = location.passage() if location and location.found else params["text"]
        path = quote_url(public_id, params)
    else:
        turn = next((t for t in turns if t.public_id == public_id), None)
        passage = ""
        path = event.get_absolute_url() + (f"#t-{public_id}" if exists else "")
    appearance = turn.appearance if turn else None
    speaker = {"speaker_name": appearance.person.name if appearance else (turn.label.title() if turn else ""),
               "role": appearance.get_role_display().lower() if appearance else "", "quote": passage}
    subject = "this passage" if passage else f"this turn by {speaker['speaker_name']}"
    return _render_citations(request, subject=subject, source=_source(event, absolute(request, path), **speaker), back_url=path,
                             passage=passage, speaker=appearance.person if appearance else None, event=event)
