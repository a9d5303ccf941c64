"""The Editors group: staff in it may upload, edit and publish transcripts, merge people
and restore versions, but not manage users or groups (no auth permissions at all)."""

from django.db import migrations

from transcripts.accounts import grant_to_editors

GROUP = "Editors"
MODELS = ["event", "turn", "appearance", "person", "personredirect", "topic", "eventrevision"]
ACTIONS = ["add", "change", "delete", "view"]


def create_editors(apps, schema_editor=None):
    """Also callable with the live app registry (tests whose database was flushed)."""
    grant_to_editors(apps, "transcripts", [f"{action}_{model}" for model in MODELS for action in ACTIONS])


def remove_editors(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("transcripts", "0002_pendingupload"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors, remove_editors)]
