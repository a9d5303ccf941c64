"""Editors see and act on readers' problem reports (view and change; reports come from readers, never staff)."""

from django.db import migrations

from transcripts.accounts import grant_to_editors

GROUP = "Editors"
CODENAMES = ["view_problemreport", "change_problemreport"]


def grant(apps, schema_editor=None):
    grant_to_editors(apps, "reports", CODENAMES)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name=GROUP):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="reports", codename__in=CODENAMES))


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_problem_reports"), ("transcripts", "0003_editors_group")]
    operations = [migrations.RunPython(grant, revoke)]
