from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from transcripts.media.captions import CaptionsError, decode_captions
from transcripts.models import Event
from transcripts.operations.media import AlignmentError, align_event


class Command(BaseCommand):
    help = "Time an event's turns from a captions file (.vtt or .srt) and print the coverage report."

    def add_arguments(self, parser):
        parser.add_argument("event_slug")
        parser.add_argument("file", type=Path)

    def handle(self, *args, event_slug, file, **options):
        event = Event.objects.filter(slug=event_slug).first()
        if event is None:
            raise CommandError(f"No event has the slug “{event_slug}”. The slug is the last part of its page's URL.")
        try:
            text = decode_captions(file.read_bytes())
            report = align_event(event, text, captions_name=file.name)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror or exc}.") from None
        except (CaptionsError, AlignmentError) as exc:
            raise CommandError(f"{file.name}: {exc}") from None
        median = "n/a" if report.median_offset_seconds is None else f"{report.median_offset_seconds:+.2f} s"
        self.stdout.write(
            f"{event.slug}: {report.turns_timed} of {report.turns_total} turns timed ({report.coverage_percent:g}%), "
            f"{report.paragraphs_timed} of {report.paragraphs_total} paragraphs, "
            f"{report.words_matched_percent:g}% of words found in the captions, "
            f"median offset from the transcript's own times {median}, in {report.seconds_taken:.2f} s."
        )
