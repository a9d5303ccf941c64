import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from transcripts.models import Event
from transcripts.operations.imports import import_transcript
from transcripts.parsing import ParseError, read_upload
from transcripts.parsing.formats.upload import SUFFIXES
from transcripts.progress import progress
from transcripts.validation import InvalidInput, validate_sidecar


def transcript_files(paths: list[Path]) -> list[Path]:
    files = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file())
            files.extend(p for p in found if not is_sidecar(p))
        else:
            files.append(path)
    return files


def is_sidecar(path: Path) -> bool:
    """ "panel.txt.json" beside "panel.txt" is the panel's metadata, not a JSON transcript."""
    return path.suffix.lower() == ".json" and Path(path.stem).suffix.lower() in SUFFIXES


def sidecar_metadata(path: Path, sidecars: Path | None = None) -> dict:
    """Optional `<file>.json` beside a transcript (or in `sidecars`): the event fields
    validation.SIDECAR_KEYS names (topics, organiser, source_url, language, …) and a status."""
    sidecar = path.with_name(path.name + ".json")
    if not sidecar.exists() and sidecars is not None:
        sidecar = sidecars / (path.name + ".json")
    if not sidecar.exists():
        return {}
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ParseError(f"the metadata file {sidecar.name} is not valid JSON ({exc}); fix or remove it.") from None
    except RecursionError:  # nested deeper than the JSON reader goes: no metadata file needs that
        raise ParseError(
            f"the metadata file {sidecar.name} nests lists or objects too deeply to read; "
            'it should be one flat object such as {"topics": ["Trade"]}.'
        ) from None
    try:
        return validate_sidecar(data)
    except InvalidInput as exc:
        raise ParseError(f"the metadata file {sidecar.name}: {exc} Fix it and import again.") from None


class Command(BaseCommand):
    help = "Import transcript files (or folders of them), one transaction per file. Safe to re-run."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--status", choices=[s.value for s in Event.Status], help="Set the events' status.")
        parser.add_argument(
            "--sidecars", type=Path, help="Also look for each file's NAME.json metadata in this folder."
        )
        # Captions, Rev and Otter exports carry no title or date: give them here (one file at a time).
        parser.add_argument("--title", help="The event's title, for a file that has none (one file only).")
        parser.add_argument("--date", help="The event's date, YYYY-MM-DD (one file only).")
        parser.add_argument("--organiser", help="Who held the event (one file only).")
        parser.add_argument(
            "--language",
            help="What the transcripts are written in: an ISO 639-1 code such as fr (any number of files).",
        )
        parser.add_argument("--topic", action="append", default=[], help="A topic name (repeatable; one file only).")

    def given_metadata(self, options, files: list[Path]) -> dict:
        """--title, --date, --organiser, --topic and --language, checked as a sidecar's keys are."""
        given = {"title": options["title"], "date": options["date"], "organiser": options["organiser"]}
        given = {key: value for key, value in given.items() if value is not None}
        if options["topic"]:
            given["topics"] = options["topic"]
        if given and len(files) != 1:
            raise CommandError(
                f"--title, --date, --organiser and --topic describe one event, but {len(files)} files were given; "
                "import them one at a time, or put each file's metadata in a NAME.json sidecar."
            )
        if options["language"] is not None:
            given["language"] = options["language"]
        try:
            return validate_sidecar(given)
        except InvalidInput as exc:
            raise CommandError(f"{exc} Fix the option and import again.") from None

    def handle(self, *args, **options):
        files = transcript_files(options["paths"])
        if not files:
            raise CommandError("No transcript files found (looked for " + ", ".join(SUFFIXES) + " files).")
        given = self.given_metadata(options, files)
        failed = 0
        numbered = enumerate(files, start=1)
        if len(files) > 1:
            numbered = progress(numbered, total=len(files), desc="Importing files", stream=self.stderr)
        for number, path in numbered:
            prefix = f"[{number}/{len(files)}] {path}" if len(files) > 1 else str(path)
            try:
                text, warnings = read_upload(path.read_bytes(), path.name)
                metadata = sidecar_metadata(path, options["sidecars"]) | given
                status = options["status"] or metadata.pop("status", None)
                result = import_transcript(text, metadata=metadata, status=status, note=f"Imported from {path.name}")
            except OSError as exc:
                failed += 1
                self.stderr.write(f"{prefix}: error: cannot read the file ({exc.strerror}).")
                continue
            except ValueError as exc:  # ParseError, InvalidInput: a message saying what to fix
                failed += 1
                self.stderr.write(f"{prefix}: error: {exc}")
                continue
            d = result.diff
            detail = "" if result.action == "unchanged" else f" (+{d.added} ~{d.changed} -{d.removed} turns)"
            self.stdout.write(f"{prefix}: {result.action} {result.event.slug}{detail}")
            for warning in warnings + result.warnings:
                self.stdout.write(self.style.WARNING(f"{prefix}: warning: {warning}"))
        if failed:
            raise CommandError(f"{failed} of {len(files)} file(s) failed; nothing was stored for them.")
