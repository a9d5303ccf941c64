"""IndexTask moved to the search app (transcripts.search.models). Only Django's idea of the
models changes here; the table "transcripts_indextask" and its rows stay where they are, and
search's 0001_initial takes the model over."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("transcripts", "0008_merge_wave2"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="IndexTask")],
            database_operations=[],
        ),
    ]
