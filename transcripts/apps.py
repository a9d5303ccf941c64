from django.apps import AppConfig


class TranscriptsConfig(AppConfig):
    """The domain: the models (all but the index queue), parsing, the import plan, the
    operations that change the archive (transcripts.operations, each saying its side effects
    out loud: no signal receivers). It imports from no other app of Verbatim's except the
    search queue it hands its changes to."""

    name = "transcripts"
    verbose_name = "Transcripts"
    default_auto_field = "django.db.models.BigAutoField"
