from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from transcripts.archive_io import import_archive


class Command(BaseCommand):
    help = "Restore an export_archive folder into an empty site (same slugs, public ids and quote links)."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, **options):
        try:
            count = import_archive(options["directory"])
        except (ValueError, OSError, KeyError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Restored {count} event(s). Run process_index_queue (or rebuild_index) to index them.")
