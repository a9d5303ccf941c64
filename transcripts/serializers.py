"""The public JSON forms of events, people, topics and turns (the pages' JSON twins).

Every function takes an `absolute(path) -> url` callable so links in the JSON are full
URLs a client can follow; none of them queries the database.
"""
from __future__ import annotations

from typing import Callable

Absolute = Callable[[str], str]


def event_summary(event, absolute: Absolute) -> dict:
    return {
        "slug": event.slug,
        "title": event.title,
        "date": event.date.isoformat() if event.date else None,
        "organiser": event.organiser,
        "url": absolute(event.get_absolute_url()),
    }


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
    """One turn of a TranscriptView (see transcripts.reading)."""
    turn = view.turn
    permalink = absolute(event.get_absolute_url()) + f"#{turn.anchor}"
    starts = turn.paragraph_starts or []
    return {
        "id": turn.public_id,
        "position": turn.position,
        "permalink": permalink,
        "speaker": view.speaker.person.slug if view.speaker else None,
        "speaker_name": view.speaker_name,
        "role": view.speaker.role if view.speaker else None,
        "label": turn.label,
        "kind": turn.kind,
        "section": turn.section,
        "timestamp": turn.timestamp,
        "start_seconds": turn.start_seconds,
        "word_count": turn.word_count,
        "paragraphs": [
            {"id": p.anchor, "permalink": f"{permalink}-p{n}", "text": text,
             "start_seconds": starts[n - 1] if n <= len(starts) else None}
            for n, (p, text) in enumerate(zip(view.paragraphs, turn.paragraphs), start=1)
        ],
    }


def speaker_data(speaker, absolute: Absolute) -> dict:
    a = speaker.appearance
    return {
        **person_summary(a.person, absolute),
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
        "source_url": event.source_url,
        "media_url": event.media_url,
        "media": media_data(event, absolute),
        "topics": [topic_summary(t, absolute) for t in event.topics.all()],
        "participants": [speaker_data(s, absolute) for s in transcript.speakers],
        "contents": [{"label": e.label, "anchor": e.anchor, "detail": e.detail} for e in transcript.toc],
        "questions": [{"asker": e.label, "affiliation": e.detail, "anchor": e.anchor} for e in transcript.questions],
        "total_words": transcript.total_words,
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
    """A search hit (transcripts.search.api.TurnHit) without its HTML."""
    return {
        "id": hit.public_id,
        "event": hit.event_slug,
        "event_title": hit.event_title,
        "speaker": hit.speaker_slug,
        "speaker_name": hit.speaker_name,
        "role": hit.role,
        "snippet_html": str(hit.snippet_html),
        "permalink": absolute(hit.permalink),
    }
