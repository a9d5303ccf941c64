from django.apps import AppConfig

WHOOSH_ENGINE = "transcripts.search.whoosh_backend.VerbatimWhooshEngine"


class SearchConfig(AppConfig):
    """Index definitions, the index queue and its one consumer, the engine adapter, and the
    API (transcripts.search.api) the rest of Verbatim calls."""

    name = "transcripts.search"
    label = "search"
    verbose_name = "Search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.conf import settings

        engines = {connection.get("ENGINE") for connection in getattr(settings, "HAYSTACK_CONNECTIONS", {}).values()}
        if WHOOSH_ENGINE in engines:
            # Refuses to start (ImproperlyConfigured, which manage.py prints as one line)
            # on any Whoosh but the pinned one: the fixes replace that version's internals.
            from transcripts.search import whoosh_patches

            whoosh_patches.apply()
