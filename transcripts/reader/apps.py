from pathlib import Path

from django.apps import AppConfig


class ReaderConfig(AppConfig):
    """What readers see: public pages and their JSON twins, feeds, sitemaps, structured data,
    quote links. Views only read; the page caches are renewed by the domain's operations
    (transcripts.operations.effects)."""

    name = "transcripts.reader"
    label = "reader"
    verbose_name = "Reader"

    def ready(self):
        from django.conf import settings

        # whitenoise warns at every start when the collected static folder is missing; the
        # settings only read the environment, so the folder is made here.
        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
