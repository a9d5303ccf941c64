"""The public JSON forms of events, people, topics and turns (the pages' JSON twins).

Every function takes an `absolute(path) -> url` callable so links in the JSON are full
URLs a client can follow; none of them queries the database. One function per public
shape: a page that shows a thing uses the same function as every other page showing it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from transcripts import event_fields
from transcripts.event_fields import DETAIL, SUMMARY

Absolute = Callable[[str], str]


def declared_fields(event, where: str) -> dict:
    """The event's fields transcripts.event_fields puts in the JSON `where` (SUMMARY or DETAIL)."""
    data = {}
    for declared in event_fields.FIELDS:
        if declared.json == where:
            value = getattr(event, declared.name)
            data[declared.name] = (value.isoformat() if value else None) if declared.kind == "date" else value
    return data


def event_summary(event, absolute: Absolute) -> dict:
    return {"slug": event.slug, **declared_fields(event, SUMMARY), "url": absolute(event.get_absolute_url())}


def person_summary(person, absolute: Absolute) -> dict:
    return {"slug": person.slug, "name": person.name, "url": absolute(person.get_absolute_url())}


def topic_summary(topic, absolute: Absolute) -> dict:
    return {"slug": topic.slug, "name": topic.name, "url": absolute(topic.get_absolute_url())}


def page_info(page) -> dict:
    return {
        "number": page.number,
        "pages": page.paginator.num_pages,
        "count": page.paginator.count,
        "has_next": page.has_next(),
        "has_previous": page.has_previous(),
    }


def turn_data(view, event, absolute: Absolute) -> dict:
    """One turn of a TranscriptView (see transcripts.reader.reading)."""
    turn = view.turn
    permalink = absolute(view.permalink)
    starts = turn.paragraph_starts or []
    return {
        "id": turn.public_id,
        "position": turn.position,
        "permalink": permalink,
        "speaker": view.speaker.person.slug if view.speaker and view.speaker.person else None,
        "speaker_name": view.speaker_name,
        "role": view.speaker.role if view.speaker else None,
        "label": turn.label,
        "kind": turn.kind,
        "section": turn.section,
        "timestamp": turn.timestamp,
        "start_seconds": turn.start_seconds,
        "word_count": turn.word_count,
        "paragraphs": [
            {
                "id": p.anchor,
                "permalink": f"{permalink}-p{n}",
                "text": text,
                "start_seconds": starts[n - 1] if n <= len(starts) else None,
            }
            for n, (p, text) in enumerate(zip(view.paragraphs, turn.paragraphs), start=1)
        ],
    }


def appearance_data(appearance, absolute: Absolute) -> dict:
    """One of a person's appearances (the event joined)."""
    return {
        "event": event_summary(appearance.event, absolute),
        "role": appearance.role,
        "title": appearance.title,
        "affiliation": appearance.affiliation,
    }


def spoken_turn_data(turn, absolute: Absolute) -> dict:
    """A turn in a list of what one person said (event and appearance joined). The permalink
    goes through /t/<id>/, which finds the turn's page of a long transcript."""
    return {
        "id": turn.public_id,
        "event": turn.event.slug,
        "role": turn.appearance.role,
        "word_count": turn.word_count,
        "permalink": absolute(reverse("turn", args=[turn.public_id])),
        "paragraphs": turn.paragraphs,
    }


def speaker_data(speaker, absolute: Absolute) -> dict:
    a = speaker.appearance
    # A speaker of this event only has a name and no page.
    who = person_summary(a.person, absolute) if a.person_id else {"slug": None, "name": a.name, "url": None}
    return {
        **who,
        "role": a.role,
        "title": a.title,
        "affiliation": a.affiliation,
        "label": a.label,
        "words": speaker.words,
        "turns": speaker.turns,
        "share_percent": speaker.share,
    }


def event_data(event, transcript, absolute: Absolute) -> dict:
    return {
        **event_summary(event, absolute),
        "description_html": event.description_html,
        **declared_fields(event, DETAIL),
        "media": media_data(event, absolute),
        "topics": [topic_summary(t, absolute) for t in event.topics.all()],
        "participants": [speaker_data(s, absolute) for s in transcript.speakers],
        "contents": [{"label": e.label, "anchor": e.anchor, "detail": e.detail} for e in transcript.toc],
        "questions": [{"asker": e.label, "affiliation": e.detail, "anchor": e.anchor} for e in transcript.questions],
        "total_words": transcript.total_words,
        "turn_count": transcript.turn_count,
        # A long transcript comes in pages: `turns` holds this page's, `pages` links every page.
        "page": transcript.page,
        "pages": [{"number": p.number, "label": p.label, "url": absolute(p.href)} for p in transcript.pages],
        "turns": [turn_data(t, event, absolute) for t in transcript.turns],
    }


def media_data(event, absolute: Absolute) -> dict | None:
    """The player's media (kind, URL, type) and how much of the transcript is timed."""
    from transcripts.media.embed import media_for

    media = media_for(event)
    if media is None:
        return None
    data = media.as_dict()
    if data["url"].startswith("/"):
        data["url"] = data["page_url"] = absolute(data["url"])
    data["alignment"] = event.alignment or None
    return data


def hit_data(hit, absolute: Absolute) -> dict:
    """A search hit (transcripts.search.api.TurnHit): the one shape for the search API, the search
    page's JSON twin, an event's in-page matches and a topic's passages. `speaker` is null
    when the turn's speaker is unknown (an unnamed audience question)."""
    speaker = None
    if hit.speaker_slug:
        speaker = {
            "name": hit.speaker_name,
            "slug": hit.speaker_slug,
            "role": hit.role,
            "url": absolute(reverse("person", args=[hit.speaker_slug])),
        }
    return {
        "public_id": hit.public_id,
        "permalink": absolute(hit.permalink),
        "speaker": speaker,
        "speaker_name": hit.speaker_name,
        "event": {
            "slug": hit.event_slug,
            "title": hit.event_title,
            "date": hit.event_date.isoformat() if hit.event_date else None,
            "url": absolute(reverse("event", args=[hit.event_slug])),
        },
        "section": hit.section,
        "snippet_html": str(hit.snippet_html),
        "score": round(hit.score, 4),
    }
