"""The index queue: what the single consumer (process_index_queue) still has to index."""

from django.db import models


class IndexTask(models.Model):
    """Index work waiting for the single queue consumer (see transcripts/search/queue.py)."""

    class Action(models.TextChoices):
        UPDATE = "update", "Update"
        DELETE = "delete", "Delete"

    model = models.CharField(max_length=40)  # "transcripts.turn", "transcripts.event", "transcripts.person"
    object_id = models.BigIntegerField()
    action = models.CharField(max_length=6, choices=Action.choices)
    created = models.DateTimeField(auto_now_add=True)
    # A task that failed is retried on its own; after a few failures it is set aside (left
    # out of batches, so it cannot block the queue) until `process_index_queue --retry-set-aside`.
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    set_aside_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        # Made by the transcripts app before search was an app of its own; the table kept
        # its name when the model moved (see search/migrations/0001_initial.py).
        db_table = "transcripts_indextask"
        ordering = ["id"]

    def __str__(self):
        return f"{self.action} {self.model} {self.object_id}"
