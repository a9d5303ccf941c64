"""The event page, shared by /events/<slug>/ and the quote pages (/q/<id>/), which are
the same page with a passage marked.

A long event is split into pages of turns, so no request draws thousands of turns or
megabytes of text. Queries: the event, its topics, its appearances (with people), every
turn's light columns (for counts, contents and links between pages) and the paragraphs
of one page's turns — five, however many turns there are. Everything else is derived in
transcripts.reader.reading.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

from django.db.models.functions import Length

from transcripts.models import Turn
from transcripts.reader import serializers
from transcripts.reader.player import player_for, share_tags
from transcripts.reader.reading import PageLink, build_transcript
from transcripts.reader.structured_data import event_ld, person_ld
from transcripts.reader.views.respond import absolute, other_page_redirect, respond
from transcripts.search.api import SearchUnavailable, find_turns

# How many matching turns an in-event search lists above the transcript.
MAX_IN_EVENT_HITS = 50
# A page of the transcript ends after this many turns or characters, whichever comes first
# (a page always holds at least one turn, however long).
PAGE_TURNS = 200
PAGE_CHARS = 250_000
LIGHT_FIELDS = (
    "id",
    "event_id",
    "position",
    "appearance_id",
    "label",
    "kind",
    "section",
    "word_count",
    "timestamp",
    "public_id",
    "start_seconds",
)


class TurnRow:
    """A turn as the event page reads it: its light columns as plain attributes (building
    6,000 model instances took half a second), `paragraphs` only once its page is loaded."""

    __slots__ = (*LIGHT_FIELDS, "chars", "paragraphs", "paragraph_starts", "event")

    def __init__(self, event, values):
        for name, value in zip((*LIGHT_FIELDS, "chars"), values):
            setattr(self, name, value)
        self.event = event
        self.paragraphs = []
        self.paragraph_starts = []

    @property
    def pk(self):
        return self.id

    @property
    def anchor(self) -> str:
        return f"t-{self.public_id}"

    def get_absolute_url(self) -> str:
        return f"{self.event.get_absolute_url()}#{self.anchor}"


@dataclass
class EventTurns:
    """Every turn of an event without its text, split into pages; `load(page)` fetches the
    paragraphs of one page's turns."""

    event: object
    turns: list
    page_of: dict[str, int] = field(default_factory=dict)  # public id -> page number
    number: int = 1
    on_page: set = field(default_factory=set)

    def __post_init__(self):
        self.base_url = self.event.get_absolute_url()  # once: reversing a URL per turn took seconds at 6,000 turns
        page, count, chars = 1, 0, 0
        for turn in self.turns:
            if count and (count >= PAGE_TURNS or chars + turn.chars > PAGE_CHARS):
                page, count, chars = page + 1, 0, 0
            self.page_of[turn.public_id] = page
            count, chars = count + 1, chars + turn.chars

    @property
    def page_count(self) -> int:
        return max(self.page_of.values(), default=1)

    def page_url(self, number: int) -> str:
        return self.base_url if number == 1 else f"{self.base_url}?page={number}"

    def permalink(self, turn) -> str:
        """The path that opens `turn`'s page at the turn."""
        return f"{self.page_url(self.page_of[turn.public_id])}#{turn.anchor}"

    def href(self, turn) -> str:
        """A link to `turn` from this page: its anchor, or its page and anchor."""
        number = self.page_of[turn.public_id]
        return f"#{turn.anchor}" if number == self.number else f"{self.page_url(number)}#{turn.anchor}"

    def load(self, number) -> None:
        """Choose the page (a bad or too-large number gives the nearest page) and fetch its paragraphs."""
        try:
            self.number = min(max(1, int(number)), self.page_count)
        except (TypeError, ValueError):
            self.number = 1
        shown = [t for t in self.turns if self.page_of[t.public_id] == self.number]
        loaded = {
            pk: (text, times)
            for pk, text, times in Turn.objects.filter(pk__in=[t.pk for t in shown]).values_list(
                "pk", "paragraphs", "paragraph_starts"
            )
        }
        for turn in shown:
            turn.paragraphs, turn.paragraph_starts = loaded[turn.pk]
        self.on_page = {t.public_id for t in shown}

    def links(self) -> list[PageLink]:
        if self.page_count == 1:
            return []
        firsts: dict[int, int] = {}
        lasts: dict[int, int] = {}
        for n, turn in enumerate(self.turns, start=1):
            number = self.page_of[turn.public_id]
            firsts.setdefault(number, n)
            lasts[number] = n
        return [PageLink(n, f"Turns {firsts[n]:,}–{lasts[n]:,}", self.page_url(n), n == self.number) for n in firsts]


def fetch_rows(event):
    """The event's appearances (person joined) and its turns (an EventTurns): one query each."""
    appearances = list(event.appearances.select_related("person").order_by("order"))
    rows = Turn.objects.filter(event=event).annotate(chars=Length("text")).order_by("position")
    turns = [TurnRow(event, values) for values in rows.values_list(*LIGHT_FIELDS, "chars")]
    return appearances, EventTurns(event, turns)


def in_event_hits(event, query: str) -> tuple[list, str]:
    """The turns matching `query` in this event, or a note saying why there are none."""
    if not query:
        return [], ""
    try:
        hits = find_turns(query, event_slug=event.slug, limit=MAX_IN_EVENT_HITS)
    except SearchUnavailable as exc:
        return [], str(exc) or "Search is unavailable right now; the words are still highlighted below."
    return hits, "" if hits else "No turn in this event matches those words."


def render_event_page(
    request,
    event,
    *,
    appearances,
    turns: EventTurns,
    query: str = "",
    quote=None,
    clip=None,
    target: str = "",
    extra: dict | None = None,
    data_extra=None,
):
    """The event page at the page of turns holding the quote or target turn, else at ?page=."""
    focus = quote.turn.public_id if quote else target
    turns.load(turns.page_of.get(focus) or request.GET.get("page"))
    if not focus and (moved := other_page_redirect(request, turns.number)):
        return moved
    transcript = build_transcript(appearances, turns.turns, query=query, quote=quote, target=target, paging=turns)
    event_url = absolute(request, event.get_absolute_url())
    hits, search_note = in_event_hits(event, query)
    known = {t.public_id: t for t in turns.turns}
    performers = [
        person_ld(s.person, absolute(request, s.url), job_title=s.appearance.title)
        for s in transcript.speakers
        if s.role in ("presider", "panelist") and s.person is not None
    ]
    player = player_for(request, event, turns.turns, clip=clip)
    context = {
        "player": player,
        "player_share": share_tags(player, lambda path: absolute(request, path)),
        "event": event,
        "transcript": transcript,
        "topics": list(event.topics.all()),
        "query": query,
        "hits": [
            (hit, turns.href(known[hit.public_id]) if hit.public_id in known else f"#t-{hit.public_id}") for hit in hits
        ],
        "search_note": search_note,
        "canonical": absolute(request, turns.page_url(transcript.page)),
        "json_ld": event_ld(event, event_url, performers),
        **(extra or {}),
    }

    def data():
        urls = partial(absolute, request)
        payload = serializers.event_data(event, transcript, urls)
        if query:
            payload["query"] = query
            payload["matches"] = [serializers.hit_data(h, urls) for h in hits]
        if data_extra:
            payload.update(data_extra(transcript))
        return payload

    return respond(request, "transcripts/event_detail.html", context, data)
