"""Alerts: saved searches a reader follows by email, and the record of what was mailed.

A turn is identified by its public id, which survives corrected imports (the importer
recreates Turn rows, so their primary keys do not)."""

import hashlib

from django.db import models


def query_key(query: str) -> str:
    """The unique key of a stored query: a hash, because a query string of non-Latin words
    is several times longer percent-encoded than typed, past what a unique index holds."""
    return hashlib.sha256(query.encode()).hexdigest()


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", "As soon as there is something new"
    DAILY = "daily", "At most once a day"


class Alert(models.Model):
    email = models.EmailField(max_length=254)  # stored lower-cased
    # The search page's query string without sort or page, e.g. "q=cobalt&speaker=siddharth-kara".
    # Unbounded: the search box's 500 characters encode to up to 12 each (see query_key).
    query = models.TextField()
    query_key = models.CharField(max_length=64, editable=False, default="")
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE)
    created = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)  # only confirmed alerts are mailed
    # Turns first seen after this moment are the new ones for this alert.
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["email", "created"]
        constraints = [models.UniqueConstraint(fields=["email", "query_key"], name="one_alert_per_query_key")]
        indexes = [models.Index(fields=["confirmed_at", "checked_at"], name="alert_due")]

    def __str__(self):
        return f"{self.email}: {self.query}"

    def save(self, *args, **kwargs):
        self.query_key = query_key(self.query)
        super().save(*args, **kwargs)


class TurnSighting(models.Model):
    """When a published turn (by public id) was first seen, indexed, by send_alerts: the
    moment it became "new" for every alert."""

    public_id = models.CharField(max_length=16, unique=True)
    first_seen = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.public_id} first seen {self.first_seen:%Y-%m-%d %H:%M}"


class Mailing(models.Model):
    """One alert mail, written in full before it is sent, so a resend is byte for byte
    the same message (same Message-ID)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="mailings")
    message_id = models.CharField(max_length=255, unique=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField()
    unsubscribe_url = models.CharField(max_length=500)
    created = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["status"], name="mailing_status")]

    def __str__(self):
        return f"{self.subject} ({self.status})"


class Delivery(models.Model):
    """A turn put in a mail to an address. The unique constraint is what makes "never
    the same turn twice to one address" hold, whatever else goes wrong."""

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="deliveries")
    email = models.EmailField(max_length=254)
    public_id = models.CharField(max_length=16)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["email", "public_id"], name="one_delivery_per_turn")]

    def __str__(self):
        return f"{self.public_id} to {self.email}"


class AlertRequest(models.Model):
    """A sign-up or manage-link request that sent a mail: counted to rate-limit per mailbox
    and per client address."""

    email = models.EmailField(max_length=254)
    # A hash of the mailbox however it was spelt (transcripts.alerts.addresses.mailbox_key).
    mailbox = models.CharField(max_length=64, db_index=True, default="")
    client = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return f"{self.email} at {self.created:%Y-%m-%d %H:%M}"
