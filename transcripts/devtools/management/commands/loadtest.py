"""Load test on a private copy of the site (see transcripts/devtools/loadtest.py); loopback only."""

import json

from django.core.management.base import BaseCommand, CommandError

from transcripts.devtools import loadtest


class Command(BaseCommand):
    help = (
        "Run gunicorn on a temporary copy of the site with many readers and one editor importing through "
        "the admin for a fixed time; print rps, p50/p95, 5xx and lock errors; check index == database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=float, default=20.0)
        parser.add_argument("--readers", type=int, default=16, help="Concurrent reader threads (default 16).")
        parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4).")
        parser.add_argument(
            "--corpus-turns",
            type=int,
            default=3000,
            help="Synthetic turns to load before the run, besides the samples (default 3000).",
        )
        parser.add_argument(
            "--database-url", default="", help="An EMPTY database to use instead of a temporary SQLite file."
        )
        parser.add_argument(
            "--check-index",
            action="store_true",
            help="Only print (JSON) whether this site's index matches its database.",
        )

    def handle(self, *args, seconds, readers, workers, corpus_turns, database_url, check_index, **options):
        if check_index:
            state = loadtest.index_state()
            summary = {k: (len(v) if isinstance(v, list) and k != "duplicated" else v) for k, v in state.items()}
            self.stdout.write(json.dumps(summary))
            return
        if not 1 <= seconds <= 600:
            raise CommandError("--seconds must be between 1 and 600.")
        report = loadtest.run(
            seconds=seconds,
            readers=readers,
            workers=workers,
            corpus_turns=corpus_turns,
            database_url=database_url,
            out=self.stdout.write,
        )
        self.stdout.write(
            f"\n{report['requests']} requests in {report['seconds']} s: {report['reads_per_second']} reads/s, "
            f"read latency p50 {report['read_p50_ms']} ms, p95 {report['read_p95_ms']} ms; "
            f"{report['imports']} transcripts imported through the admin "
            f"(request p95 {report['import_request_p95_ms']} ms)."
            f"\n5xx responses: {report['server_errors']}   lock errors: {report['lock_errors']}   "
            f"editor errors: {len(report['editor_errors'])}"
            f"\nindex matches database: {report['index_matches_database']} "
            f"({report['index']['index_turns']} turns indexed, {report['index']['db_turns']} published)"
        )
        for problem in report["editor_errors"][:10]:
            self.stderr.write(f"  editor: {problem}")
        if not report["ok"]:
            raise CommandError(f"Load test FAILED (logs in {report['var_dir']}).")
        self.stdout.write("Load test passed.")
