"""A reader's report that a turn is wrong. Kept by the turn's public id as well as the row,
so a report outlives a corrected import that recreated the turn."""

from django.conf import settings
from django.db import models


class ProblemReport(models.Model):
    class Kind(models.TextChoices):
        WRONG_SPEAKER = "speaker", "Wrong speaker"
        WRONG_WORDS = "words", "Wrong words"
        OTHER = "other", "Something else"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ACCEPTED = "accepted", "Accepted as a correction"
        DISMISSED = "dismissed", "Dismissed"

    event = models.ForeignKey("transcripts.Event", on_delete=models.CASCADE, related_name="problem_reports")
    turn = models.ForeignKey(
        "transcripts.Turn", null=True, blank=True, on_delete=models.SET_NULL, related_name="problem_reports"
    )
    turn_public_id = models.CharField(max_length=16, db_index=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    note = models.TextField(max_length=2000, blank=True, help_text="What the reader says is wrong.")
    name = models.CharField(max_length=100, blank=True, help_text="Optional: credited in the correction's note.")
    email = models.EmailField(max_length=254, blank=True, help_text="Optional: told when staff act.")
    # Rate limiting: a keyed hash of the client's address (never the address itself).
    client_key = models.CharField(max_length=64, db_index=True, editable=False)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    handled_at = models.DateTimeField(null=True, blank=True)
    revision = models.ForeignKey(
        "transcripts.EventRevision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text="The version that made the correction, when the report was accepted.",
    )

    class Meta:
        ordering = ["event", "-created"]

    def __str__(self):
        return f"{self.get_kind_display()} in turn {self.turn_public_id} ({self.get_status_display()})"
