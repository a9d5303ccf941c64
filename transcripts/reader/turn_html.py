"""The transcript's turns as HTML, written in Python rather than in the template.

Why not the template: a 150-turn event has ~150 articles and ~800 paragraphs, and
Django's template engine spent most of the page's time resolving their variables
(the event page has a 30 ms budget). The markup here is the one place turns are drawn;
everything interpolated goes through `escape` or is already-safe paragraph HTML.
"""

from __future__ import annotations

import html

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from transcripts.models import Role
from transcripts.normalise import truncate
from transcripts.reader.reading import TurnView
from transcripts.reader.turn_time import paragraph_start_attr, playable_base, start_attr, time_html


def _speaker(view: TurnView) -> str:
    s = view.speaker
    if s is None:
        return str(escape(view.speaker_name))
    badge = f'<span class="badge role-{s.role}">{escape(s.role_label)}</span>'
    name = f'<a href="{escape(s.url)}">{escape(s.name)}</a>' if s.url else str(escape(s.name))
    return f"{name} {badge}"


STAGE_ONLY = ' class="stage-only"'


def escape(value) -> str:
    """What django.utils.html.escape writes (the same five characters escaped), without
    its lazy-string and SafeString wrapping: that wrapping was a third of the time of a
    frequent speaker's appearance list, where every field of every row is escaped."""
    return html.escape(str(value))


# What get_role_display() says, drawn once per role: it rebuilds its choices dict on every
# call (another quarter of that list's time).
ROLE_BADGES = {
    value: f'<span class="badge role-{escape(value)}">{escape(label)}</span>' for value, label in Role.choices
}


def role_badge(role: str) -> str:
    return ROLE_BADGES.get(role) or f'<span class="badge role-{escape(role)}">{escape(role)}</span>'


def _paragraphs(view: TurnView) -> str:
    return "".join(
        f'<p id="{p.anchor}"{STAGE_ONLY if p.stage_only else ""}{paragraph_start_attr(view.turn, n)}>'
        f"{p.html}"
        f'<a class="permalink para-link" href="#{p.anchor}" aria-label="Link to paragraph {n} of this turn"></a></p>'
        for n, p in enumerate(view.paragraphs, start=1)
    )


def turn_html(view: TurnView, cite_base: str, play_base: str, report_base: str) -> str:
    turn, anchor, name = view.turn, view.anchor, escape(view.speaker_name)
    classes = (
        f"turn kind-{turn.kind}"
        + (f" role-{view.speaker.role}" if view.speaker else "")
        + (" is-target" if view.is_target else "")
    )
    parts = []
    if view.part:
        parts.append(f'<h3 class="part-heading">{escape(view.part)}</h3>')
    parts.append(
        f'<article class="{classes}" id="{anchor}" data-turn="{turn.public_id}"{start_attr(turn)}'
        f' aria-labelledby="{anchor}-h" tabindex="-1">'
        f'<header class="turn-head"><h4 class="speaker" id="{anchor}-h">{_speaker(view)}</h4>'
    )
    if turn.start_seconds is not None:
        parts.append(time_html(turn, play_base))
    elif turn.timestamp:
        parts.append(f'<span class="timestamp">{escape(turn.timestamp)}</span>')
    parts.append(f'<a class="permalink" href="#{anchor}" aria-label="Link to this turn by {name}"></a></header>')
    if view.note:
        parts.append(f'<p class="quote-note" id="quote">{escape(view.note)}</p>')
    elif view.quoted:  # beside the highlight, not only in the banner at the top of a long page
        parts.append(
            '<p class="quote-note quote-corrected">Corrected since it was quoted. As quoted: '
            f"“{escape(truncate(view.quoted, 400))}”. As it stands now: highlighted below.</p>"
        )
    parts.append(f'<div class="turn-body">{_paragraphs(view)}</div><footer class="turn-foot">')
    if view.previous_href:
        parts.append(
            f'<a href="{escape(view.previous_href)}" class="prev">'
            f'<span aria-hidden="true">↑</span> Previous by {name}</a>'
        )
    if view.next_href:
        parts.append(
            f'<a href="{escape(view.next_href)}" class="next"><span aria-hidden="true">↓</span> Next by {name}</a>'
        )
    parts.append(
        f'<a href="{cite_base.replace("TURN", turn.public_id)}" class="cite-link">Cite</a>'
        f'<a href="{report_base.replace("TURN", turn.public_id)}" class="report-link" rel="nofollow">'
        "Report a problem</a></footer></article>\n"
    )
    return "".join(parts)


def transcript_html(turns: list[TurnView]) -> SafeString:
    cite_base = reverse("quote_cite", args=["TURN"])
    report_base = reverse("turn_report", args=["TURN"])
    play_base = playable_base(turns[0].turn.event) if turns else ""
    return mark_safe("".join(turn_html(view, cite_base, play_base, report_base) for view in turns))


def appearance_list_html(appearances) -> SafeString:
    """A person's appearances as <li>s, for the same reason as the turns: a frequent
    speaker has hundreds, and the template engine spent most of the person page's
    40 ms budget resolving their variables."""
    event_url = reverse("event", args=["__slug__"])
    items = []
    for a in appearances:
        event = a.event
        when = ""
        if event.date:
            when = f'<time datetime="{event.date:%Y-%m-%d}">{event.date.day} {event.date:%B %Y}</time> · '
        detail = a.title or a.affiliation
        items.append(
            f'<li class="event-item"><h3 class="event-item-title">'
            f'<a href="{escape(event_url.replace("__slug__", event.slug))}">{escape(event.title)}</a></h3>'
            f'<p class="meta">{when}{role_badge(a.role)}</p>'
            + (f'<p class="participant-title">{escape(detail)}</p>' if detail else "")
            + "</li>"
        )
    return mark_safe("".join(items))
