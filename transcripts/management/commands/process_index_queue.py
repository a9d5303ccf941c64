"""Apply queued index work: once (drain the queue and exit) or --forever (the consumer
`make run` starts beside the server). Only this command and rebuild_index write the index."""
import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from transcripts.search.indexing import BATCH_SIZE, process_batch


class Command(BaseCommand):
    help = "Apply queued search-index work (model changes) to the search index."

    def add_arguments(self, parser):
        parser.add_argument("--forever", action="store_true", help="Keep running, polling the queue.")
        parser.add_argument("--interval", type=float, default=0.5, help="Seconds between polls when idle (default 0.5).")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help=f"Tasks per batch (default {BATCH_SIZE}).")

    def handle(self, *args, forever=False, interval=0.5, batch_size=BATCH_SIZE, **options):
        self.stopping = False
        if forever:
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, self._stop)
        total = 0
        while not self.stopping:
            try:
                applied = process_batch(batch_size)
            except Exception as exc:  # the tasks stay queued, so they are retried
                if not forever:
                    raise
                self.stderr.write(f"Index queue: a batch failed and will be retried: {exc!r}")
                applied = 0
                time.sleep(min(30.0, interval * 20))
            total += applied
            if not forever:
                if not applied:
                    break
                continue
            if applied:
                self.stdout.write(f"Index queue: applied {applied} task(s).")
            else:
                close_old_connections()
                time.sleep(interval)
        self.stdout.write(f"Applied {total} queued index task(s).")

    def _stop(self, signum, frame):
        self.stopping = True
