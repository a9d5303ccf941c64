"""The index queue, taken over from the transcripts app: the table already exists (transcripts
0001 made it, 0004 added the failure columns), so only the model state is created. The content
type is relabelled so anything pointing at it (permissions, the admin log) follows the model."""

from django.db import migrations, models


def relabel_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="search", model="indextask").exists():
        ContentType.objects.filter(app_label="transcripts", model="indextask").update(app_label="search")


def restore_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="transcripts", model="indextask").exists():
        ContentType.objects.filter(app_label="search", model="indextask").update(app_label="transcripts")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("transcripts", "0009_split_indextask_to_search"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="IndexTask",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("model", models.CharField(max_length=40)),
                        ("object_id", models.BigIntegerField()),
                        (
                            "action",
                            models.CharField(choices=[("update", "Update"), ("delete", "Delete")], max_length=6),
                        ),
                        ("created", models.DateTimeField(auto_now_add=True)),
                        ("attempts", models.PositiveSmallIntegerField(default=0)),
                        ("last_error", models.TextField(blank=True)),
                        ("set_aside_at", models.DateTimeField(blank=True, db_index=True, null=True)),
                    ],
                    options={"db_table": "transcripts_indextask", "ordering": ["id"]},
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(relabel_content_type, restore_content_type),
    ]
