import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from transcripts.parsing import LabelChoices, ParseError, parse_transcript, read_upload


class Command(BaseCommand):
    help = "Parse a transcript file and print what the parser found. Touches no database."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--json", action="store_true", help="Print JSON only (the shape is documented in docs/commands.md)."
        )
        parser.add_argument(
            "--speaker",
            action="append",
            default=[],
            metavar="LABEL",
            help="Read LABEL as a speaker wherever it starts a line (repeatable).",
        )
        parser.add_argument(
            "--not-speaker",
            action="append",
            default=[],
            metavar="LABEL",
            help="Never read LABEL as a speaker (repeatable).",
        )

    def handle(self, *args, **options):
        path: Path = options["file"]
        choices = LabelChoices(force=options["speaker"], refuse=options["not_speaker"])
        try:
            text, warnings = read_upload(path.read_bytes(), path.name)
            transcript = parse_transcript(text, choices=choices, filename=path.name)
        except OSError as exc:
            raise CommandError(f"{path}: cannot read the file ({exc.strerror}).") from None
        except ParseError as exc:
            raise CommandError(f"{path}: {exc}") from None
        transcript.warnings[:0] = warnings
        if options["json"]:
            self.stdout.write(json.dumps(transcript.to_dict(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{transcript.title} ({transcript.date or 'no date'})")
        for p in transcript.participants:
            self.stdout.write(f"  {p.label or '-':>12}  {p.name} [{p.role}] {p.title[:60]}")
        self.stdout.write(f"  {len(transcript.turns)} turns")
        for rejected in transcript.label_candidates:
            self.stdout.write(
                f"  not a speaker: {rejected.label!r} x{rejected.count} (line {rejected.line_no}: {rejected.example})"
            )
        for warning in transcript.warnings:
            self.stdout.write(self.style.WARNING(f"  warning: {warning}"))
