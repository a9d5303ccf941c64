"""What the event page shows, built in Python from rows fetched once.

The view fetches the event's appearances and turns (one query each); everything else
here — speakers' word shares, the table of contents, each turn's previous and next turn
by the same speaker, paragraph HTML with stage directions, search terms or a quoted
passage marked — is derived without another query, so the page's query count does not
grow with the number of turns.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from transcripts.models import Kind, Role, Section
from transcripts.parsing import split_stage_directions
from transcripts.parsing.stage import is_stage_only
from transcripts.reader.quotes import QuoteLocation, Span


@dataclass
class Speaker:
    """One participant as the event page shows them."""

    appearance: object
    name: str
    url: str
    role: str
    role_label: str
    words: int = 0
    turns: int = 0
    share: float = 0.0  # percent of the event's spoken words

    @property
    def person(self):
        return self.appearance.person


@dataclass
class ParagraphView:
    anchor: str
    html: SafeString
    stage_only: bool


@dataclass
class TurnView:
    turn: object
    speaker: Speaker | None
    paragraphs: list[ParagraphView]
    previous_href: str = ""  # the same speaker's previous turn (on this page or another)
    next_href: str = ""
    permalink: str = ""  # the path of the turn's page, with its anchor
    is_target: bool = False
    part: str = ""  # the part of the event this turn opens ("Discussion"), if any
    note: str = ""  # shown inside the turn (a quote that was edited away)
    quoted: str = ""  # a corrected quote's words as quoted, shown beside the passage as it stands now

    @property
    def anchor(self) -> str:
        return self.turn.anchor

    @property
    def speaker_name(self) -> str:
        return self.speaker.name if self.speaker else self.turn.label.title()


@dataclass
class TocEntry:
    label: str
    anchor: str
    detail: str = ""
    href: str = ""  # "#t-…" on this page, "/events/<slug>/?page=N#t-…" on another


@dataclass
class PageLink:
    number: int
    label: str  # "Turns 201–400"
    href: str
    current: bool


@dataclass
class TranscriptView:
    speakers: list[Speaker]
    turns: list[TurnView]  # the turns on this page
    toc: list[TocEntry]
    questions: list[TocEntry]
    total_words: int
    word_shares: list[Speaker] = field(default_factory=list)
    turn_count: int = 0  # the whole event's
    page: int = 1
    pages: list[PageLink] = field(default_factory=list)  # empty when the event fits on one page

    @property
    def questioners(self) -> list[Speaker]:
        return [s for s in self.speakers if s.role == Role.QUESTIONER]

    @property
    def panel(self) -> list[Speaker]:
        """The presider, panelists and other named speakers (not the audience, not the operator)."""
        return [s for s in self.speakers if s.role not in (Role.QUESTIONER, Role.OPERATOR)]


def _marked(text: str, start: int, end: int, mark_id: str) -> str:
    """`text` escaped, characters [start, end) in a quote <mark>."""
    if start >= end:
        return str(escape(text))
    id_attr = f' id="{mark_id}"' if mark_id else ""
    return f'{escape(text[:start])}<mark class="quote"{id_attr}>{escape(text[start:end])}</mark>{escape(text[end:])}'


def paragraph_markup(
    text: str, *, query: str = "", quote: Span | None = None, mark_id: str = "", segments=None
) -> SafeString:
    """A paragraph as HTML: escaped, stage directions set apart, and either the search
    terms of `query` or the quoted characters of `quote` marked."""
    highlight = None
    if query and quote is None:
        from transcripts.search.api import highlight_html as highlight

    parts = []
    offset = 0
    for segment in segments if segments is not None else split_stage_directions(text):
        end = offset + len(segment.text)
        if quote is not None and quote.start < end and quote.end > offset:
            inner = _marked(segment.text, max(quote.start - offset, 0), min(quote.end, end) - offset, mark_id)
            mark_id = ""  # only the first piece of the passage carries the id
        elif highlight is not None:
            inner = str(highlight(segment.text, query))
        else:
            inner = str(escape(segment.text))
        parts.append(f'<span class="stage">{inner}</span>' if segment.kind == "stage" else inner)
        offset = end
    return mark_safe("".join(parts))


def build_speakers(appearances) -> dict[int, Speaker]:
    """Each appearance's Speaker; a speaker of the event only (Operator, Q) has no page: url ""."""
    return {
        a.id: Speaker(
            a, a.speaker_name, a.person.get_absolute_url() if a.person_id else "", a.role, a.get_role_display()
        )
        for a in appearances
    }


# Paragraphs longer than this are shown without search-term highlighting: stemming every
# word of a 2 MB paragraph took seconds. The in-event match list still names the turn.
MAX_HIGHLIGHT_CHARS = 100_000


