"""The repeated parts of the home, topic and person pages (event items, topic passages,
a person's turns) as HTML written in Python, for the reason transcripts/reader/turn_html.py
gives: on those pages Django's template engine spent about half of each request
resolving the variables of these loops. The markup is what the templates drew before
(the loops that used to be in home.html, event_list.html, topic_detail.html and
person_detail.html); everything interpolated is escaped. Every list of events on the site is
drawn by event_items_html, so an event looks the same in each.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from transcripts.reader.turn_html import escape, role_badge

# Reversed once per page, then filled in per row (reverse() per row was a visible cost).
SLUG = "__slug__"


def _time(day, month: str = "%B") -> str:
    return f'<time datetime="{day:%Y-%m-%d}">{_day(day, month)}</time>'


def _day(day, month: str = "%b") -> str:
    """`j M Y` (or `j F Y` with month "%B") as Django's date filter writes it."""
    return f"{day.day} {day.strftime(month)} {day.year}"


def _topic_chips(topics, topic_url: str) -> str:
    if not topics:
        return ""
    chips = "".join(
        f'<li><a class="chip" href="{escape(topic_url.replace(SLUG, t.slug))}">{escape(t.name)}</a></li>'
        for t in topics
    )
    return f'<ul class="chips small" aria-label="Topics">{chips}</ul>'


def event_items_html(events, with_topics: bool = False, level: int = 3) -> SafeString:
    """Events as the <li>s of an event list, each title a heading of `level` (2 where the
    list is the page's subject, 3 under a heading of its own)."""
    event_url, topic_url = reverse("event", args=[SLUG]), reverse("topic", args=[SLUG])
    items = []
    for event in events:
        meta = _time(event.date) if event.date else ""
        if event.organiser:
            meta += (" · " if event.date else "") + str(escape(event.organiser))
        chips = _topic_chips(list(event.topics.all()), topic_url) if with_topics else ""
        items.append(
            f'<li class="event-item">\n'
            f'  <h{level} class="event-item-title"><a href="{escape(event_url.replace(SLUG, event.slug))}">'
            f"{escape(event.title)}</a></h{level}>\n"
            f'  <p class="meta">{meta}</p>\n'
            f"  {chips}\n</li>\n"
        )
    return mark_safe("".join(items))


def _speaker(hit, person_url: str) -> str:
    if hit.speaker_slug:
        return (
            f'<a class="result-speaker" href="{escape(person_url.replace(SLUG, hit.speaker_slug))}">'
            f"{escape(hit.speaker_name)}</a>"
        )
    return f'<span class="result-speaker">{escape(hit.speaker_name or "Unknown speaker")}</span>'


def passages_html(hits) -> SafeString:
    """Search hits as the topic page's excerpts, each with a "read in context" link through
    /t/<id>/ (which finds the turn's page of a long transcript), keeping the highlighting."""
    person_url, event_url, turn_url = (
        reverse("person", args=[SLUG]),
        reverse("event", args=[SLUG]),
        reverse("turn", args=[SLUG]),
    )
    items = []
    for hit in hits:
        query = urlsplit(hit.permalink).query
        context_url = turn_url.replace(SLUG, hit.public_id) + (f"?{query}" if query else "")
        when = f" · {_day(hit.event_date)}" if hit.event_date else ""
        items.append(
            f'<li class="excerpt">\n'
            f'  <p class="meta">{_speaker(hit, person_url)} · '
            f'<a href="{escape(event_url.replace(SLUG, hit.event_slug))}">{escape(hit.event_title)}</a>{when}</p>\n'
            f'  <blockquote class="excerpt-text">{hit.snippet_html}</blockquote>\n'
            f'  <a class="context-link" href="{escape(context_url)}">Read in context<span class="visually-hidden">: '
            f"{escape(hit.speaker_name)} at {escape(hit.event_title)}</span> →</a>\n"
            f"</li>\n"
        )
    return mark_safe("".join(items))


def spoken_turns_html(turns) -> SafeString:
    """A page of one person's turns, newest first: where, their role, the first 60 words."""
    event_url, turn_url = reverse("event", args=[SLUG]), reverse("turn", args=[SLUG])
    items = []
    for turn in turns:
        event, role = turn.event, turn.appearance.role
        when = f" · {_time(event.date, '%b')}" if event.date else ""
        text = Truncator(" ".join(escape(p) for p in turn.paragraphs)).words(60, truncate=" …")
        items.append(
            f'<li class="excerpt">\n'
            f'  <p class="meta"><a href="{escape(event_url.replace(SLUG, event.slug))}">{escape(event.title)}</a>{when}'
            f" · {role_badge(role)}</p>\n"
            f'  <blockquote class="excerpt-text">{text}</blockquote>\n'
            f'  <a class="context-link" href="{escape(turn_url.replace(SLUG, turn.public_id))}">Read in context'
            f'<span class="visually-hidden">: {escape(event.title)}, turn {turn.position}</span> →</a>\n'
            f"</li>\n"
        )
    return mark_safe("".join(items))
