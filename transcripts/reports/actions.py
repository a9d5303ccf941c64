"""What happens to a problem report, as plain functions: each writes in one transaction and
mails the reporter (when they gave an address) only after that transaction has committed.
Accepting a report corrects the turn through the domain's own edit_turn, so the correction
is a version like any other, with the reporter credited in its note."""

from __future__ import annotations

import hashlib
import hmac
import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from transcripts.operations.edits import edit_turn
from transcripts.reports.models import ProblemReport

log = logging.getLogger(__name__)
REPORTS_PER_HOUR = 5  # from one client, and to one address


class TooManyReports(Exception):
    """The message says how many reports are taken an hour and when to try again."""


def client_key(address: str | None) -> str:
    """A keyed hash of the client's address: enough to count its reports, not to find it."""
    return hmac.new(settings.SECRET_KEY.encode(), (address or "").encode(), hashlib.sha256).hexdigest()


def normalised_email(email: str) -> str:
    return email.strip().lower()


def _check_rate(key: str, email: str) -> None:
    since = timezone.now() - timedelta(hours=1)
    recent = ProblemReport.objects.filter(created__gte=since)
    if recent.filter(client_key=key).count() >= REPORTS_PER_HOUR or (
        email and recent.filter(email=email).count() >= REPORTS_PER_HOUR
    ):
        raise TooManyReports(
            f"We take at most {REPORTS_PER_HOUR} reports an hour from one reader. "
            "Thank you for them: please send the next one in an hour."
        )


def file_report(turn, *, kind: str, note: str = "", name: str = "", email: str = "", client: str = "") -> ProblemReport:
    """Store a reader's report on `turn` (a published turn). Raises TooManyReports past the limit."""
    email = normalised_email(email)
    key = client_key(client)
    with transaction.atomic():
        _check_rate(key, email)
        return ProblemReport.objects.create(
            event_id=turn.event_id,
            turn=turn,
            turn_public_id=turn.public_id,
            kind=kind,
            note=note,
            name=name,
            email=email,
            client_key=key,
        )


def credit(report: ProblemReport) -> str:
    who = f"reported by {report.name}" if report.name else "reported by a reader"
    return f"Correction {who} on {report.created:%Y-%m-%d} ({report.get_kind_display().lower()})"


def accept_report(report: ProblemReport, *, paragraphs=None, speaker=None, change_speaker=False, user=None):
    """Correct the reported turn (its words and/or its speaker) and mark the report accepted.
    The correction is recorded as a version crediting the reporter; InvalidInput from the
    edit (nothing changed is fine) leaves the report open."""
    with transaction.atomic():
        report = ProblemReport.objects.select_for_update().get(pk=report.pk)
        turn = report.turn
        revision = None
        if turn is not None:
            changes = {"paragraphs": paragraphs} if paragraphs is not None else {}
            if change_speaker:
                changes["speaker"] = speaker
            revision = edit_turn(turn, user=user, note=credit(report), **changes)
        report.status = ProblemReport.Status.ACCEPTED
        report.handled_by, report.handled_at, report.revision = user, timezone.now(), revision
        report.save()
        if report.email:
            transaction.on_commit(lambda: _tell_reporter(report, accepted=True))
    return report


def dismiss_report(report: ProblemReport, *, user=None) -> ProblemReport:
    with transaction.atomic():
        report = ProblemReport.objects.select_for_update().get(pk=report.pk)
        report.status = ProblemReport.Status.DISMISSED
        report.handled_by, report.handled_at = user, timezone.now()
        report.save()
        if report.email:
            transaction.on_commit(lambda: _tell_reporter(report, accepted=False))
    return report


def _tell_reporter(report: ProblemReport, *, accepted: bool) -> None:
    # The subject is ours alone: no reader text goes into a mail header.
    subject = "Your report to Verbatim: " + ("corrected" if accepted else "looked at")
    site = settings.VERBATIM_SITE_URL.rstrip("/")
    link = f"{site}/t/{report.turn_public_id}/"
    if accepted:
        body = (
            f"Thank you for reporting a problem ({report.get_kind_display().lower()}) in this passage:\n{link}\n\n"
            "Staff have corrected the transcript. The correction is kept as a version of the event, "
            "crediting your report.\n"
        )
    else:
        body = (
            f"Thank you for reporting a problem ({report.get_kind_display().lower()}) in this passage:\n{link}\n\n"
            "Staff looked at it and left the transcript as it is.\n"
        )
    try:
        EmailMessage(subject, body, to=[report.email]).send()
    except Exception as exc:  # noqa: BLE001 - a mail server down must not undo the staff's decision
        log.warning("report mail to %s not sent: %s", report.email, exc)
