"""Alerts are unique by a hash of their query (a long non-Latin search outgrew the
1,000-character column); sign-up requests are counted by mailbox and by client."""

import hashlib

from django.db import migrations, models


def fill_query_keys(apps, schema_editor):
    Alert = apps.get_model("alerts", "Alert")
    for alert in Alert.objects.only("id", "query").iterator(chunk_size=2000):
        key = hashlib.sha256(alert.query.encode()).hexdigest()
        Alert.objects.filter(pk=alert.pk).update(query_key=key)


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0002_existing_turns_seen"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="alert",
            name="one_alert_per_query",
        ),
        migrations.AddField(
            model_name="alert",
            name="query_key",
            field=models.CharField(default="", editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="alertrequest",
            name="client",
            field=models.GenericIPAddressField(blank=True, db_index=True, null=True),
        ),
        migrations.AddField(
            model_name="alertrequest",
            name="mailbox",
            field=models.CharField(db_index=True, default="", max_length=64),
        ),
        migrations.AlterField(
            model_name="alert",
            name="query",
            field=models.TextField(),
        ),
        migrations.AlterField(
            model_name="alertrequest",
            name="email",
            field=models.EmailField(max_length=254),
        ),
        migrations.RunPython(fill_query_keys, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="alert",
            constraint=models.UniqueConstraint(fields=("email", "query_key"), name="one_alert_per_query_key"),
        ),
    ]
