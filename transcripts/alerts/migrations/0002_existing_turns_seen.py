"""Turns published before alerts existed are not new: mark them seen now, so the first
send_alerts run does not mail the whole archive to the first subscribers."""

from django.db import migrations
from django.utils import timezone


def mark_seen(apps, schema_editor):
    Turn = apps.get_model("transcripts", "Turn")
    TurnSighting = apps.get_model("alerts", "TurnSighting")
    now = timezone.now()
    public_ids = Turn.objects.filter(event__status="published").values_list("public_id", flat=True)
    batch = []
    for public_id in public_ids.iterator(chunk_size=2000):
        batch.append(TurnSighting(public_id=public_id, first_seen=now))
        if len(batch) >= 2000:
            TurnSighting.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    TurnSighting.objects.bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("alerts", "0001_initial"), ("transcripts", "0003_editors_group")]
    operations = [migrations.RunPython(mark_seen, migrations.RunPython.noop)]
