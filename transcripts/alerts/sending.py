"""Sending due alerts (`manage.py send_alerts`).

How a run survives being killed at any point without losing or duplicating mail:

1. prepare: in ONE transaction, find the alert's new matching turns, write the whole mail
   (subject, bodies, Message-ID) as a Mailing with status "pending", a Delivery row per
   turn (unique per address and turn), and move the alert's checked_at forward.
   Killed before the commit: nothing happened; the next run does it again.
2. send the stored mail over SMTP.
   Killed before the server accepted it: the Mailing is still pending; the next run sends
   it first, before preparing anything new. Nothing is lost.
3. mark the Mailing sent.
   Killed after the server accepted the mail but before this commit (a window of one
   database write): the next run sends the same mail again, with the same Message-ID.

The trade-off is in step 3: SMTP gives no way to ask afterwards "did you take message X?",
so a run that dies there must either resend (at-least-once) or assume it went (at-most-
once). We resend: a lost alert is silent and never noticed, while a resent one is the same
message (same Message-ID, Date, subject and text, written once in step 1), which mail stores
and programs recognise as one message. The turns themselves are never put into a second mail: Delivery's unique
constraint forbids it, so a turn reaches an address at most once as content.
"""

from __future__ import annotations

import fcntl
import logging
import smtplib
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import timedelta
from email.utils import make_msgid
from pathlib import Path
from urllib.parse import urlparse

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from haystack.exceptions import SearchBackendError

from transcripts.alerts import mail
from transcripts.alerts.matching import NewTurns, sweep
from transcripts.alerts.models import (
    Alert,
    AlertRequest,
    Delivery,
    Frequency,
    Mailing,
    TurnSighting,
)
from transcripts.alerts.queries import SavedSearch
from transcripts.alerts.tokens import CONFIRM_MAX_AGE

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5  # a mail the server refuses this many times is given up (status "failed")
DAILY = timedelta(days=1)


@dataclass
class RunReport:
    seen: int = 0  # turns seen for the first time
    sent: int = 0  # new alert mails sent
    resent: int = 0  # mails left pending by an earlier run, sent now
    unsent: int = 0  # mails waiting for the next run (server down, or refused fewer than MAX_ATTEMPTS times)
    skipped: list[str] = field(default_factory=list)  # alerts not checked this run, and why
    busy: bool = False  # another send_alerts was running


@contextmanager
def run_lock():
    """Yields False when another send_alerts holds the lock (its run covers this one)."""
    path = Path(settings.VAR_DIR) / "send-alerts.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def due_alerts(now):
    daily_due = Q(frequency=Frequency.DAILY, checked_at__lte=now - DAILY)
    return Alert.objects.filter(Q(frequency=Frequency.IMMEDIATE) | daily_due, confirmed_at__isnull=False)


def _message_id() -> str:
    return make_msgid(domain=urlparse(settings.VERBATIM_SITE_URL).hostname or "verbatim.invalid")


def prepare(alert_id: int, new_turns: NewTurns) -> Mailing | None:
    """Step 1: the alert's next mail, stored with its deliveries, or None when nothing is new."""
    with transaction.atomic():
        alert = Alert.objects.select_for_update().filter(pk=alert_id, confirmed_at__isnull=False).first()
        if alert is None:  # unsubscribed meanwhile
            return None
        saved = SavedSearch.from_string(alert.query)
        turns, total = new_turns.matching(alert.email, saved, alert.checked_at)
        alert.checked_at = new_turns.until
        alert.save(update_fields=["checked_at"])
        if not turns:
            return None
        mailing = Mailing.objects.create(
            alert=alert, message_id=_message_id(), **mail.alert_contents(alert, saved, turns, total)
        )
        Delivery.objects.bulk_create(
            [Delivery(mailing=mailing, email=alert.email, public_id=t.public_id) for t in turns]
        )
        return mailing


# The server took the message but not this recipient or this content: other mails may still go.
REFUSED = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


