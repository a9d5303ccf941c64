"""Text fields clean control characters on every write, and names invisible characters
(transcripts.fields). People already stored get the cleaned name and its key, so the next
import of "Ada Lovelace" finds "Ada\u200b Lovelace" (merge any duplicates this reveals in
the person admin)."""

from django.db import migrations

import transcripts.fields


def clean_people_names(apps, schema_editor):
    from transcripts.normalise import name_key
    from transcripts.validation import clean_stored_text

    Person = apps.get_model("transcripts", "Person")
    for person in Person.objects.only("id", "name", "name_key").iterator(chunk_size=2000):
        name = clean_stored_text(person.name, name=True)
        key = name_key(name)
        if (name, key) != (person.name, person.name_key):
            Person.objects.filter(pk=person.pk).update(name=name, name_key=key)


class Migration(migrations.Migration):
    dependencies = [
        ("transcripts", "0010_coldpages_counts"),
    ]

    operations = [
        migrations.AlterField(
            model_name="appearance",
            name="affiliation",
            field=transcripts.fields.CleanCharField(blank=True, max_length=200),
        ),
        migrations.AlterField(
            model_name="appearance",
            name="label",
            field=transcripts.fields.CleanCharField(
                blank=True, help_text="As written in the transcript, e.g. LAGON.", max_length=100
            ),
        ),
        migrations.AlterField(
            model_name="appearance",
            name="title",
            field=transcripts.fields.CleanTextField(blank=True, help_text="Title or affiliation held at this event."),
        ),
        migrations.AlterField(
            model_name="event",
            name="description",
            field=transcripts.fields.CleanTextField(blank=True, help_text="Markdown."),
        ),
        migrations.AlterField(
            model_name="event",
            name="organiser",
            field=transcripts.fields.CleanCharField(blank=True, max_length=200, verbose_name="organiser or series"),
        ),
        migrations.AlterField(
            model_name="event",
            name="photo_credit",
            field=transcripts.fields.CleanCharField(blank=True, max_length=200),
        ),
        migrations.AlterField(
            model_name="event",
            name="title",
            field=transcripts.fields.CleanCharField(max_length=300),
        ),
        migrations.AlterField(
            model_name="person",
            name="bio",
            field=transcripts.fields.CleanTextField(blank=True, help_text="Markdown."),
        ),
        migrations.AlterField(
            model_name="person",
            name="name",
            field=transcripts.fields.CleanCharField(max_length=200, strip_invisible=True),
        ),
        migrations.AlterField(
            model_name="topic",
            name="description",
            field=transcripts.fields.CleanTextField(blank=True, help_text="Markdown."),
        ),
        migrations.AlterField(
            model_name="topic",
            name="name",
            field=transcripts.fields.CleanCharField(max_length=200, strip_invisible=True, unique=True),
        ),
        migrations.AlterField(
            model_name="turn",
            name="label",
            field=transcripts.fields.CleanCharField(max_length=100),
        ),
        migrations.AlterField(
            model_name="turn",
            name="timestamp",
            field=transcripts.fields.CleanCharField(blank=True, max_length=12),
        ),
        migrations.RunPython(clean_people_names, migrations.RunPython.noop),
    ]
