import time

from django.core.management.base import BaseCommand

from transcripts.devtools.corpus import generate_transcripts, write_corpus_in_bulk
from transcripts.operations.imports import import_transcript
from transcripts.progress import progress


class Command(BaseCommand):
    help = "Create published events with realistic synthetic transcripts, through the importer."

    def add_arguments(self, parser):
        parser.add_argument("--turns", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--people", type=int, default=300)
        parser.add_argument(
            "--bulk",
            action="store_true",
            help="write rows in bulk, without index tasks (then run rebuild_index --noinput)",
        )

    def handle(self, *args, **options):
        started = time.perf_counter()
        if options["bulk"]:
            self._bulk(options, started)
            return
        events = turns = 0
        transcripts = generate_transcripts(options["turns"], seed=options["seed"], people=options["people"])
        # Counted in turns: their total is known up front, the number of events is not.
        imported = self._imported(transcripts)
        for turn_count in progress(
            imported,
            total=options["turns"],
            desc="Generating turns",
            stream=self.stderr,
            size=lambda count: count,
            every_items=2_000,
        ):
            events += 1
            turns += turn_count
        self.stdout.write(f"Generated {events} events with {turns} turns in {time.perf_counter() - started:.1f} s.")

    def _imported(self, transcripts):
        for text in transcripts:
            yield import_transcript(text, status="published", note="generate_corpus").event.turns.count()

    def _bulk(self, options, started):
        def report(written):
            if written["events"] % 1000 < 100:
                self.stdout.write(
                    f"  {written['events']} events, {written['turns']} turns ({time.perf_counter() - started:.0f} s)"
                )

        written = write_corpus_in_bulk(
            options["turns"], seed=options["seed"], people=options["people"], progress=report
        )
        self.stdout.write(
            f"Generated {written['events']} events with {written['turns']} turns in "
            f"{time.perf_counter() - started:.1f} s, in bulk. The search index does not have them "
            "yet: run rebuild_index --noinput."
        )
