"""How much work each search view does, counted rather than timed, on two checkouts side by
side: Python function calls (cProfile) and SQL queries per request, and CPU time
(`time.process_time()`) per request over many requests in rounds that alternate the sides.

Wall-clock on a shared two-core machine spreads by up to 2× between runs of the same code;
call and query counts barely move (ten calls in 75,000), so they settle "does the view do
more work" where timing cannot. CPU time is reported too, with its spread, as the check that the
counted work is the work that costs.

Run it with the checkout whose code this is, naming each side as LABEL=CHECKOUT:VARDIR,
the checkout's corpus (a VERBATIM_VAR_DIR made by `migrate`, `collectstatic`,
`generate_corpus --bulk` and `rebuild_index`, or by `manage.py benchmark --workdir`); the
other checkout needs nothing of this file (docs/performance.md has the whole recipe):

    taskset -c 1 .venv/bin/python transcripts/devtools/search_profile.py \\
        --side before=/tmp/before:/tmp/ba3-before --side after=.:/tmp/ba3-after

Each side is measured in a child process started in its checkout with the benchmark's
settings (debug off, so templates are cached as in production). Before each request the
caches a cold request finds empty are cleared: Django's cache and the search results
kept in the process; with --after-update the index generation moves on too, as before the
benchmark's cold runs. The queries are the benchmark's (QUERIES, below). The report ends
with the functions whose call counts differ most between the sides: where to look.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

# The fixed query mix, the benchmark's too; "{speaker}" is the corpus's busiest panelist or
# presider. Kept here, free of Django, so that a checkout measured is asked exactly these
# whatever its own benchmark asks.
QUERIES = {
    "common word": {"q": "trafficking"},
    "rare word": {"q": "vacatur"},
    "phrase": {"q": '"forced labor"'},
    "speaker filter": {"q": "survivors", "speaker": "{speaker}"},
    "facets+highlight": {"q": "human rights"},
    "misspelling": {"q": "traffiking"},
}
ADDRESS = re.compile(r" at 0x[0-9a-f]+")  # a built-in's repr names where its type lives in memory
SETTINGS_ENV = {
    "DJANGO_DEBUG": "0",
    "VERBATIM_DEVTOOLS": "1",
    "SECURE_SSL_REDIRECT": "0",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "DJANGO_SETTINGS_MODULE": "archive.settings",
}


# --- in the child: one checkout, one corpus -------------------------------------------------
def clear_caches(after_update: bool) -> None:
    """What a cold request finds: Django's cache empty, and no search result kept in the
    process; with `after_update` also a new index generation (one turn re-indexed through the
    queue), which empties whatever is kept per generation."""
    from django.core.cache import cache

    if after_update:
        from transcripts.models import Turn
        from transcripts.search.indexing import process_queue
        from transcripts.search.queue import TURN, enqueue

        enqueue(TURN, [Turn.objects.filter(event__status="published").values_list("pk", flat=True).first()])
        process_queue()
    cache.clear()
    try:
        from transcripts.search.engine import RESULTS
    except ImportError:  # a checkout without the in-process results cache
        return
    RESULTS.clear()


def busiest_speaker() -> str:
    from django.db.models import Count

    from transcripts.models import Person, Role

    top = (
        Person.objects.filter(appearances__role__in=[Role.PANELIST, Role.PRESIDER])
        .annotate(n=Count("appearances__turns"))
        .order_by("-n")
        .values_list("slug", flat=True)
        .first()
    )
    return top or ""


def view_params(speaker: str) -> dict[str, dict[str, str]]:
    return {name: {k: v.format(speaker=speaker) for k, v in params.items()} for name, params in QUERIES.items()}


def count_request(client, params: dict, root: str, after_update: bool) -> dict:
    """One cold GET /search/: its status, the SQL queries it ran, and its Python function
    calls (cProfile), in all and per function ("path:name", path relative to `root`)."""
    import cProfile
    import pstats

    from django.db import connection

    clear_caches(after_update)
    queries: list[str] = []

    def record(execute, sql, *args):
        queries.append(sql)
        return execute(sql, *args)

    profiler = cProfile.Profile()
    # Counted by a wrapper: the test client's request_started signal empties connection.queries.
    with connection.execute_wrapper(record):
        profiler.enable()
        response = client.get("/search/", params)
        profiler.disable()
    stats = pstats.Stats(profiler)
    functions: dict[str, int] = {}
    for (path, _line, name), (_primitive, calls, *_rest) in stats.stats.items():
        key = f"{_short_path(path, root)}:{ADDRESS.sub('', name)}"
        functions[key] = functions.get(key, 0) + calls
    return {
        "status": response.status_code,
        "calls": stats.total_calls,
        "queries": len(queries),
        "sql": queries,
        "functions": functions,
    }


def _short_path(path: str, root: str) -> str:
    """A function's file as both checkouts name it: the same library or project file
    compares equal wherever each side's copy is."""
    if path == __file__:  # this file's own wrapper, which both sides run from here
        return Path(path).name
    if "site-packages/" in path:
        return path.split("site-packages/", 1)[1]
    if path.startswith(root):
        return path[len(root) :].lstrip("/")
    return path.rsplit("/lib/python", 1)[-1] if "/lib/python" in path else path