def _paragraph_views(turn, *, query: str, spans: dict, first_mark: bool) -> tuple[list[ParagraphView], bool]:
    paragraphs = []
    for n, text in enumerate(turn.paragraphs, start=1):
        span = spans.get(n - 1)
        segments = split_stage_directions(text)
        html = paragraph_markup(
            text,
            query=query if len(text) <= MAX_HIGHLIGHT_CHARS else "",
            quote=span,
            mark_id="quote" if span and first_mark else "",
            segments=segments,
        )
        first_mark = first_mark and span is None
        paragraphs.append(ParagraphView(f"{turn.anchor}-p{n}", html, is_stage_only(segments)))
    return paragraphs, first_mark


def build_transcript(
    appearances, turns, *, query: str = "", quote: QuoteLocation | None = None, target: str = "", paging=None
) -> TranscriptView:
    """Everything the transcript part of the event page needs. `target` is the public id
    of a turn to mark as the one the reader came for. `paging` (an EventTurns, see
    transcripts.reader.views.event_page) says which turns are on this page: only those have their
    paragraphs loaded and drawn; the counts, contents and speaker links cover every turn."""
    speakers = build_speakers(appearances)
    quote_spans = {s.paragraph: s for s in quote.spans} if quote else {}
    quote_turn = quote.turn.public_id if quote else ""
    on_page = paging.on_page if paging else None
    href = paging.href if paging else (lambda turn: f"#{turn.anchor}")
    permalink = paging.permalink if paging else (lambda turn: turn.get_absolute_url())
    views: list[TurnView] = []
    last_by_speaker: dict[int, TurnView] = {}
    first_mark = True
    for turn in turns:
        speaker = speakers.get(turn.appearance_id)
        paragraphs = []
        if on_page is None or turn.public_id in on_page:
            spans = quote_spans if turn.public_id == quote_turn else {}
            paragraphs, first_mark = _paragraph_views(turn, query=query, spans=spans, first_mark=first_mark)
        view = TurnView(
            turn, speaker, paragraphs, is_target=turn.public_id in (target, quote_turn), permalink=permalink(turn)
        )
        if quote and turn.public_id == quote_turn:
            view.note = QUOTE_NOTES.get(quote.how, "")
            view.quoted = quote.quoted
        if speaker:
            speaker.words += turn.word_count
            speaker.turns += 1
            previous = last_by_speaker.get(turn.appearance_id)
            if previous:
                previous.next_href = href(turn)
                view.previous_href = href(previous.turn)
            last_by_speaker[turn.appearance_id] = view
        views.append(view)
    total = sum(t.word_count for t in turns)
    for speaker in speakers.values():
        speaker.share = round(100 * speaker.words / total, 1) if total else 0.0
    shares = sorted((s for s in speakers.values() if s.words), key=lambda s: -s.words)
    toc, questions = table_of_contents(views)
    opening = {entry.anchor: entry.label for entry in toc}
    for view in views:
        view.part = opening.get(view.anchor, "")
    turn_at = {v.anchor: v.turn for v in views}
    for entry in toc + questions:
        entry.href = href(turn_at[entry.anchor])
    shown = [v for v in views if on_page is None or v.turn.public_id in on_page]
    return TranscriptView(
        list(speakers.values()),
        shown,
        toc,
        questions,
        total,
        shares,
        turn_count=len(views),
        page=paging.number if paging else 1,
        pages=paging.links() if paging else [],
    )


# What the quoted turn says about a quote it no longer holds as linked.
QUOTE_NOTES = {
    "missing": "This passage has been edited since it was quoted.",
    "absent": "These words are not in the transcript.",
}


def table_of_contents(turns: list[TurnView]) -> tuple[list[TocEntry], list[TocEntry]]:
    """The event's parts (opening, discussion, audience Q&A) and each audience question with its asker."""
    if not turns:
        return [], []
    toc = [TocEntry("Opening", turns[0].anchor, turns[0].speaker_name)]
    discussion = next((t for t in turns[1:] if t.turn.section == Section.DISCUSSION), None)
    if discussion:
        toc.append(TocEntry("Discussion", discussion.anchor))
    qa = next((t for t in turns if t.turn.section == Section.QA), None)
    if qa:
        toc.append(TocEntry("Audience Q&A", qa.anchor))
    questions = []
    for t in turns:
        if t.turn.kind == Kind.QUESTION and (
            t.turn.section == Section.QA or (t.speaker and t.speaker.role == Role.QUESTIONER)
        ):
            affiliation = t.speaker.appearance.affiliation if t.speaker else ""
            questions.append(TocEntry(t.speaker_name, t.anchor, affiliation))
    return toc, questions
