import time

from django.core.management.base import BaseCommand

from transcripts.corpus import generate_transcripts
from transcripts.importer import import_transcript


class Command(BaseCommand):
    help = "Create published events with realistic synthetic transcripts, through the importer."

    def add_arguments(self, parser):
        parser.add_argument("--turns", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--people", type=int, default=300)

    def handle(self, *args, **options):
        started = time.perf_counter()
        events = turns = 0
        for text in generate_transcripts(options["turns"], seed=options["seed"], people=options["people"]):
            result = import_transcript(text, status="published", note="generate_corpus")
            events += 1
            turns += result.event.turns.count()
            if events % 50 == 0:
                self.stdout.write(f"  {events} events, {turns} turns ({time.perf_counter() - started:.0f} s)")
        self.stdout.write(f"Generated {events} events with {turns} turns in {time.perf_counter() - started:.1f} s.")