class Session:
    """One connection to the mail server for a whole run. Once the server is unreachable,
    nothing more is tried this run: the mails stay pending (they are already stored) and the
    next run sends them, rather than every mail waiting out its own timeout."""

    def __init__(self, connection):
        self.connection, self.up = connection, True

    def __enter__(self):
        try:
            self.connection.open()
        except Exception as exc:  # noqa: BLE001 - down, refused, bad settings: send nothing this run
            log.warning("mail server unreachable, alerts kept for the next run: %s", exc)
            self.up = False
        return self

    def __exit__(self, *exc_info):
        with suppress(Exception):  # closing a dead connection cannot lose anything
            self.connection.close()

    def deliver(self, mailing: Mailing) -> bool:
        """Steps 2 and 3: send the stored mail, then record that it went."""
        if not self.up:
            return False
        try:
            if not self.connection.send_messages([mail.alert_message(mailing)]):
                raise smtplib.SMTPDataError(554, "the mail server did not accept the message")
        except REFUSED as exc:  # this mail only: counted, given up after MAX_ATTEMPTS
            log.warning("alert mail %s refused: %s", mailing.message_id, exc)
            attempts = mailing.attempts + 1
            Mailing.objects.filter(pk=mailing.pk).update(
                attempts=attempts,
                last_error=str(exc)[:500],
                status=Mailing.Status.FAILED if attempts >= MAX_ATTEMPTS else Mailing.Status.PENDING,
            )
            return False
        except Exception as exc:  # noqa: BLE001 - connection lost: the rest waits for the next run
            log.warning("mail server lost, alerts kept for the next run: %s", exc)
            Mailing.objects.filter(pk=mailing.pk).update(last_error=str(exc)[:500])
            self.up = False
            return False
        Mailing.objects.filter(pk=mailing.pk).update(
            status=Mailing.Status.SENT, sent_at=timezone.now(), attempts=F("attempts") + 1
        )
        return True


def _tidy(now) -> None:
    """Unconfirmed sign-ups expire with their link; rate-limit records after a day."""
    Alert.objects.filter(confirmed_at__isnull=True, created__lt=now - timedelta(seconds=CONFIRM_MAX_AGE)).delete()
    AlertRequest.objects.filter(created__lt=now - timedelta(days=1)).delete()


def send_due_alerts(connection=None) -> RunReport:
    """One run: resend what an earlier run left pending, then mail every due alert."""
    now = timezone.now()
    report = RunReport()
    with run_lock() as acquired:
        if not acquired:
            report.busy = True
            return report
        _tidy(now)
        report.seen = sweep(now)
        due = due_alerts(now)
        newest = TurnSighting.objects.aggregate(t=Max("first_seen"))["t"]
        with_news = (
            list(due.filter(checked_at__lt=newest).order_by("pk").values_list("pk", flat=True)) if newest else []
        )
        # Alerts with nothing seen since their last check only move their mark: one UPDATE.
        due.exclude(pk__in=with_news).update(checked_at=now)
        new_turns = NewTurns(until=now)
        with Session(connection or get_connection()) as session:
            for mailing in Mailing.objects.filter(status=Mailing.Status.PENDING).select_related("alert"):
                report.resent += session.deliver(mailing)
            for alert_id in with_news:
                try:
                    mailing = prepare(alert_id, new_turns)
                except Exception as exc:  # nothing was stored; checked again next run
                    # The index cannot answer, or this alert's query trips the engine: the
                    # other alerts still go. A traceback is logged for anything unexpected.
                    log.warning(
                        "alert %s not checked: %s", alert_id, exc, exc_info=not isinstance(exc, SearchBackendError)
                    )
                    report.skipped.append(f"alert {alert_id}: {exc}")
                    continue
                if mailing is not None:
                    report.sent += session.deliver(mailing)
        report.unsent = Mailing.objects.filter(status=Mailing.Status.PENDING).count()
    return report
