"""Quote links, turn links and citation pages.

Quote links are short, /q/<turn public id>/<key>/ (the key names the passage's first and
last words, see transcripts.reader.quotes.quote_key), or the older /q/<id>/?text=…&prefix=…&suffix=….
A quote link must outlive corrections: the quoted turn is found by its public id, or —
when a correction replaced it — through the turn's earlier texts (transcripts.revisions); the
words are then found again by transcripts.reader.quotes in that turn and its neighbours. A link
whose words are gone opens the turn with a note; words no revision ever held are never
shown as a quote nor cited; only an id the archive never had is a 404.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from transcripts.models import Appearance, Event, Turn
from transcripts.reader.cards import share_context
from transcripts.reader.citations import CitationSource, citations
from transcripts.reader.clips import Clip, quote_clip, with_clip
from transcripts.reader.quotes import (
    MAX_CONTEXT_CHARS,
    QuoteLocation,
    cut_quote,
    find_key,
    holds_words,
    key_pattern,
    locate_quote,
    quote_key,
)
from transcripts.reader.structured_data import person_ld, quotation_ld
from transcripts.reader.views.event_page import fetch_rows, render_event_page
from transcripts.reader.views.respond import absolute, respond
from transcripts.revisions import last_place, texts_of, version_that_said

# Ids the importer makes are 10 base32 characters; earlier texts are only looked up for
# ids that look like one.
PUBLIC_ID_RE = re.compile(r"[a-z0-9]{6,16}")


# A quote is looked for in the turn the link names and this many turns either side (a
# correction may have split or moved it): bounded work, however long the event.
NEIGHBOURS = 3
CANDIDATE_FIELDS = ("id", "event_id", "position", "appearance_id", "label", "public_id", "paragraphs", "start_seconds")


def quote_params(request) -> dict:
    return {
        "text": cut_quote(request.GET.get("text", "")),
        "prefix": request.GET.get("prefix", "")[-MAX_CONTEXT_CHARS:],
        "suffix": request.GET.get("suffix", "")[:MAX_CONTEXT_CHARS],
        # The clip the link carries (transcripts.reader.clips): checked against the turn.
        "t": request.GET.get("t", "")[:32],
        "end": request.GET.get("end", "")[:32],
    }


def short_quote_path(public_id: str, words: str) -> str:
    """/q/<turn id>/<key>/: the short, stable link to a passage, used by citations and "copy link"."""
    key = quote_key(words)
    return reverse("quote_key", args=[public_id, key]) if key else reverse("quote", args=[public_id])


def quoted_place(public_id: str) -> tuple[Event, int | None, bool] | None:
    """(event, position the turn had, whether the turn still exists) for a turn public id."""
    turn = (
        Turn.objects.filter(public_id=public_id, event__in=Event.objects.published())
        .select_related("event")
        .only("position", "event")
        .first()
    )
    if turn:
        return turn.event, turn.position, True
    if not PUBLIC_ID_RE.fullmatch(public_id):
        return None
    # A correction gave the turn a new id or removed it: its earlier texts remember where it stood.
    place = last_place(public_id)
    return (*place, False) if place else None


def past_paragraphs(event, public_ids) -> list[list[str]]:
    """The paragraphs the turns with these ids have and had, newest first."""
    return texts_of(event, public_ids)


def _place_or_404(public_id):
    place = quoted_place(public_id)
    if place is None:
        raise Http404("This link points to a passage the archive does not have.")
    return place


@dataclass
class ResolvedQuote:
    event: Event
    location: QuoteLocation | None  # None: the event has no turns left at all
    requested: str  # the words the link asked for (from ?text=, or what its key stands for)
    short_path: str
    exists: bool
    clip: Clip | None = None  # the span of the recording the link plays

    @property
    def link_path(self) -> str:
        """The quote link to share: the short path, with the clip's span when it has one."""
        return self.path_to("")

    def path_to(self, part: str) -> str:
        """The link's own pages ("cite/", "card.png"), carrying the clip's span too."""
        return with_clip(self.short_path + part, self.clip)


