"""haystack's clear_index, refused: an emptied index answers every search with nothing
(not "search unavailable"), and the queue consumer would then fill it with only the
changes queued after. Its options are kept (this subclasses it) so that any use of it
gets this message."""

from django.core.management.base import CommandError
from haystack.management.commands.clear_index import Command as HaystackClearIndex

from transcripts.search.management.commands.update_index import REFUSAL


class Command(HaystackClearIndex):
    help = "Refused: run `manage.py rebuild_index --noinput` instead (it replaces the index whole)."

    def handle(self, *args, **options):
        raise CommandError(REFUSAL.format(name="clear_index"))
