"""Rebuild the search index from the database (the source of truth) into a fresh index
that replaces the live one when complete; searches keep working meanwhile. Overrides
haystack's rebuild_index (transcripts comes first in INSTALLED_APPS).

Progress: a tqdm bar (counts, rate, time left) on a terminal; elsewhere (a log, a CI
job) a plain line every --progress-every seconds."""

import shutil
import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from transcripts.search.indexing import index_exists, rebuild, turns_to_index


class PlainProgress:
    """Progress as plain lines, at most one per `every` seconds, and one at the end."""

    def __init__(self, total: int, write, every: float, clock=time.monotonic):
        self.total, self.write, self.every, self.clock = total, write, every, clock
        self.done, self.started = 0, clock()
        self.last = self.started

    def update(self, n: int) -> None:
        self.done += n
        now = self.clock()
        if now - self.last >= self.every or self.done >= self.total:
            self.last = now
            self.write(self.line(now))

    def line(self, now: float) -> str:
        elapsed = now - self.started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        share = f" ({100 * self.done / self.total:.0f}%)" if self.total else ""
        left = f", about {(self.total - self.done) / rate:.0f} s left" if rate and self.done < self.total else ""
        return f"Indexed {self.done:,} of {self.total:,} turns{share}, {rate:,.0f} turns/s{left}"

    def close(self) -> None:
        pass


class Command(BaseCommand):
    help = "Rebuild the search index from the database, swapping it in when complete."

    def add_arguments(self, parser):
        # Accepted for compatibility with haystack's command; this rebuild never asks.
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_true",
            dest="noinput",
            help="Do not ask for confirmation (the rebuild never asks).",
        )
        parser.add_argument(
            "--progress-every",
            type=float,
            default=10.0,
            help="Seconds between progress lines when not on a terminal (default 10).",
        )
        parser.add_argument(
            "--if-missing",
            action="store_true",
            dest="if_missing",
            help="Only build when there is no index yet (a new server); otherwise do nothing.",
        )

    def handle(self, *args, progress_every=10.0, if_missing=False, **options):
        if if_missing and index_exists():
            self.stdout.write("The search index exists; nothing to do (--if-missing).")
            return
        started = time.monotonic()
        total = turns_to_index()
        if self.stdout.isatty():
            # The size is given: tqdm hides its bar on a terminal that reports none (0 x 0).
            size = shutil.get_terminal_size()
            progress = tqdm(
                total=total, unit="turn", desc="Indexing", file=self.stdout._out, ncols=size.columns, nrows=size.lines
            )
        else:
            progress = PlainProgress(total, self.stdout.write, progress_every)
        try:
            counts = rebuild(progress=progress.update)
        finally:
            progress.close()
        self.stdout.write(
            f"Indexed {counts['turns']} turns, {counts['events']} events and {counts['people']} people "
            f"in {time.monotonic() - started:.1f}s."
        )
