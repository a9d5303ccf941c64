from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Readers tell the archive it got something wrong (a wrong speaker, wrong words); staff
    accept a report as a correction, through the normal correction path, or dismiss it.
    Nothing a reader reports is shown publicly."""

    name = "transcripts.reports"
    label = "reports"
    verbose_name = "Problem reports"
    default_auto_field = "django.db.models.BigAutoField"
