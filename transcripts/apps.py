from django.apps import AppConfig


class TranscriptsConfig(AppConfig):
    name = "transcripts"
    verbose_name = "Transcripts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from transcripts.search.queue import connect_signals

        connect_signals()

        from transcripts import page_cache

        page_cache.connect_signals()
