"""/check/ and /api/check/: did they say it? A pasted quote, optionally a speaker, against
the archive: said verbatim, said with differences, said by someone else, or not in it."""

from __future__ import annotations

from functools import partial

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from transcripts.models import Event, Person, Turn
from transcripts.reader import checking
from transcripts.reader.clips import quote_clip, with_clip
from transcripts.reader.views.quotes import short_quote_path
from transcripts.reader.views.respond import absolute, json_response, json_twin_url, unknown_format, wants_json
from transcripts.search.api import SearchUnavailable, turns_holding_most

# With a speaker named, this many of the candidates are their own turns (so "said by
# someone else" is only said when the named speaker's closest turns were compared too).
SPEAKERS_OWN = 10
ANSWERS = {
    checking.VERBATIM: "Said, word for word",
    checking.DIFFERENT: "Said, with differences",
    checking.SOMEONE_ELSE: "Said, but by someone else",
    checking.NOT_FOUND: "Not in the archive",
}


def _speaker_slug(turn) -> str:
    person = turn.appearance.person if turn.appearance_id and turn.appearance.person_id else None
    return person.slug if person else ""


def _speaker_name(turn) -> str:
    if turn.appearance_id and turn.appearance.speaker_name:
        return turn.appearance.speaker_name
    return turn.label or "Unknown speaker"


def run_check(quote: str, speaker_slug: str) -> checking.Verdict:
    """One read of the index for the candidates: the turns holding the most of the quote's
    rarest telling words (a quote said as quoted holds them all, one with a word changed all
    but one); with a speaker named, their own such turns too. Then each is aligned."""
    pieces = checking.quote_pieces(quote)
    words = checking.telling_words(pieces) if pieces else []
    ids = turns_holding_most(words, limit=checking.MAX_CANDIDATES - (SPEAKERS_OWN if speaker_slug else 0))
    if speaker_slug and words:
        ids += [i for i in turns_holding_most(words, speaker=speaker_slug, limit=SPEAKERS_OWN) if i not in ids]
    return _rank(quote, speaker_slug, ids)


def _rank(quote: str, speaker_slug: str, ids: list[int]) -> checking.Verdict:
    turns = (
        Turn.objects.filter(pk__in=ids, event__in=Event.objects.published())
        .select_related("event", "appearance__person")
        .only(
            "public_id",
            "paragraphs",
            "label",
            "position",
            "event__slug",
            "event__title",
            "event__date",
            "event__media_file",
            "event__media_url",
            "start_seconds",
            "appearance__name",
            "appearance__person__name",
            "appearance__person__slug",
        )
    )
    candidates = [(t, "\n\n".join(t.paragraphs)) for t in turns]
    return checking.rank(quote, candidates, speaker_of=_speaker_slug, speaker=speaker_slug)


def _match_data(match: checking.TurnMatch, urls) -> dict:
    turn = match.turn
    return {
        "similarity": match.similarity,
        "verbatim": match.verbatim,
        "spliced": match.spliced,
        "passage": match.passage,
        "speaker": _speaker_name(turn),
        "speaker_url": urls(reverse("person", args=[_speaker_slug(turn)])) if _speaker_slug(turn) else None,
        "event": turn.event.title,
        "event_date": turn.event.date.isoformat() if turn.event.date else None,
        "turn": turn.public_id,
        # The quote link, with its clip when the event has media and the turn a time.
        "url": urls(with_clip(short_quote_path(turn.public_id, match.passage), quote_clip(turn.event, turn))),
        # Every step of the word-level alignment, and the ones that differ on their own.
        "alignment": [{"kind": c.kind, "quoted": c.quoted, "said": c.said} for c in match.changes],
        "differences": [
            {"kind": c.kind, "quoted": c.quoted, "said": c.said} for c in match.changes if c.kind != "same"
        ],
    }


def _check(request):
    quote = request.GET.get("q", "").replace("\x00", "").strip()[: checking.MAX_QUOTE_CHARS]
    given = request.GET.get("speaker", "").replace("\x00", "").strip()[:200]
    speaker = Person.objects.public().named(given)
    messages = []
    if given and speaker is None:
        messages.append("No one by that name speaks in the archive, so the quote was checked against everyone.")
    verdict, unavailable = None, ""
    if quote:
        try:
            verdict = run_check(quote, speaker.slug if speaker else "")
        except SearchUnavailable as exc:
            unavailable = str(exc)
    return quote, speaker, verdict, messages, unavailable


def check_data(request, quote, speaker, verdict, messages) -> dict:
    urls = partial(absolute, request)
    return {
        "quote": quote,
        "speaker": speaker.slug if speaker else None,
        "answer": verdict.answer if verdict else None,
        "answer_label": ANSWERS[verdict.answer] if verdict else None,
        "best": _match_data(verdict.best, urls) if verdict and verdict.best else None,
        "said_by": _match_data(verdict.by_someone_else, urls) if verdict and verdict.by_someone_else else None,
        "closest": [_match_data(m, urls) for m in verdict.closest] if verdict else [],
        "messages": messages,
    }


def _answer(request, *, as_json: bool):
    refused = unknown_format(request)
    if refused:
        return refused
    quote, speaker, verdict, messages, unavailable = _check(request)
    if as_json:
        if unavailable:
            return json_response({"error": unavailable}, status=503)
        return json_response(check_data(request, quote, speaker, verdict, messages))
    if unavailable:
        return render(request, "check/check.html", {"unavailable": unavailable, "q": quote}, status=503)
    context = {
        "q": quote,
        "speaker": speaker,
        "verdict": verdict,
        "answer_label": ANSWERS[verdict.answer] if verdict else "",
        "data": check_data(request, quote, speaker, verdict, messages) if verdict else None,
        "messages": messages,
        "json_url": json_twin_url(request),
    }
    return render(request, "check/check.html", context)


@require_GET
def check_page(request):
    """The page, or its JSON twin with ?format=json."""
    return _answer(request, as_json=wants_json(request))


@require_GET
def check_api(request):
    return _answer(request, as_json=True)