def resolve_quote(
    public_id: str,
    *,
    text: str = "",
    prefix: str = "",
    suffix: str = "",
    key: str = "",
    t: str = "",
    end: str = "",
) -> ResolvedQuote:
    """Where the passage a link asks for is now, and whether the transcript ever held it.

    Only the quoted turn and its neighbours are read (and, when the words are not there as
    linked, the event's newest revisions of those turns): the work per request is bounded."""
    event, position, exists = _place_or_404(public_id)
    if key and key_pattern(key) is None:
        raise Http404("This quote link is damaged: its last part is not a quote key. Open the turn without it.")
    low = max(1, (position or 1) - NEIGHBOURS)
    candidates = list(
        Turn.objects.filter(event=event, position__range=(low, (position or 1) + NEIGHBOURS))
        .only(*CANDIDATE_FIELDS)
        .order_by("position")
    )
    past = None
    if key:
        # The named turn first, then the nearest: where a correction most likely put the words.
        nearest = sorted(candidates, key=lambda t: (t.public_id != public_id, abs(t.position - (position or 1))))
        text = find_key([t.paragraphs for t in nearest], key)
        if not text:
            past = past_paragraphs(event, [public_id])
            text = find_key(past, key) or " … ".join(part.replace("-", " ") for part in key.split("~")[::2])
    where = {"public_id": public_id, "position": position, "text": text, "prefix": prefix, "suffix": suffix}
    location = locate_quote(candidates, stages=("exact",), **where)
    if location and location.how != "exact":
        past = past_paragraphs(event, {public_id, location.turn.public_id}) if past is None else past
        if holds_words(past, text):
            location = locate_quote(candidates, stages=("near",), **where)  # said once: the nearest wording now
        else:
            # No revision of the turn ever said this: never shown as a quote, nor a near match of one.
            location = QuoteLocation(location.turn, "absent")
    if location is not None and location.how == "near":
        location.quoted = text  # shown beside the passage as it stands now
    words = location.passage() if location and location.found else text
    clip = quote_clip(event, location.turn, t=t, end=end) if location and location.how != "absent" else None
    return ResolvedQuote(event, location, text, short_path_for(public_id, location, words), exists, clip)


def short_path_for(public_id, location, words) -> str:
    turn_id = location.turn.public_id if location and location.found else public_id
    return short_quote_path(turn_id, words)


def turn_link(request, public_id):
    """/t/<turn id>/: the turn on its page of the transcript (long events come in pages)."""
    event, _position, exists = _place_or_404(public_id)
    if not exists:
        return redirect(event.get_absolute_url())
    _appearances, turns = fetch_rows(event)
    target = next(t for t in turns.turns if t.public_id == public_id)
    query = request.GET.get("q", "").strip()[:200]
    path = turns.permalink(target)
    return redirect(path.replace("#", f"{'&' if '?' in path else '?'}{urlencode({'q': query})}#") if query else path)


def quote(request, public_id, key=""):
    params = quote_params(request)
    if not key and not params["text"].strip():
        return turn_link(request, public_id)  # a plain turn link: the event page at that turn
    resolved = resolve_quote(public_id, key=key, **params)
    event, location = resolved.event, resolved.location
    if location is None:  # an event with no turns left at all
        return redirect(event.get_absolute_url())
    event = Event.objects.prefetch_related("topics").get(pk=event.pk)
    appearances, turns = fetch_rows(event)
    passage = location.passage() if location.found else resolved.requested
    speaker = next((a for a in appearances if a.id == location.turn.appearance_id), None)
    share_url = absolute(request, resolved.link_path)
    speaker_name = speaker.speaker_name if speaker else location.turn.label.title()
    cite_url = resolved.path_to("cite/")
    context = {
        "quote": {
            "location": location,
            "passage": passage,
            "requested": resolved.requested,
            "speaker_name": speaker_name,
            "url": share_url,
            "cite_url": cite_url,
            "turn_anchor": location.turn.anchor,
        },
    }
    if location.how == "absent":
        # Words nobody said: no attribution anywhere a preview or a search engine would read it.
        context.update(
            {
                "page_title": f"Not in the transcript: {event.title}",
                "og_description": f"These words are not in the transcript of “{event.title}”.",
                "noindex": True,
            }
        )
    else:
        context.update(share_context(request, resolved))
        context.update(
            {
                "og_title": f"{speaker_name} at “{event.title}”",
                "og_description": f"“{passage}”",
                "og_url": share_url,
                "page_title": f"“{_short(passage)}” — {speaker_name}",
                "json_ld": quotation_ld(
                    passage,
                    share_url,
                    person_ld(speaker.person, absolute(request, speaker.person.get_absolute_url()))
                    if speaker and speaker.person_id
                    else None,
                    event,
                    absolute(request, event.get_absolute_url()),
                ),
            }
        )

    def data_extra(_transcript):
        return {
            "quote": {
                "requested_text": resolved.requested,
                "found": location.found,
                "match": location.how,
                "passage": passage if location.how != "absent" else None,
                "turn": location.turn.public_id,
                "speaker_name": speaker_name if location.how != "absent" else None,
                "url": share_url,
                "clip": {"start": resolved.clip.start, "end": resolved.clip.end} if resolved.clip else None,
                "turn_permalink": absolute(request, turns.permalink(location.turn))
                if location.turn.public_id in turns.page_of
                else None,
            }
        }

    return render_event_page(
        request,
        event,
        appearances=appearances,
        turns=turns,
        quote=location,
        clip=resolved.clip,
        extra=context,
        data_extra=data_extra,
    )


