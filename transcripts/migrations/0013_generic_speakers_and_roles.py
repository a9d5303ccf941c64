"""Speakers of one event only (Operator, Q, Speaker 2) are stored with no Person; the
roles chair, member, witness and counsel. People an archive already holds under a generic
name become event-only speakers of each event they spoke at, and their records go (run
`rebuild_index --noinput` afterwards so search forgets their person documents)."""

import django.db.models.deletion
from django.db import migrations, models


def generic_people_to_event_speakers(apps, schema_editor):
    from transcripts.parsing.people import is_generic_name

    Person = apps.get_model("transcripts", "Person")
    Appearance = apps.get_model("transcripts", "Appearance")
    for person in Person.objects.only("id", "name").iterator():
        if is_generic_name(person.name):
            Appearance.objects.filter(person_id=person.pk).update(person=None, name=person.name)
            Person.objects.filter(pk=person.pk).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("transcripts", "0012_turn_revisions"),
    ]

    operations = [
        migrations.AddField(
            model_name="appearance",
            name="name",
            field=models.CharField(
                blank=True, help_text="The name shown for a speaker of this event only.", max_length=200
            ),
        ),
        migrations.AlterField(
            model_name="appearance",
            name="person",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="appearances",
                to="transcripts.person",
            ),
        ),
        migrations.AlterField(
            model_name="appearance",
            name="role",
            field=models.CharField(
                choices=[
                    ("host", "Host"),
                    ("presider", "Presider"),
                    ("chair", "Chair"),
                    ("member", "Member"),
                    ("panelist", "Panelist"),
                    ("speaker", "Speaker"),
                    ("witness", "Witness"),
                    ("counsel", "Counsel"),
                    ("questioner", "Questioner"),
                    ("operator", "Operator"),
                    ("other", "Other speaker"),
                ],
                default="other",
                max_length=12,
            ),
        ),
        migrations.RunPython(generic_people_to_event_speakers, migrations.RunPython.noop),
    ]
