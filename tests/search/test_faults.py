"""Faults, with nothing lost: a damaged or deleted search index, an index consumer killed
in the middle of its work, a database locked or unreachable for a moment.

The process-level faults run in subprocesses on a real SQLite file and Whoosh directory
(what `make serve` runs); run as a script, this file is the worker those subprocesses run.
(The import that fails half-way is
tests/operations/test_importer.py::test_a_failure_half_way_leaves_the_previous_version.)
"""

import glob
import io
import json
import os
import random
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import SAMPLE

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.search.test_index_queue_concurrency import _env as debug_env  # noqa: E402
from tests.search.test_index_queue_concurrency import _manage as manage  # noqa: E402

REBUILT = "being rebuilt"


def sqlite_env(var_dir: Path, **extra) -> dict:
    """A child process on its own SQLite file, whatever DATABASE_URL the suite runs with."""
    return {**debug_env(var_dir), **extra}


def production_env(var_dir: Path, **extra) -> dict:
    """Debug off, as in production (loopback HTTP, so no SSL redirect)."""
    return sqlite_env(
        var_dir,
        DJANGO_DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="0",
        **extra,
    )


def run_worker(env, role, timeout=300) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, role], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


# The search index deleted or damaged --------------------------------------------------


@pytest.fixture
def indexed_sample(sample_event):
    from search_helpers import process_queue, reset_search_index  # imported here: the worker has no Django yet

    reset_search_index()
    process_queue()
    return sample_event


def _live_index_dir() -> Path:
    from django.conf import settings

    return Path(os.path.realpath(settings.HAYSTACK_CONNECTIONS["default"]["PATH"]))


def _fresh_reader():
    """Forget this thread's open searcher, as a newly started gunicorn worker would have none."""
    from haystack import connections

    connections.reload("default")


def _delete_directory(index_dir):
    shutil.rmtree(index_dir)


def _delete_link(index_dir):
    from django.conf import settings

    os.unlink(settings.HAYSTACK_CONNECTIONS["default"]["PATH"])


def _garbage_table_of_contents(index_dir):
    for toc in glob.glob(str(index_dir / "*.toc")):
        Path(toc).write_bytes(random.Random(1).randbytes(4000))


def _truncated_segment(index_dir):
    for segment in glob.glob(str(index_dir / "*.seg")):
        os.truncate(segment, 1000)


def _overwritten_segment(index_dir):
    for segment in glob.glob(str(index_dir / "*.seg")):
        Path(segment).write_bytes(random.Random(2).randbytes(os.path.getsize(segment)))


@pytest.mark.parametrize(
    "damage", [_delete_directory, _delete_link, _garbage_table_of_contents, _truncated_segment, _overwritten_segment]
)
def test_damaged_index_pages_serve_search_says_rebuilding_and_rebuild_restores(indexed_sample, client, damage):
    from django.core.management import call_command

    event_url = f"/events/{indexed_sample.slug}/"
    assert "trafficking" in client.get("/search/", {"q": "trafficking"}).content.decode()
    try:
        damage(_live_index_dir())
        _fresh_reader()
        for url in ("/", "/events/", event_url, "/people/", "/topics/"):
            assert client.get(url).status_code == 200, url
        page = client.get("/search/", {"q": "trafficking"})
        assert page.status_code == 503
        assert REBUILT in page.content.decode() and "Traceback" not in page.content.decode()
        api = client.get("/api/search/", {"q": "trafficking"})
        assert api.status_code == 503 and REBUILT in api.json()["error"]
    finally:
        call_command("rebuild_index", "--noinput", stdout=io.StringIO())
    page = client.get("/search/", {"q": "trafficking"})
    assert page.status_code == 200 and "Combating Human Trafficking" in page.content.decode()


# The index consumer killed mid-batch --------------------------------------------------


