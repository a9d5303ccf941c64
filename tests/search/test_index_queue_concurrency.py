"""Writers, searchers and the queue consumer at the same time, as separate processes on a
real SQLite file and Whoosh index (as `make run` and gunicorn workers would be): no
LockError or other failure anywhere, and afterwards the index holds exactly what the
database holds. Run as a script, this file is also the worker those processes run."""

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import SAMPLE

ROOT = Path(__file__).resolve().parents[2]
MIN_OPERATIONS = 10  # each writer and searcher does at least this many operations
SECONDS = 4.0


def _env(var_dir: Path) -> dict:
    # Without DATABASE_URL: the processes share their own SQLite file in var_dir, never the
    # server DATABASE_URL names (the suite's PostgreSQL run must not write into it).
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_")) and k != "DATABASE_URL"}
    env.update(
        VERBATIM_VAR_DIR=str(var_dir), DJANGO_SETTINGS_MODULE="archive.settings", DJANGO_DEBUG="1", PYTHONPATH=str(ROOT)
    )
    return env


def _manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=True
    )


def _worker(env, role, *args):
    return subprocess.Popen(
        [sys.executable, __file__, role, *map(str, args)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_writers_and_searchers_with_the_consumer_running(tmp_path):
    env = _env(tmp_path)
    _manage(env, "migrate", "--noinput")
    _manage(env, "import_transcripts", str(SAMPLE), "--sidecars", "transcripts/demo/metadata")
    _manage(env, "rebuild_index", "--noinput")
    consumer = subprocess.Popen(
        [sys.executable, "manage.py", "process_index_queue", "--forever", "--interval", "0.05"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    workers = [_worker(env, "write", SECONDS, seed) for seed in (1, 2)]
    workers += [_worker(env, "search", SECONDS, seed) for seed in (3, 4)]
    reports = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        reports.append(json.loads(out.strip().splitlines()[-1]))
    consumer.send_signal(signal.SIGTERM)
    consumer_out, consumer_err = consumer.communicate(timeout=60)
    assert consumer.returncode == 0, consumer_err
    assert "Error" not in consumer_err and "Traceback" not in consumer_err, consumer_err
    for report in reports:
        assert report["errors"] == [], report
        assert report["done"] >= MIN_OPERATIONS, report  # each worker really worked
    assert "applied" in consumer_out  # the consumer applied work while the others ran
    _manage(env, "process_index_queue")  # whatever was still queued when it stopped
    state = json.loads(
        subprocess.run(
            [sys.executable, __file__, "verify"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    assert state["queued"] == 0
    assert state["index_turns"] == state["db_turns"] and len(state["db_turns"]) > 63 - 20
    assert state["index_events"] == state["db_events"] and state["index_people"] == state["db_people"]
    assert state["marker_hits"] == state["marker_turns"] > 0


# The worker side ---------------------------------------------------------------------


def _keep_going(deadline, done):
    """Run for the set time, and on a loaded machine a little longer, until the worker has
    done enough to count (bounded, so a stuck worker still ends)."""
    now = time.monotonic()
    return now < deadline or (done < MIN_OPERATIONS and now < deadline + 60)


def _write(seconds, seed):
    from django.db import transaction

    from transcripts.models import Event, Turn
    from transcripts.operations import effects
    from transcripts.operations.edits import delete_turns, edit_turn

    rng, done, errors = random.Random(seed), 0, []
    event = Event.objects.get()
    deadline = time.monotonic() + seconds
    while _keep_going(deadline, done):
        try:
            with transaction.atomic():
                turns = list(event.turns.all())
                turn = rng.choice(turns)
                action = rng.random()
                if action < 0.6:
                    edit_turn(turn, paragraphs=[f"Marker wobbegong{seed} edit {done}. " + turn.paragraphs[0]])
                elif action < 0.8:
                    last = max(t.position for t in turns)
                    added = Turn.objects.create(
                        event=event,
                        position=last + 1,
                        appearance=turn.appearance,
                        label=turn.label,
                        paragraphs=[f"Marker wobbegong{seed} new turn {done}."],
                        public_id=f"w{seed}n{done}{rng.randrange(10**6)}",
                    )
                    effects.queue_index(turns=[added])  # no operation adds one turn: say its effect
                elif len(turns) > 45:
                    delete_turns([turn])
            done += 1
        except Exception as exc:  # noqa: BLE001 - reported to the test
            errors.append(repr(exc))
    return {"done": done, "errors": errors}


def _search(seconds, seed):
    from transcripts.search.engine import run_turn_search
    from transcripts.search.filters import SearchFilters

    rng, done, errors = random.Random(seed), 0, []
    queries = [
        "trafficking",
        "wobbegong1",
        "wobbegong2 OR survivors",
        '"forced labor"',
        "speaker:kara cobalt",
        "marker",
    ]
    deadline = time.monotonic() + seconds
    while _keep_going(deadline, done):
        try:
            run_turn_search(
                rng.choice(queries),
                SearchFilters(sort=rng.choice(["relevance", "newest"])),
                limit=20,
                with_facets=True,
                with_suggestion=True,
            )
            done += 1
        except Exception as exc:  # noqa: BLE001 - reported to the test
            errors.append(repr(exc))
    return {"done": done, "errors": errors}


def _verify():
    import re

    from transcripts.devtools.loadtest import index_state
    from transcripts.models import Event, Turn
    from transcripts.search.engine import run_turn_search

    published = Event.objects.published()
    marker_turns = [t for t in Turn.objects.filter(event__in=published) if re.search(r"\bmarker\b", t.text, re.I)]
    return {
        **index_state(),  # queued tasks; indexed vs published turns, events and people
        "marker_turns": len(marker_turns),
        "marker_hits": run_turn_search("marker", limit=0).total,
    }


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    role, *rest = sys.argv[1:]
    if role == "verify":
        print(json.dumps(_verify()))
    else:
        print(json.dumps({"write": _write, "search": _search}[role](float(rest[0]), int(rest[1]))))
