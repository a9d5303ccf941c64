from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from transcripts.operations.archive import import_archive


class Command(BaseCommand):
    help = "Restore an export_archive folder into an empty site (same slugs, public ids, revisions and quote links)."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, **options):
        try:
            result = import_archive(options["directory"], stream=self.stderr)
        except (ValueError, OSError) as exc:
            raise CommandError(str(exc)) from None
        for warning in result.warnings:
            self.stdout.write(self.style.WARNING(f"warning: {warning}"))
        self.stdout.write(
            f"Restored {result.events} event(s) with {result.revisions} revision(s). "
            "Run process_index_queue (or rebuild_index) to index them."
        )
