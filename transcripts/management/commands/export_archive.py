from pathlib import Path

from django.core.management.base import BaseCommand

from transcripts.archive_io import export_archive


class Command(BaseCommand):
    help = "Write every event (source text, JSON snapshot and revisions), person and topic to DIR."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, **options):
        count = export_archive(options["directory"], stream=self.stderr)
        self.stdout.write(f"Exported {count} event(s) to {options['directory']}.")
