"""Keeping staff's choices on a staged upload (transcripts.operations.uploads), called directly:
the row as stored after each write."""

import pytest
from django.utils import timezone

from transcripts.models import Event, PendingUpload
from transcripts.operations.uploads import discard_upload, remember_review, stage_upload

pytestmark = pytest.mark.django_db

PANEL = "A Small Panel\n\nJanuary 5, 2021\n\nSMITH: Hello there.\n\nJONES: Hello back, friend.\n"


def test_remembering_a_review_writes_the_review_alone():
    """Staff's copy of the upload was read before another confirmed it: keeping their choices
    must not make the upload unconfirmed again (a second confirm would store it twice)."""
    pending = stage_upload(PANEL, filename="panel.txt")
    stale = PendingUpload.objects.get(pk=pending.pk)
    confirmed = timezone.now()
    PendingUpload.objects.filter(pk=pending.pk).update(confirmed=confirmed)
    review = {"speakers": {"SMITH": {"name": "Pat Smith"}}}
    remember_review(stale, review)
    stored = PendingUpload.objects.get(pk=pending.pk)
    assert (stored.review, stored.confirmed, stored.filename) == (review, confirmed, "panel.txt")


def test_discarding_an_upload_drops_it_and_stores_nothing():
    pending = stage_upload(PANEL)
    discard_upload(pending)
    assert not PendingUpload.objects.exists() and not Event.objects.exists()
