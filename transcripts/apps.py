from django.apps import AppConfig


class TranscriptsConfig(AppConfig):
    """The domain: the models (all but the index queue), parsing, the import plan, the
    importer and the operations that change the archive. It imports from no other app of
    Verbatim's except the search queue it hands its changes to."""

    name = "transcripts"
    verbose_name = "Transcripts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from transcripts import counts

        counts.connect_signals()
