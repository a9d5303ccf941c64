"""What readers do with alerts, as plain functions: each changes the database in one
transaction, and any mail goes out only after that transaction has committed."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from archive.security import client_ip
from transcripts.alerts import mail
from transcripts.alerts.addresses import mailbox_key
from transcripts.alerts.matching import sweep
from transcripts.alerts.models import Alert, AlertRequest, query_key
from transcripts.alerts.queries import SavedSearch

log = logging.getLogger(__name__)
MAIL_FAILED = (
    "The mail could not be sent just now (our mail server did not answer). Nothing is lost: try again in a few minutes."
)


class TooManyRequests(Exception):
    """The message says how many requests an address may make, and when to try again."""


@dataclass
class Outcome:
    mailed: bool
    problem: str = ""  # shown to the reader when the mail could not be sent


def _send(message) -> Outcome:
    try:
        message.send()
    except Exception as exc:  # noqa: BLE001 - SMTP down, refused, timed out: say so, never a 500
        log.warning("alert mail to %s not sent: %s", message.to, exc)
        return Outcome(mailed=False, problem=MAIL_FAILED)
    return Outcome(mailed=True)


def _count_request(email: str, request=None) -> None:
    """Rate limit: at most ALERTS_REQUESTS_PER_HOUR sign-ups and link requests an hour to
    one mailbox, however its address is spelt, and ALERTS_REQUESTS_PER_CLIENT_PER_HOUR from
    one client. Counted in the database, so every web worker sees the same count."""
    since = timezone.now() - timedelta(hours=1)
    mailbox = mailbox_key(email)
    client = client_ip(request) if request is not None else None
    limits = [(AlertRequest.objects.filter(mailbox=mailbox), settings.ALERTS_REQUESTS_PER_HOUR, f"{email} has")]
    if client:
        limits.append(
            (AlertRequest.objects.filter(client=client), settings.ALERTS_REQUESTS_PER_CLIENT_PER_HOUR, "You have")
        )
    for requests, limit, who in limits:
        recent = requests.filter(created__gte=since).order_by("created")
        if recent.count() >= limit:
            retry = recent.first().created + timedelta(hours=1)
            raise TooManyRequests(
                f"{who} asked for {limit} alert mails in the last hour, the most we send. "
                f"Please try again after {retry:%H:%M} UTC."
            )
    AlertRequest.objects.create(email=email, mailbox=mailbox, client=client)


def subscribe(email: str, saved: SavedSearch, frequency: str, request=None) -> Outcome:
    """Save an unconfirmed alert and mail the link that confirms it (double opt-in). When
    the address already follows this search, mail it the link to manage its alerts instead."""
    with transaction.atomic():
        _count_request(email, request)
        query = saved.query_string()
        alert, created = Alert.objects.get_or_create(
            email=email, query_key=query_key(query), defaults={"query": query, "frequency": frequency}
        )
        if not created and alert.confirmed_at is None and alert.frequency != frequency:
            alert.frequency = frequency
            alert.save(update_fields=["frequency"])
        confirmed = alert.confirmed_at is not None
        alerts = list(Alert.objects.filter(email=email, confirmed_at__isnull=False)) if confirmed else []
    return _send(mail.manage_link(email, alerts, request) if confirmed else mail.confirmation(alert, request))


def confirm(alert_id: int) -> Alert | None:
    """Confirm an alert (again is harmless); None when it no longer exists. What is in the
    archive now is marked seen first (send_alerts may not have run since it was published),
    so the alert brings only what is published from now on."""
    with transaction.atomic():
        alert = Alert.objects.select_for_update().filter(pk=alert_id).first()
        if alert is not None and alert.confirmed_at is None:
            now = timezone.now()
            sweep(now)
            alert.confirmed_at = alert.checked_at = now
            alert.save(update_fields=["confirmed_at", "checked_at"])
        return alert


def unsubscribe(*, alert_id: int | None = None, email: str = "") -> int:
    """Delete one alert (of `email`, when given), or every alert of an address; returns how
    many were deleted."""
    if alert_id is None and not email:
        return 0
    alerts = Alert.objects.all()
    if alert_id is not None:
        alerts = alerts.filter(pk=alert_id)
    if email:
        alerts = alerts.filter(email=email)
    with transaction.atomic():
        return alerts.delete()[1].get("alerts.Alert", 0)


def send_manage_link(email: str, request=None) -> Outcome:
    """Mail the manage link when the address has alerts; the page says the same either way,
    so nobody learns from it who follows what."""
    with transaction.atomic():
        _count_request(email, request)
        alerts = list(Alert.objects.filter(email=email))
    return _send(mail.manage_link(email, alerts, request)) if alerts else Outcome(mailed=False)


def set_frequency(email: str, alert_id: int, frequency: str) -> bool:
    with transaction.atomic():
        return bool(Alert.objects.filter(pk=alert_id, email=email).update(frequency=frequency))
