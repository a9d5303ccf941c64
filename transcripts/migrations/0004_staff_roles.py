from django.db import migrations, models


def refold_name_keys(apps, schema_editor):
    """name_key now folds letters such as ø and ł too: recompute it, so 'Jørgen Løkke'
    already in the archive is found when 'Jorgen Lokke' is imported."""
    from transcripts.models import name_key

    Person = apps.get_model("transcripts", "Person")
    for person in Person.objects.only("id", "name", "name_key").iterator():
        key = name_key(person.name)
        if key != person.name_key:
            Person.objects.filter(pk=person.pk).update(name_key=key)


class Migration(migrations.Migration):
    dependencies = [
        ("transcripts", "0003_editors_group"),
    ]

    operations = [
        migrations.RunPython(refold_name_keys, migrations.RunPython.noop),
        migrations.AddField(
            model_name="pendingupload",
            name="parsed",
            field=models.JSONField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="pendingupload",
            name="parsed_key",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="pendingupload",
            name="review",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AlterField(
            model_name="appearance",
            name="role",
            field=models.CharField(
                choices=[
                    ("host", "Host"),
                    ("presider", "Presider"),
                    ("panelist", "Panelist"),
                    ("speaker", "Speaker"),
                    ("questioner", "Questioner"),
                    ("operator", "Operator"),
                    ("other", "Other speaker"),
                ],
                default="other",
                max_length=12,
            ),
        ),
    ]