def _short(text: str, words: int = 12) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def _render_citations(
    request,
    *,
    subject: str,
    source: CitationSource,
    back_url: str,
    passage: str = "",
    speaker=None,
    event=None,
    share: dict | None = None,
):
    cites = citations(source)
    context = {
        **(share or {}),
        "subject": subject,
        "citations": cites,
        "back_url": back_url,
        "passage": passage,
        "speaker": speaker,
        "event": event,
        "cited_url": source.url,
        "canonical": request.build_absolute_uri(request.get_full_path()),
    }

    def data():
        return {
            "subject": subject,
            "url": source.url,
            "passage": passage or None,
            "citations": {c.style: c.text for c in cites},
        }

    return respond(request, "transcripts/cite.html", context, data)


def _source(event, url, **speaker) -> CitationSource:
    return CitationSource(event.title, event.date, event.organiser, url, timezone.localdate(), **speaker)


def event_cite(request, slug):
    event = get_object_or_404(Event.objects.published(), slug=slug)
    url = absolute(request, event.get_absolute_url())
    return _render_citations(
        request,
        subject=f"the event “{event.title}”",
        source=_source(event, url),
        back_url=event.get_absolute_url(),
        event=event,
    )


def quote_cite(request, public_id, key=""):
    """Citations for a quoted passage (a short key or ?text=) or a whole turn (neither).
    Words that are in no revision of the transcript are refused, with a link to the turn."""
    params = quote_params(request)
    if key or params["text"].strip():
        resolved = resolve_quote(public_id, key=key, **params)
        event, location = resolved.event, resolved.location
        turn = location.turn if location else None
        if location is None or location.how == "absent":
            return _refuse_citation(request, event, public_id)
        passage = location.passage() if location.found else resolved.requested
        path = resolved.link_path
        share = share_context(request, resolved)  # the card and the embed snippet
        if location.how == "near":  # corrected since: cite it as quoted too, dated by the version that said it
            said_in = version_that_said(event, {public_id, location.turn.public_id}, resolved.requested)
            share["as_quoted"] = {"words": resolved.requested, "version": said_in}
    else:
        share = None
        event, _position, exists = _place_or_404(public_id)
        turn = Turn.objects.filter(public_id=public_id).select_related("appearance__person").first()
        passage = ""
        path = reverse("turn", args=[public_id]) if exists else event.get_absolute_url()
    appearance = Appearance.objects.select_related("person").filter(pk=turn.appearance_id).first() if turn else None
    speaker = {
        "speaker_name": appearance.speaker_name if appearance else (turn.label.title() if turn else ""),
        "role": appearance.get_role_display().lower() if appearance else "",
        "quote": passage,
    }
    if share and "as_quoted" in share:
        as_quoted = {**speaker, "quote": share["as_quoted"]["words"]}
        share["as_quoted"]["citations"] = citations(_source(event, absolute(request, path), **as_quoted))
    subject = "this passage" if passage else f"this turn by {speaker['speaker_name']}"
    return _render_citations(
        request,
        subject=subject,
        source=_source(event, absolute(request, path), **speaker),
        back_url=path,
        passage=passage,
        speaker=appearance.person if appearance and appearance.person_id else None,
        event=event,
        share=share,
    )


def _refuse_citation(request, event, public_id):
    message = (
        "These words are not in the transcript, in this version or any earlier one, so Verbatim will not "
        "cite them. Select the words you want in the transcript and cite those."
    )
    turn_path = reverse("turn", args=[public_id])
    context = {
        "subject": "these words",
        "refusal": message,
        "back_url": turn_path,
        "event": event,
        "citations": [],
        "canonical": absolute(request, turn_path),
    }
    return respond(request, "transcripts/cite.html", context, lambda: {"error": message}, status=404)
