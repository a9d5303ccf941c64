"""The Editors group: staff in it may upload, edit and publish transcripts, merge people
and restore versions, but not manage users or groups (no auth permissions at all)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Editors"
MODELS = ["event", "turn", "appearance", "person", "personredirect", "topic", "eventrevision"]
ACTIONS = ["add", "change", "delete", "view"]


def create_editors(apps, schema_editor=None):
    """Also callable with the live app registry (tests whose database was flushed)."""
    # Permissions are normally made after all migrations ran; make this app's now so a
    # fresh database gets a complete group. Historical app configs have no models module,
    # which create_permissions takes as "no models": lend it one for the call.
    app_config = apps.get_app_config("transcripts")
    historical = getattr(app_config, "models_module", None) is None
    if historical:
        app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    if historical:
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    codenames = [f"{action}_{model}" for model in MODELS for action in ACTIONS]
    group.permissions.add(*Permission.objects.filter(content_type__app_label="transcripts", codename__in=codenames))


def remove_editors(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("transcripts", "0002_pendingupload"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors, remove_editors)]
