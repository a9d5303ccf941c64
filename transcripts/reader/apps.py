from django.apps import AppConfig


class ReaderConfig(AppConfig):
    """What readers see: public pages and their JSON twins, feeds, sitemaps, structured data,
    quote links. Views only read; the page caches are dropped by the domain's signals."""

    name = "transcripts.reader"
    label = "reader"
    verbose_name = "Reader"

    def ready(self):
        from transcripts.reader import page_cache

        page_cache.connect_signals()
