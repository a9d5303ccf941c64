"""The load test behind `manage.py loadtest`: gunicorn (4 workers, production settings)
and the index consumer on a private copy of the site in a temporary directory, many
readers on search and event pages while an editor imports transcripts through the
admin (upload -> preview -> confirm), for a fixed time, loopback only.

It reports requests per second, p50/p95 latency, 5xx responses and lock errors (both
must be zero), then checks that the index holds exactly the database's published turns.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings

ROOT = settings.BASE_DIR  # the project root, where manage.py is
LOCK_ERRORS = re.compile(r"database is locked|LockError|deadlock detected", re.I)
QUERIES = [
    "trafficking",
    "forced labor",
    '"supply chains"',
    "survivors OR victims",
    "speaker:lagon",
    "trade -china",
    "climate",
    "election security",
    "refugees",
    "sanctions",
    "migration",
    "human rights",
    "ukraine",
]
EDITOR = ("loadtest-editor", secrets.token_urlsafe(16))


# Talking HTTP ---------------------------------------------------------------------------


class Browser:
    """One keep-alive connection with a cookie jar (the site's cookies are Secure, which
    http.cookiejar would not send over loopback HTTP)."""

    def __init__(self, port: int):
        self.port, self.cookies, self.connection = port, {}, None

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, dict, str]:
        headers = {"Host": "127.0.0.1", "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = urlencode(form, doseq=True) if form is not None else None
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):  # a worker may close an idle keep-alive connection
            try:
                self.connection = self.connection or http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.HTTPException, ConnectionError):
                self.connection = None
                if attempt == 2:
                    raise
        for header in response.headers.get_all("Set-Cookie") or ():
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, dict(response.headers), text


class FormReader(HTMLParser):
    """The named fields of one form on a page, as a browser would submit them."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.fields, self._select, self._textarea = form_id, False, [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside or not a.get("name") and tag != "option":
            return
        if tag == "input" and a.get("type") not in ("submit", "button", "file", "image"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self.fields.append((a["name"], a.get("value", "on" if a.get("type") == "checkbox" else "")))
        elif tag == "select":
            self._select = [a["name"], None, None]  # name, first option, selected option
        elif tag == "option" and self._select:
            value = a.get("value", "")
            self._select[1] = value if self._select[1] is None else self._select[1]
            self._select[2] = value if "selected" in a else self._select[2]
        elif tag == "textarea":
            self._textarea = [a["name"], ""]

    def handle_data(self, data):
        if self._textarea:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select:
            name, first, chosen = self._select
            self.fields.append((name, chosen if chosen is not None else first or ""))
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields.append(tuple(self._textarea))
            self._textarea = None


def form_fields(html: str, form_id: str) -> dict:
    reader = FormReader(form_id)
    reader.feed(html)
    fields: dict = {}
    for name, value in reader.fields:
        fields.setdefault(name, []).append(value)
    return fields


# The two kinds of user -------------------------------------------------------------------


@dataclass
class Tally:
    latencies: list = field(default_factory=list)
    server_errors: list = field(default_factory=list)
    lock_errors: int = 0
    imports: int = 0
    lock = threading.Lock()

    def record(self, what: str, status: int, body: str, seconds: float):
        with self.lock:
            self.latencies.append(seconds)
            if status >= 500:
                self.server_errors.append(f"{status} {what}")
            if LOCK_ERRORS.search(body):
                self.lock_errors += 1


def timed(browser: Browser, tally: Tally, method: str, path: str, form=None):
    started = time.perf_counter()
    status, headers, body = browser.request(method, path, form)
    tally.record(f"{method} {path[:80]}", status, body, time.perf_counter() - started)
    return status, headers, body


def reader(port: int, slugs: list[str], stop: threading.Event, tally: Tally, seed: int):
    rng, browser = random.Random(seed), Browser(port)
    while not stop.is_set():
        if rng.random() < 0.6:
            timed(browser, tally, "GET", "/search/?" + urlencode({"q": rng.choice(QUERIES)}))
        else:
            timed(browser, tally, "GET", f"/events/{rng.choice(slugs)}/")


def editor(port: int, stop: threading.Event, tally: Tally, errors: list):
    """Log in to the admin, then upload, preview and confirm transcripts until told to stop
    (an import under way is finished first)."""
    from transcripts.devtools.corpus import generate_transcripts

    browser = Browser(port)
    _, _, page = browser.request("GET", "/admin/login/")
    login = form_fields(page, "login-form")
    status, _, _ = browser.request(
        "POST", "/admin/login/?next=/admin/", {**login, "username": EDITOR[0], "password": EDITOR[1]}
    )
    if status != 302:
        errors.append(f"editor could not log in ({status})")
        return
    for number, text in enumerate(generate_transcripts(10**6, seed=7, per_event=(30, 60)), start=1):
        if stop.is_set():
            break
        _, _, page = timed(browser, tally, "GET", "/admin/transcripts/event/upload/")
        upload = {**form_fields(page, "upload_form"), "text": text, "title": f"Load test panel {number}"}
        status, headers, body = timed(browser, tally, "POST", "/admin/transcripts/event/upload/", upload)
        if status != 302:
            errors.append(f"upload {number} answered {status}")
            continue
        review_path = headers["Location"]
        _, _, page = timed(browser, tally, "GET", review_path)
        status, _, _ = timed(
            browser,
            tally,
            "POST",
            review_path,
            {**form_fields(page, "review_form"), "status": "published", "action": "confirm"},
        )
        if status == 302:
            tally.imports += 1
        else:
            errors.append(f"confirm {number} answered {status}")


# Running the site -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_env(var_dir: Path, database_url: str = "") -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    env.update(
        VERBATIM_VAR_DIR=str(var_dir),
        DJANGO_SETTINGS_MODULE="archive.settings",
        DJANGO_DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        PYTHONPATH=str(ROOT),
        DJANGO_SUPERUSER_PASSWORD=EDITOR[1],
        PYTHONUNBUFFERED="1",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


# Run on the private site too, whose production-like settings leave developer tools out.
DEVTOOLS_COMMANDS = {"generate_corpus", "loadtest"}


def manage(env, *args) -> str:
    if args[0] in DEVTOOLS_COMMANDS:
        env = dict(env, VERBATIM_DEVTOOLS="1")
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def wait_until_up(port: int, server: subprocess.Popen, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited at start")
        try:
            if Browser(port).request("GET", "/")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within a minute")


def event_slugs(port: int) -> list[str]:
    _, _, sitemap = Browser(port).request("GET", "/sitemap.xml")
    return sorted(set(re.findall(r"/events/([\w-]+)/</loc>", sitemap)))


def percentile(values: list[float], share: float) -> float:
    return statistics.quantiles(values, n=100)[int(share * 100) - 1] if len(values) > 1 else (values or [0])[0]


def run_until_enough(
    threads,
    reads: Tally,
    writes: Tally,
    stop: threading.Event,
    *,
    seconds: float,
    min_imports: int,
    min_reads: int,
    limit: float,
) -> str:
    """Let the users run at least `seconds`, and on until the editor has imported
    `min_imports` transcripts and the readers made `min_reads` requests: on a busy machine
    a fixed few seconds may hold no complete import, and then the run would check nothing.
    `limit` seconds in all is the hard stop. Returns why the run stopped."""
    started = time.monotonic()
    for thread in threads:
        thread.start()
    editor_thread = threads[-1]
    why = "enough"
    while True:
        elapsed = time.monotonic() - started
        if elapsed >= seconds and writes.imports >= min_imports and len(reads.latencies) >= min_reads:
            break
        if elapsed >= seconds and not editor_thread.is_alive():
            why = "editor stopped"  # it could not log in: its errors say why
            break
        if elapsed >= limit:
            why = "hard limit"
            break
        time.sleep(0.1)
    stop.set()
    for thread in threads:
        thread.join()
    return why


def run(
    seconds: float = 20,
    readers: int = 16,
    workers: int = 4,
    corpus_turns: int = 3000,
    database_url: str = "",
    out=print,
    min_imports: int = 1,
    reads_per_reader: int = 10,
    limit: float | None = None,
) -> dict:
    """`seconds` is the least the run lasts; see run_until_enough for when it stops."""
    limit = limit or max(240.0, 2 * seconds)
    min_reads = readers * reads_per_reader
    var_dir = Path(tempfile.mkdtemp(prefix="verbatim-load-"))
    env = site_env(var_dir, database_url)
    out(f"Setting up a private site in {var_dir} ...")
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    manage(env, "import_transcripts", str(settings.VERBATIM_SAMPLES_DIR), "--sidecars", "transcripts/demo/metadata")
    if corpus_turns:
        manage(env, "generate_corpus", "--turns", str(corpus_turns), "--people", "150")
    manage(env, "rebuild_index", "--noinput")
    manage(env, "createsuperuser", "--noinput", "--username", EDITOR[0], "--email", "load@example.org")
    port = free_port()
    # Open for the servers' whole lives, closed in the finally below.
    logs = {name: open(var_dir / f"{name}.log", "w+") for name in ("gunicorn", "consumer")}  # noqa: SIM115
    consumer = subprocess.Popen(
        [sys.executable, "manage.py", "process_index_queue", "--forever", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=logs["consumer"],
    )
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "archive.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
        stdout=logs["gunicorn"],
        stderr=logs["gunicorn"],
    )
    try:
        wait_until_up(port, server)
        slugs = event_slugs(port)
        out(
            f"gunicorn: {workers} workers on 127.0.0.1:{port}; {len(slugs)} events; {readers} readers and 1 editor "
            f"for at least {seconds:g} s and until {min_imports} import(s) and {min_reads} reads "
            f"(at most {limit:g} s) ..."
        )
        reads, writes, editor_errors, stop = Tally(), Tally(), [], threading.Event()
        threads = [threading.Thread(target=reader, args=(port, slugs, stop, reads, n)) for n in range(readers)]
        threads.append(threading.Thread(target=editor, args=(port, stop, writes, editor_errors)))
        started = time.monotonic()
        why = run_until_enough(
            threads, reads, writes, stop, seconds=seconds, min_imports=min_imports, min_reads=min_reads, limit=limit
        )
        elapsed = time.monotonic() - started
        if writes.imports < min_imports:
            editor_errors.append(
                f"{writes.imports} of the {min_imports} transcript(s) needed were imported in "
                f"{elapsed:.0f} s ({why}); the machine may be too busy: try a larger --seconds"
            )
    finally:
        for process in (server, consumer):
            process.send_signal(signal.SIGTERM)
        for process in (server, consumer):
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
    manage(env, "process_index_queue")  # whatever the stopped consumer had not reached
    check = json.loads(manage(env, "loadtest", "--check-index").strip().splitlines()[-1])
    logged = "".join(log.seek(0) or log.read() for log in logs.values())
    report = {
        "seconds": round(elapsed, 1),
        "requests": len(reads.latencies) + len(writes.latencies),
        "reads": len(reads.latencies),
        "reads_per_second": round(len(reads.latencies) / elapsed, 1),
        "read_p50_ms": round(percentile(reads.latencies, 0.50) * 1000, 1),
        "read_p95_ms": round(percentile(reads.latencies, 0.95) * 1000, 1),
        "imports": writes.imports,
        "import_request_p95_ms": round(percentile(writes.latencies, 0.95) * 1000, 1),
        "server_errors": len(reads.server_errors) + len(writes.server_errors),
        "lock_errors": reads.lock_errors + writes.lock_errors + len(LOCK_ERRORS.findall(logged)),
        "editor_errors": editor_errors,
        "index_matches_database": check["matches"],
        "index": check,
        "var_dir": str(var_dir),
    }
    report["ok"] = (
        report["server_errors"] == 0
        and report["lock_errors"] == 0
        and not editor_errors
        and report["index_matches_database"]
        and report["imports"] >= min_imports
    )
    return report


def index_state() -> dict:
    """The index's documents (duplicates counted) against the database's published objects."""
    from collections import Counter

    from haystack.exceptions import SearchBackendError

    from transcripts.models import Event, Person, Turn
    from transcripts.search.indexing import backend
    from transcripts.search.models import IndexTask

    try:  # every stored document: a search would fold duplicates together
        counts = Counter(fields["id"] for fields in backend()._current_searcher().reader().all_stored_fields())
    except SearchBackendError:  # not built yet: holds nothing
        counts = Counter()

    def indexed(model):
        prefix = f"transcripts.{model._meta.model_name}."
        return sorted(int(key[len(prefix) :]) for key in counts if key.startswith(prefix))

    published = Event.objects.published()
    state = {
        "queued": IndexTask.objects.count(),
        "duplicated": sorted(key for key, n in counts.items() if n > 1),
        "db_turns": sorted(Turn.objects.filter(event__in=published).values_list("pk", flat=True)),
        "index_turns": indexed(Turn),
        "db_events": sorted(published.values_list("pk", flat=True)),
        "index_events": indexed(Event),
        "db_people": sorted(set(Person.objects.filter(appearances__event__in=published).values_list("pk", flat=True))),
        "index_people": indexed(Person),
    }
    state["matches"] = (
        not state["duplicated"]
        and state["db_turns"] == state["index_turns"]
        and state["db_events"] == state["index_events"]
        and state["db_people"] == state["index_people"]
    )
    return state
