"""Staging an upload for review and confirming it: what staff upload is kept server-side
(PendingUpload) until they confirm the import plan (transcripts.plan), which stores exactly
that plan through transcripts.operations.imports."""

from __future__ import annotations

import datetime
import secrets

from django.db import transaction
from django.utils import timezone

from transcripts.models import PendingUpload
from transcripts.operations.imports import ImportResult, import_transcript
from transcripts.parsing import Transcript
from transcripts.plan import ImportPlan, remember_parse

# Uploads nobody confirmed are dropped after this long.
PENDING_UPLOAD_DAYS = 7


def stage_upload(
    source_text: str,
    *,
    transcript: Transcript | None = None,
    filename="",
    metadata=None,
    warnings=(),
    event=None,
    user=None,
) -> PendingUpload:
    """Keep an upload server-side until staff confirm it, with its parse result when the
    caller already has one (so the preview does not parse again); returns it with its token."""
    PendingUpload.objects.filter(
        confirmed__isnull=True, created__lt=timezone.now() - datetime.timedelta(days=PENDING_UPLOAD_DAYS)
    ).delete()
    pending = PendingUpload(
        token=secrets.token_urlsafe(32),
        source_text=source_text,
        filename=filename[:255],
        metadata=metadata or {},
        warnings=list(warnings),
        event=event,
        created_by=user if user and user.is_authenticated else None,
    )
    if transcript is not None:
        remember_parse(pending, transcript)
    pending.save()
    return pending


def remember_review(pending: PendingUpload, review: dict) -> None:
    """Keep the reviewer's choices so far on the staged upload (the next page view starts from them)."""
    pending.review = review
    pending.save(update_fields=["review"])


def discard_upload(pending: PendingUpload) -> None:
    """Drop a staged upload nobody will confirm; nothing of it was stored in the archive."""
    pending.delete()


def confirm(pending: PendingUpload, import_plan: ImportPlan, *, status: str, user=None, note="") -> ImportResult | None:
    """Store exactly `import_plan`; None when the upload had already been confirmed (a double
    click, or two staff at once: the row lock makes the second wait and then find it done)."""
    if import_plan.problems:
        raise ValueError(import_plan.problems[0])
    with transaction.atomic():
        locked = PendingUpload.objects.select_for_update().get(pk=pending.pk)
        if locked.confirmed:
            pending.refresh_from_db()
            return None
        label = f"“{pending.filename}”" if pending.filename else "pasted text"
        result = import_transcript(
            pending.source_text,
            event=import_plan.target,
            transcript=import_plan.transcript,
            metadata=import_plan.metadata,
            people=import_plan.people,
            status=status,
            user=user,
            note=note or f"Uploaded {label} in the admin",
        )
        locked.confirmed, locked.result = timezone.now(), result.event
        locked.confirmed_by = user if user and user.is_authenticated else None
        locked.save(update_fields=["confirmed", "confirmed_by", "result"])
    pending.refresh_from_db()
    return result