def cpu_times(client, params: dict, requests: int, after_update: bool) -> list[float]:
    """Milliseconds of this process's CPU time for each of `requests` cold GETs."""
    import time

    samples = []
    for _ in range(requests):
        clear_caches(after_update)
        started = time.process_time()
        client.get("/search/", params)
        samples.append((time.process_time() - started) * 1000)
    return samples


def measure(what: str, requests: int, after_update: bool) -> dict:
    """In a child whose working directory is the checkout: `what` is "counts" or "cpu"."""
    import django

    django.setup()
    from django.test import Client

    client = Client()
    views = view_params(busiest_speaker())
    for params in views.values():  # warm: imports, templates, stemmer caches, the open index
        for _ in range(2):
            clear_caches(after_update)
            client.get("/search/", params)
    if what == "counts":
        return {name: count_request(client, params, os.getcwd(), after_update) for name, params in views.items()}
    return {name: cpu_times(client, params, requests, after_update) for name, params in views.items()}


# --- in the parent: the sides, the rounds, the table ----------------------------------------
def run_side(side: dict, what: str, requests: int, after_update: bool) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SEARCH_URL"}}
    env.update(SETTINGS_ENV, VERBATIM_VAR_DIR=str(side["var"]))
    env.setdefault("SECRET_KEY", "profile-only-key-" + "x" * 40)
    command = [sys.executable, str(Path(__file__).resolve()), "--child", what, "--requests", str(requests)]
    command += ["--after-update"] if after_update else []
    done = subprocess.run(command, cwd=side["checkout"], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{side['label']}: the measuring process failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def parse_side(text: str) -> dict:
    label, _, rest = text.partition("=")
    checkout, _, var = rest.partition(":")
    if not (label and checkout and var):
        raise argparse.ArgumentTypeError(
            f"a side is LABEL=CHECKOUT:VARDIR, e.g. before=/tmp/before:/tmp/ba3-before; got {text!r}"
        )
    checkout_path, var_path = Path(checkout).resolve(), Path(var).resolve()
    if not (checkout_path / "manage.py").is_file():
        raise argparse.ArgumentTypeError(f"{checkout_path} holds no manage.py: name a checkout of Verbatim.")
    if not var_path.is_dir():
        raise argparse.ArgumentTypeError(f"{var_path} is not a directory: name the corpus's VERBATIM_VAR_DIR.")
    return {"label": label, "checkout": checkout_path, "var": var_path}


def compare(sides: list[dict], rounds: int, requests: int, after_update: bool = False) -> dict:
    """Counts once per side (they do not vary), then CPU time in `rounds` rounds, the order
    of the sides alternating each round so neither always runs on a warmer machine."""
    counts = {side["label"]: run_side(side, "counts", requests, after_update) for side in sides}
    cpu: dict[str, list[dict]] = {side["label"]: [] for side in sides}
    for number in range(rounds):
        for side in sides if number % 2 == 0 else sides[::-1]:
            cpu[side["label"]].append(run_side(side, "cpu", requests, after_update))
            print(f"round {number + 1}/{rounds}: {side['label']} measured", file=sys.stderr)
    return {"counts": counts, "cpu": cpu}


def format_report(result: dict, top: int) -> str:
    counts, cpu = result["counts"], result["cpu"]
    (first, second) = list(counts)[:2]
    lines = [
        f"| search view | calls {first} | calls {second} | ÷ | queries {first} | queries {second} "
        f"| CPU ms {first} | CPU ms {second} | CPU ÷ (rounds: median, min–max) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for view in counts[first]:
        a, b = counts[first][view], counts[second][view]
        medians = [[statistics.median(r[view]) for r in cpu[label]] for label in (first, second)]
        cells = [f"{a['calls']:,}", f"{b['calls']:,}", f"{b['calls'] / a['calls']:.3f}"]
        cells += [str(a["queries"]), str(b["queries"])]
        if medians[0] and medians[1]:
            ratios = [y / x for x, y in zip(*medians)]
            cells += [f"{statistics.median(medians[0]):.1f}", f"{statistics.median(medians[1]):.1f}"]
            cells.append(f"{statistics.median(ratios):.2f} ({min(ratios):.2f}–{max(ratios):.2f})")
        else:
            cells += ["", "", ""]
        status = "" if a["status"] == b["status"] == 200 else f" (status {a['status']} / {b['status']})"
        lines.append(f"| {view}{status} | " + " | ".join(cells) + " |")
    if top:
        lines += ["", f"Functions whose calls differ most, all views together ({second} − {first}):"]
        lines += _function_differences(counts[first], counts[second], top)
    return "\n".join(lines)


def _function_differences(first: dict, second: dict, top: int) -> list[str]:
    totals: dict[str, list[int]] = {}
    for side, views in enumerate((first, second)):
        for view in views.values():
            for name, calls in view["functions"].items():
                totals.setdefault(name, [0, 0])[side] += calls
    changed = sorted(((b - a, name) for name, (a, b) in totals.items() if a != b), key=lambda d: -abs(d[0]))
    return [f"  {difference:+7d}  {name}" for difference, name in changed[:top]]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--side", type=parse_side, action="append", default=[], help="LABEL=CHECKOUT:VARDIR (twice)")
    parser.add_argument("--rounds", type=int, default=6, help="CPU-time rounds per side (0: counts only)")
    parser.add_argument("--requests", type=int, default=40, help="cold requests per view per round")
    parser.add_argument("--top", type=int, default=25, help="functions listed whose call counts differ")
    parser.add_argument("--out", type=Path, help="also write every figure as JSON here")
    parser.add_argument(
        "--after-update",
        action="store_true",
        help="before each request also move the index generation on (one turn re-indexed), as the "
        "benchmark's cold runs do; the update itself is neither counted nor timed",
    )
    parser.add_argument("--child", choices=["counts", "cpu"], help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.child:
        # Started in the checkout measured: its code, not this file's, answers the requests.
        sys.path[0] = os.getcwd()
        print(json.dumps(measure(options.child, options.requests, options.after_update)))
        return
    if len(options.side) != 2:
        parser.error("name two sides: --side before=CHECKOUT:VARDIR --side after=CHECKOUT:VARDIR")
    result = compare(options.side, options.rounds, options.requests, options.after_update)
    print(format_report(result, options.top))
    if options.out:
        for side in options.side:
            side["checkout"], side["var"] = str(side["checkout"]), str(side["var"])
        options.out.write_text(json.dumps({"sides": options.side, **result}, indent=1) + "\n")


if __name__ == "__main__":
    main()
