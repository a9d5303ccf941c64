"""haystack's update_index, refused: it would write the index beside the queue consumer,
without the writer lock, into whatever index is there (even an empty one it creates).
Its options are kept (this subclasses it) so that any use of it gets this message."""

from django.core.management.base import CommandError
from haystack.management.commands.update_index import Command as HaystackUpdateIndex

REFUSAL = (
    "{name} is not used by Verbatim: the index is written only by `manage.py process_index_queue` "
    "(changes as they are saved) and `manage.py rebuild_index --noinput` (everything, built aside and "
    "swapped in when complete). Run `manage.py rebuild_index --noinput` instead."
)


class Command(HaystackUpdateIndex):
    help = "Refused: run `manage.py rebuild_index --noinput` (or process_index_queue) instead."

    def handle(self, *args, **options):
        raise CommandError(REFUSAL.format(name="update_index"))
