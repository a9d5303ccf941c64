"""The mails alerts send. Every one carries a one-click unsubscribe link in its text and
in the List-Unsubscribe / List-Unsubscribe-Post headers (RFC 8058), which mail programs
show as an "Unsubscribe" button that POSTs to it."""

from __future__ import annotations

import html as html_lib
from email.utils import format_datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.html import strip_tags

from transcripts.alerts import tokens
from transcripts.alerts.queries import SavedSearch
from transcripts.search.api import parse_query, permalink, snippet


def build(
    to: str, subject: str, text: str, *, unsubscribe_url: str, html: str = "", message_id: str = "", date=None
) -> EmailMultiAlternatives:
    headers = {"List-Unsubscribe": f"<{unsubscribe_url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    if message_id:
        headers["Message-ID"] = message_id
    if date is not None:
        headers["Date"] = format_datetime(date)
    mail = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to], headers=headers)
    if html:
        mail.attach_alternative(html, "text/html")
    return mail


def message(to: str, subject: str, context: dict, template: str, *, unsubscribe_url: str) -> EmailMultiAlternatives:
    """A plain-text mail from the template alerts/mail/<template>.txt."""
    text = render_to_string(f"alerts/mail/{template}.txt", {**context, "unsubscribe_url": unsubscribe_url})
    return build(to, subject, text, unsubscribe_url=unsubscribe_url)


def confirmation(alert, request=None) -> EmailMultiAlternatives:
    saved = SavedSearch.from_string(alert.query)
    context = {
        "alert": alert,
        "description": saved.describe(),
        "frequency": alert.get_frequency_display().lower(),
        "confirm_url": tokens.absolute_url("alerts:confirm", tokens.confirm_token(alert), request=request),
    }
    return message(
        alert.email,
        # No reader's text in the subject: a stranger's address can be typed in the form.
        "Confirm your Verbatim alert",
        context,
        "confirm",
        unsubscribe_url=tokens.absolute_url(
            "alerts:unsubscribe", tokens.unsubscribe_token(alert=alert), request=request
        ),
    )


def manage_link(email: str, alerts, request=None) -> EmailMultiAlternatives:
    context = {
        "alerts": [SavedSearch.from_string(a.query).describe() for a in alerts],
        "manage_url": tokens.absolute_url("alerts:manage", tokens.manage_token(email), request=request),
    }
    return message(
        email,
        "Your Verbatim alerts",
        context,
        "manage",
        unsubscribe_url=tokens.absolute_url(
            "alerts:unsubscribe", tokens.unsubscribe_token(email=email), request=request
        ),
    )


def alert_contents(alert, saved: SavedSearch, turns, total: int) -> dict:
    """Subject, text and HTML of one alert mail, rendered now so a resend is identical."""
    parsed = parse_query(saved.q)
    site = settings.VERBATIM_SITE_URL.rstrip("/")
    items = []
    for turn in turns:
        html = snippet(turn.text, parsed)
        items.append(
            {
                "speaker": turn.appearance.speaker_name if turn.appearance_id else turn.label,
                "event": turn.event.title,
                "date": turn.event.date,
                "snippet_html": html,
                "snippet_text": html_lib.unescape(strip_tags(html)),
                "url": site + permalink(turn, saved.q),
            }
        )
    context = {
        "description": saved.describe(),
        "items": items,
        "more": total - len(items),
        "search_url": f"{site}/search/?{saved.query_string()}",
        "manage_url": tokens.absolute_url("alerts:manage", tokens.manage_token(alert.email)),
        "unsubscribe_url": tokens.absolute_url("alerts:unsubscribe", tokens.unsubscribe_token(alert=alert)),
    }
    count = f"{total} new passage{'s' if total != 1 else ''}"
    return {
        "subject": f"Verbatim: {count} for {saved.describe()}"[:300],
        "body_text": render_to_string("alerts/mail/alert.txt", context),
        "body_html": render_to_string("alerts/mail/alert.html", context),
        "unsubscribe_url": context["unsubscribe_url"],
    }


def alert_message(mailing) -> EmailMultiAlternatives:
    """The stored mailing as a message: the same headers, Message-ID, Date and text every time it is sent."""
    return build(
        mailing.alert.email,
        mailing.subject,
        mailing.body_text,
        html=mailing.body_html,
        unsubscribe_url=mailing.unsubscribe_url,
        message_id=mailing.message_id,
        date=mailing.created,
    )
