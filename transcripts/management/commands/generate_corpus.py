import time

from django.core.management.base import BaseCommand

from transcripts.corpus import generate_transcripts
from transcripts.importer import import_transcript
from transcripts.progress import progress


class Command(BaseCommand):
    help = "Create published events with realistic synthetic transcripts, through the importer."

    def add_arguments(self, parser):
        parser.add_argument("--turns", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--people", type=int, default=300)

    def handle(self, *args, **options):
        started = time.perf_counter()
        events = turns = 0
        transcripts = generate_transcripts(options["turns"], seed=options["seed"], people=options["people"])
        # Counted in turns: their total is known up front, the number of events is not.
        imported = self._imported(transcripts)
        for turn_count in progress(imported, total=options["turns"], desc="Generating turns", stream=self.stderr,
                                   size=lambda count: count, every_items=2_000):
            events += 1
            turns += turn_count
        self.stdout.write(f"Generated {events} events with {turns} turns in {time.perf_counter() - started:.1f} s.")

    def _imported(self, transcripts):
        for text in transcripts:
            yield import_transcript(text, status="published", note="generate_corpus").event.turns.count()
