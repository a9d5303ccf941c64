"""A short run of the load test (`manage.py loadtest`): gunicorn with 4 workers, readers and
an importing editor at once, no 5xx, no lock errors, and the index equal to the database.
The run lasts until the editor has imported a transcript and the readers have made their
requests, however busy the machine (a fixed few seconds sometimes held no import)."""

import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

from transcripts.devtools.loadtest import Tally, run_until_enough

ROOT = Path(__file__).resolve().parents[2]


def test_load_smoke_run(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_")) and k != "DATABASE_URL"}
    env.update(DJANGO_DEBUG="1", VERBATIM_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="archive.settings")
    done = subprocess.run(
        [sys.executable, "manage.py", "loadtest", "--seconds", "6", "--readers", "6", "--corpus-turns", "300"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "5xx responses: 0   lock errors: 0   editor errors: 0" in done.stdout
    assert "index matches database: True" in done.stdout and "Load test passed." in done.stdout
    imported = int(done.stdout.split(" transcripts imported")[0].rsplit(" ", 1)[1])
    requests = int(re.search(r"(\d+) requests in", done.stdout)[1])
    assert imported >= 1 and requests >= 6 * 10, done.stdout


def _users(imports_after: float | None):
    """Fake readers (one request a millisecond) and an editor importing once after
    `imports_after` seconds (never when None), all stopping when told."""
    reads, writes, stop = Tally(), Tally(), threading.Event()

    def reader():
        while not stop.is_set():
            reads.record("GET /", 200, "", 0.001)
            time.sleep(0.001)

    def editor():
        started = time.monotonic()
        while not stop.is_set():
            if imports_after is not None and time.monotonic() - started >= imports_after and not writes.imports:
                writes.imports += 1
            time.sleep(0.01)

    return [threading.Thread(target=reader), threading.Thread(target=editor)], reads, writes, stop


def test_a_slow_import_keeps_the_run_going_past_its_seconds():
    threads, reads, writes, stop = _users(imports_after=0.6)
    started = time.monotonic()
    why = run_until_enough(threads, reads, writes, stop, seconds=0.1, min_imports=1, min_reads=5, limit=20)
    assert why == "enough" and writes.imports == 1 and len(reads.latencies) >= 5
    assert 0.6 <= time.monotonic() - started < 10
    assert not any(thread.is_alive() for thread in threads)


def test_no_import_stops_at_the_hard_limit():
    threads, reads, writes, stop = _users(imports_after=None)
    started = time.monotonic()
    why = run_until_enough(threads, reads, writes, stop, seconds=0.1, min_imports=1, min_reads=1, limit=0.5)
    assert why == "hard limit"
    assert 0.5 <= time.monotonic() - started < 5 and writes.imports == 0
