"""Apply queued index work: once (drain the queue and exit) or --forever (the consumer
`make run` starts beside the server). Only this command and rebuild_index write the index.

A task that keeps failing is set aside after a few tries and reported, so it never
blocks the rest; `--retry-set-aside` puts such tasks back once their cause is fixed.
With no usable index the consumer writes nothing (it never creates one) and waits for
`rebuild_index`."""

import signal
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connection

from transcripts.search.indexing import (
    BATCH_SIZE,
    MAX_ATTEMPTS,
    IndexUnavailable,
    process_batch,
    set_aside_tasks,
)
from transcripts.search.indexing import retry_set_aside as requeue_set_aside

RETRY_HINT = "Fix the cause, then run `manage.py process_index_queue --retry-set-aside`."
BACKOFF_SECONDS = 30.0  # the longest wait after a failure before polling again


class Command(BaseCommand):
    help = "Apply queued search-index work (model changes) to the search index."

    def add_arguments(self, parser):
        parser.add_argument("--forever", action="store_true", help="Keep running, polling the queue.")
        parser.add_argument(
            "--interval", type=float, default=0.5, help="Seconds between polls when idle (default 0.5)."
        )
        parser.add_argument(
            "--batch-size", type=int, default=BATCH_SIZE, help=f"Tasks per batch (default {BATCH_SIZE})."
        )
        parser.add_argument(
            "--retry-set-aside",
            action="store_true",
            help=f"Queue again the tasks set aside after {MAX_ATTEMPTS} failed tries, then run.",
        )

    def handle(self, *args, forever=False, interval=0.5, batch_size=BATCH_SIZE, retry_set_aside=False, **options):
        self.stopping = False
        if retry_set_aside:
            self.stdout.write(f"Queued {requeue_set_aside()} set-aside task(s) again.")
        if forever:
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, self._stop)
        total, waiting_for_index = 0, False
        while not self.stopping:
            try:
                outcome = process_batch(batch_size)
            except IndexUnavailable as exc:
                if not forever:
                    raise CommandError(str(exc)) from exc
                if not waiting_for_index:  # said once, not every poll
                    self.stderr.write(f"Index queue: waiting. {exc}")
                waiting_for_index = True
                self._pause(min(BACKOFF_SECONDS, interval * 10))
                continue
            except Exception as exc:  # a busy database: every task stays queued and is retried
                if not forever:
                    raise
                self.stderr.write(f"Index queue: a batch failed and will be retried: {exc!r}")
                self._pause(min(BACKOFF_SECONDS, interval * 20))
                continue
            if waiting_for_index:
                self.stdout.write("Index queue: the index is back; applying queued work.")
                waiting_for_index = False
            total += outcome.applied
            self._report(outcome, forever)
            if not forever:
                if not outcome.taken:
                    break
                continue
            if outcome.failed:
                self._pause(min(BACKOFF_SECONDS, interval * 4))  # give a passing cause time to pass
            elif not outcome.taken:
                if not connection.in_atomic_block:  # a caller's transaction (a test) keeps its connection
                    close_old_connections()
                self._pause(interval)
        self.stdout.write(f"Applied {total} queued index task(s).")
        left = set_aside_tasks()
        if left:
            self.stderr.write(f"{len(left)} index task(s) are set aside and were not applied. {RETRY_HINT}")

    def _report(self, outcome, forever):
        if outcome.failed or (forever and outcome.applied):
            self.stdout.write(f"Index queue: applied {outcome.applied} task(s), {outcome.failed} failed.")
        for task in outcome.set_aside:
            self.stderr.write(f"Index queue: set aside {task}. {RETRY_HINT}")

    def _pause(self, seconds):
        deadline = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < deadline:
            time.sleep(min(0.2, seconds))

    def _stop(self, signum, frame):
        self.stopping = True