def _start_consumer(env):
    return subprocess.Popen(
        [sys.executable, "manage.py", "process_index_queue", "--forever", "--batch-size", "1", "--interval", "0.05"],
        cwd=ROOT,
        env={**env, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_consumer_killed_mid_batch_finishes_on_restart_with_nothing_missing_or_twice(tmp_path):
    env = sqlite_env(tmp_path)
    manage(env, "migrate", "--noinput")
    manage(env, "rebuild_index", "--noinput")  # a complete (empty) index: the consumer never creates one
    manage(env, "import_transcripts", str(SAMPLE), "--sidecars", "transcripts/demo/metadata")
    manage(env, "generate_corpus", "--turns", "2000", "--people", "60")
    queued_at_start = run_worker(env, "index-state")["queued"]
    assert queued_at_start > 30  # an event's task covers its ~60 turns: one event per batch
    remaining = queued_at_start
    for delay in (0.0, 0.15, 0.4):
        consumer = _start_consumer(env)
        line = consumer.stdout.readline()  # the first batch has been applied
        assert "applied" in line, line + consumer.stderr.read()
        time.sleep(delay)
        consumer.send_signal(signal.SIGKILL)  # no cleanup of any kind: as a power cut would
        consumer.wait(timeout=30)
        state = run_worker(env, "index-state")
        assert 0 < state["queued"] < remaining, "the kill must land while work remains"
        remaining = state["queued"]
    manage(env, "process_index_queue")  # restarted: drains what the killed ones left
    state = run_worker(env, "index-state")
    assert state["queued"] == 0
    assert state["duplicated"] == []
    assert state["index_turns"] == state["db_turns"] and len(state["db_turns"]) > 2000
    assert state["index_events"] == state["db_events"] and state["index_people"] == state["db_people"]


# The database locked or unreachable ---------------------------------------------------


def test_locked_database_gives_a_503_page_and_a_failed_write_leaves_nothing(tmp_path):
    manage(sqlite_env(tmp_path), "migrate", "--noinput")
    report = run_worker(production_env(tmp_path), "locked-database")
    assert report["read_while_locked"]["status"] == 503
    assert report["confirm_while_locked"]["status"] == 503
    for response in (report["read_while_locked"], report["confirm_while_locked"]):
        assert response["retry_after"] == "10"
        assert "busy for a moment" in response["body"] and "Traceback" not in response["body"]
    assert report["after_failed_confirm"] == report["before"], "the failed import left a trace"
    assert report["retry_status"] == 302
    assert report["after_retry"]["events"] == report["before"]["events"] + 1


def test_unreachable_database_gives_a_503_page(tmp_path):
    report = run_worker(
        production_env(tmp_path, DATABASE_URL="postgres://verbatim:wrong@127.0.0.1:9/verbatim"), "unreachable-database"
    )
    for url, response in report.items():
        assert response["status"] == 503, url
        assert "busy for a moment" in response["body"] and "Traceback" not in response["body"], url
        assert response["retry_after"] == "10"


def test_oversize_post_body_gets_a_friendly_400_page(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post("/admin/login/", {"username": "x" * 5000, "password": "y"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "larger than this site accepts" in html and "Split the transcript" in html


# The worker side ----------------------------------------------------------------------


def _response(response) -> dict:
    return {
        "status": response.status_code,
        "retry_after": response.headers.get("Retry-After"),
        "body": response.content.decode(),
    }


def _database_counts() -> dict:
    from transcripts.models import Event, Person, Turn
    from transcripts.search.models import IndexTask

    return {
        "events": Event.objects.count(),
        "turns": Turn.objects.count(),
        "people": Person.objects.count(),
        "tasks": IndexTask.objects.count(),
    }


def _locked_database():
    """Stage an upload, then confirm it while another process holds the SQLite file
    exclusively: 503, and nothing of the import is stored; confirmed again once the
    lock is gone, it imports."""
    import sqlite3

    from django.conf import settings
    from django.contrib.auth.models import User
    from django.db import connections
    from django.test import Client

    from tests.staff.test_admin_support import form_data, upload

    connections["default"].settings_dict["OPTIONS"]["timeout"] = 0.5  # seconds a query waits for the lock
    from transcripts.operations.imports import import_transcript

    import_transcript(SAMPLE.read_text(), status="published")
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.create_superuser("boss", "boss@example.org", "pw-123456789"))
    upload(client, pasted="LAGON: Welcome to the second panel.\n\nKARA: Thank you, Mark.\n", title="Second Panel")
    from transcripts.models import PendingUpload

    review = client.get(f"/admin/transcripts/event/upload/{PendingUpload.objects.get().token}/")
    confirm = {**form_data(review), "action": "confirm"}
    before = _database_counts()
    connections.close_all()
    holder = sqlite3.connect(settings.DATABASES["default"]["NAME"], isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        read = client.get("/events/")
        confirmed = client.post(review.request["PATH_INFO"], confirm)
    finally:
        holder.close()
    after = _database_counts()
    retry = client.post(review.request["PATH_INFO"], confirm)
    return {
        "before": before,
        "read_while_locked": _response(read),
        "confirm_while_locked": _response(confirmed),
        "after_failed_confirm": after,
        "retry_status": retry.status_code,
        "after_retry": _database_counts(),
    }


def _unreachable_database():
    from django.test import Client

    client = Client(raise_request_exception=False)
    return {url: _response(client.get(url)) for url in ("/", "/events/", "/events/some-panel/", "/search/?q=trade")}


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    import django
    import django.conf

    django.setup()
    from django.test.utils import override_settings, setup_test_environment

    from transcripts.devtools.loadtest import index_state

    setup_test_environment()  # responses carry their context, as under pytest
    role = sys.argv[1]
    work = {
        "index-state": index_state,
        "locked-database": _locked_database,
        "unreachable-database": _unreachable_database,
    }[role]
    # Debug is off, but these workers have not run collectstatic: plain static URLs.
    with override_settings(
        STORAGES={
            **django.conf.settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ):
        print(json.dumps(work()))
