"""Mark every stored snapshot with its schema version (transcripts/snapshots.py).

A version-1 snapshot (stored before snapshots carried "schema") has the version-2 shape
with some keys possibly absent, which the reader fills with their defaults; so marking a
row is all the conversion needs. The reader still takes unmarked rows (and old archives),
so this can run on a live site. Self-contained on purpose: a migration must not depend on
application code that later changes.
"""

from django.db import migrations

SCHEMA = 2
BATCH = 200


def _rewrite(apps, has_key: bool, change) -> None:
    """Apply `change` to each stored snapshot with (or without) the "schema" key, in batches."""
    revision_model = apps.get_model("transcripts", "EventRevision")
    rows = (
        revision_model.objects.filter(snapshot__has_key="schema")
        if has_key
        else (revision_model.objects.exclude(snapshot__has_key="schema"))
    )
    batch = []
    for revision in rows.only("pk", "snapshot").iterator(chunk_size=BATCH):
        if not isinstance(revision.snapshot, dict):
            continue  # not a snapshot at all: left for the reader to refuse with a message
        revision.snapshot = change(revision.snapshot)
        batch.append(revision)
        if len(batch) == BATCH:
            revision_model.objects.bulk_update(batch, ["snapshot"])
            batch = []
    revision_model.objects.bulk_update(batch, ["snapshot"])


def mark(apps, schema_editor):
    _rewrite(apps, False, lambda snapshot: {"schema": SCHEMA, **snapshot})


def unmark(apps, schema_editor):
    """Back to version 1: the same snapshots without the key, which the old code reads."""
    _rewrite(apps, True, lambda snapshot: {k: v for k, v in snapshot.items() if k != "schema"})


class Migration(migrations.Migration):
    dependencies = [("transcripts", "0006_merge_media")]

    operations = [migrations.RunPython(mark, unmark)]
