"""Rebuild the search index from the database (the source of truth) into a fresh index
that replaces the live one when complete; searches keep working meanwhile. Overrides
haystack's rebuild_index (transcripts comes first in INSTALLED_APPS)."""
import time

from django.core.management.base import BaseCommand

from transcripts.search.indexing import rebuild


class Command(BaseCommand):
    help = "Rebuild the search index from the database, swapping it in when complete."

    def add_arguments(self, parser):
        # Accepted for compatibility with haystack's command; this rebuild never asks.
        parser.add_argument("--noinput", "--no-input", action="store_true", dest="noinput",
                            help="Do not ask for confirmation (the rebuild never asks).")

    def handle(self, *args, **options):
        started = time.monotonic()
        counts = rebuild()
        self.stdout.write(
            f"Indexed {counts['turns']} turns, {counts['events']} events and {counts['people']} people "
            f"in {time.monotonic() - started:.1f}s."
        )
