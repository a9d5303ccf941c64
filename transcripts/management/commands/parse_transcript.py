import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from transcripts.parsing import ParseError, decode_bytes, parse_transcript


class Command(BaseCommand):
    help = "Parse a transcript file and print what the parser found. Touches no database."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--json", action="store_true", help="Print JSON only (the shape is documented in README.md).")

    def handle(self, *args, **options):
        path: Path = options["file"]
        try:
            text, warnings = decode_bytes(path.read_bytes())
            transcript = parse_transcript(text)
        except OSError as exc:
            raise CommandError(f"{path}: cannot read the file ({exc.strerror}).") from None
        except ParseError as exc:
            raise CommandError(f"{path}: {exc}") from None
        transcript.warnings[:0] = warnings
        if options["json"]:
            json.dump(transcript.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
            return
        self.stdout.write(f"{transcript.title} ({transcript.date or 'no date'})")
        for p in transcript.participants:
            self.stdout.write(f"  {p.label or '-':>12}  {p.name} [{p.role}] {p.title[:60]}")
        self.stdout.write(f"  {len(transcript.turns)} turns")
        for warning in transcript.warnings:
            self.stdout.write(self.style.WARNING(f"  warning: {warning}"))
