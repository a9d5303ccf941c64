"""The benchmark behind `manage.py benchmark`: ingest, rebuild, search (view, backend, and
SQLite FTS5 as a reference measured in the same run), pages and server memory, each
reported as median and p95 over repeated runs after a warm-up.

It runs against its own database and index (var/bench-<turns>-<seed>/ by default), made
once with generate_corpus (through the importer, or in bulk) and reused, so the numbers
never touch the real archive.

Search and page figures come in two columns. Cold: before each timed run the index
generation moves on (one turn re-indexed through the queue) and Django's cache is
cleared, as after any index update; warm: the same request repeated straight after.
Targets are for cold figures.

Other parts of the project add rows with `@register_rows`: a function that takes the
Benchmark and returns Rows. The benchmark imports `<app>.benchmark_rows` for every
installed app, so that is a good home for such a function.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.utils.module_loading import autodiscover_modules

from transcripts.devtools.corpus import generate_transcripts, write_corpus_in_bulk
from transcripts.devtools.search_profile import QUERIES  # the fixed query mix
from transcripts.models import Event, Person, Role, Topic, Turn
from transcripts.operations.imports import import_transcript

SAMPLE = settings.VERBATIM_REFERENCE_SAMPLE

# The targets for the search view (cold p95); the speaker filter's is lower. Past 100,000
# turns the targets are those for an archive that has outgrown one machine (a million
# turns): every search view p95 ≤ 100 ms, a rebuild ≤ 15 minutes, a worker ≤ 200 MB.
VIEW_TARGETS = {"speaker filter": "p95 ≤ 40 ms"}
VIEW_TARGET = "p95 ≤ 60 ms"
LARGE = 100_000  # turns; above this the large-archive targets apply
LARGE_TARGETS = {"view": "p95 ≤ 100 ms", "rebuild": "≤ 15 min", "memory": "≤ 200 MB"}
SMALL_TARGETS = {"rebuild": "≤ 60 s", "memory": "≤ 150 MB"}


def target_for(what: str, turns: int, view: str = "") -> str:
    """The target of a measure at this corpus size (`view`: which search view)."""
    if turns > LARGE:
        return LARGE_TARGETS[what]
    if what == "view":
        return VIEW_TARGETS.get(view, VIEW_TARGET)
    return SMALL_TARGETS[what]


FTS_QUERIES = {
    "common word": "text : trafficking",
    "rare word": "text : vacatur",
    "phrase": 'text : "forced labor"',
    "speaker filter": 'text : survivors AND speaker : "{speaker_name}"',
    "facets+highlight": "text : (human AND rights)",
    "misspelling": "text : traffiking",
}


@dataclass
class Row:
    name: str
    unit: str
    samples: list[float] = field(repr=False)  # warm, or the only figures for one-off measures
    target: str = ""
    reference: float | None = None  # median of the reference measured in the same run
    extra: dict = field(default_factory=dict)
    cold: list[float] | None = field(default=None, repr=False)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        return _p95(self.samples)

    @property
    def cold_median(self) -> float | None:
        return statistics.median(self.cold) if self.cold else None

    @property
    def cold_p95(self) -> float | None:
        return _p95(self.cold) if self.cold else None

    @property
    def ratio(self) -> float | None:
        """To the reference, cold when measured cold (the reference has no cache to warm)."""
        mine = self.cold_median if self.cold else self.median
        return mine / self.reference if self.reference else None

    def as_dict(self) -> dict:
        data = asdict(self)
        data.update(
            median=self.median,
            p95=self.p95,
            ratio=self.ratio,
            runs=len(self.samples),
            cold_median=self.cold_median,
            cold_p95=self.cold_p95,
        )
        return data


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


# Extra row providers: functions Benchmark -> iterable of Row (see the module docstring).
ROW_PROVIDERS: list = []


def register_rows(provider):
    """Decorator: have every benchmark run call `provider(benchmark)` and add its rows."""
    if provider not in ROW_PROVIDERS:
        ROW_PROVIDERS.append(provider)
    return provider


def timed(fn, *, repeat: int, warmup: int = 2, before=None) -> list[float]:
    """Milliseconds per call of `fn`; `before` (not timed) runs ahead of each call."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        if before:
            before()
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


# Real transcripts with ground truth (see its SOURCES.md); outside the project, never copied in.
CORPUS_DIR = Path(os.environ.get("VERBATIM_CORPUS_DIR", settings.BASE_DIR.parent / "shared" / "corpus"))


def corpus_parse_rows(directory: Path = CORPUS_DIR, repeat: int = 5) -> list[Row]:
    """One row per corpus file: read_upload + parse_transcript time; bytes and turns as notes."""
    import json

    from transcripts.parsing import ParseError, parse_transcript, read_upload

    rows = []
    names = json.loads((directory / "truth.json").read_text(encoding="utf-8"))  # the transcripts, not the notes
    for path in (directory / name for name in names):
        data = path.read_bytes()
        found = {}

        def once(data=data, name=path.name, found=found):
            try:
                found["turns"] = len(parse_transcript(read_upload(data, name)[0]).turns)
            except ParseError as error:
                # A file the parser refuses is timed up to its refusal and says so: the
                # corpus holds files the parser does not read yet, and they must not stop the run.
                found["refused"] = str(error).splitlines()[0][:200]

        samples = timed(once, repeat=repeat, warmup=1)
        extra = {"bytes": len(data), "turns": found.get("turns", 0)}
        if "refused" in found:
            extra["refused"] = found["refused"]
        rows.append(Row(f"parse: {path.name}", "ms", samples, target="≤ 1000 ms", extra=extra))
    return rows


def drain_queue() -> int:
    from transcripts.search.indexing import process_queue

    return process_queue()


class Benchmark:
    def __init__(self, turns: int, seed: int, repeat: int, log, bulk: bool = False):
        self.turns, self.seed, self.repeat, self.log, self.bulk = turns, seed, repeat, log, bulk
        self.rows: list[Row] = []
        self.client = Client()
        self._fresh_rebuild: list[float] = []  # the rebuild that indexed a bulk corpus just made
        self._rebuild_peak_mb = 0.0  # the rebuilding process's own peak RSS

    def parse_corpus(self) -> None:
        if not CORPUS_DIR.is_dir():
            self.log(f"parse: skipped, no corpus at {CORPUS_DIR} (set VERBATIM_CORPUS_DIR)")
            return
        self.rows.extend(corpus_parse_rows(CORPUS_DIR, repeat=max(3, min(self.repeat, 10))))

    # --- corpus ------------------------------------------------------------------------
    def ensure_corpus(self) -> None:
        have = Turn.objects.count()
        if have >= self.turns * 0.98:
            self.log(f"corpus: reusing {have} turns in {Event.objects.count()} events")
            if not self._index_holds_turns():
                # That rebuild is the rebuild row's figure (a second one at a million turns
                # would take as long again). Also a corpus measured on another engine.
                self._fresh_rebuild = self._rebuild_with_every_core()
            return
        how = "in bulk" if self.bulk else "through the importer"
        self.log(f"corpus: generating {self.turns} turns (seed {self.seed}) {how}…")
        Event.objects.all().delete()
        Person.objects.all().delete()
        Topic.objects.all().delete()
        # A complete (empty) index to start from: the queue consumer never creates one.
        from transcripts.search.indexing import rebuild

        rebuild()
        started = time.perf_counter()
        if self.bulk:
            made = write_corpus_in_bulk(self.turns, seed=self.seed)["turns"]
            seconds = time.perf_counter() - started
            self.rows.append(
                Row(
                    "corpus: written in bulk (parse+store, no index)",
                    "turns/s",
                    [made / seconds],
                    extra={"turns": made, "seconds": round(seconds, 1)},
                )
            )
            self._fresh_rebuild = self._rebuild_with_every_core()
        else:
            made = 0
            for number, text in enumerate(generate_transcripts(self.turns, seed=self.seed), start=1):
                made += import_transcript(text, status="published").event.turns.count()
                if number % 20 == 0:  # the consumer keeps up as it would beside a live importer
                    drain_queue()
            drain_queue()
            seconds = time.perf_counter() - started
            self.rows.append(
                Row(
                    "ingest: whole corpus (parse+store+index)",
                    "turns/s",
                    [made / seconds],
                    extra={"turns": made, "seconds": round(seconds, 1)},
                )
            )
        self.log(f"corpus: {made} turns in {time.perf_counter() - started:.0f} s")

    def _index_holds_turns(self) -> bool:
        from haystack.exceptions import SearchBackendError
        from haystack.query import SearchQuerySet

        from transcripts.search.indexing import backend

        # Counting every turn is no reader's search: on a busy machine it outlasts the
        # readers' time limit, and a corpus whose index is complete was rebuilt for nothing.
        unlimited = getattr(backend(), "without_time_limit", contextlib.nullcontext)
        try:
            with unlimited():
                return SearchQuerySet().models(Turn).count() >= Turn.objects.count() * 0.98
        except SearchBackendError:  # no index yet
            return False

    # --- measurements ------------------------------------------------------------------
    def ingest_sample(self) -> None:
        sample = SAMPLE.read_text(encoding="utf-8")
        counter = iter(range(10_000))

        def once():
            text = sample.replace(
                "Combating Human Trafficking and Modern Slavery\n", f"Benchmark Ingest {next(counter)}\n", 1
            )
            import_transcript(text, status="published")
            drain_queue()

        try:
            samples = timed(once, repeat=max(5, self.repeat // 3), warmup=1)
        finally:
            self._delete_events("Benchmark Ingest")
        self.rows.append(Row("ingest: one 63-turn transcript, end to end", "ms", samples, target="≤ 500 ms"))

    def ingest_batch(self, turns: int = 3000) -> None:
        """Store rate (the importer, as generate_corpus runs it) and index rate (the queue
        consumer applying what was stored), both on top of the corpus, so they show how
        ingest grows with the archive."""
        texts = [
            re.sub(r"^title: (.*)$", r"title: Benchmark Batch \1", text, count=1, flags=re.M)
            for text in generate_transcripts(turns, seed=self.seed + 7)
        ]
        try:
            started = time.perf_counter()
            for text in texts:
                import_transcript(text, status="published", note="generate_corpus")
            stored = time.perf_counter() - started
            started = time.perf_counter()
            drain_queue()
            indexed = time.perf_counter() - started
        finally:
            self._delete_events("Benchmark Batch")
        self.rows.append(
            Row(
                f"ingest: {turns} turns through the importer (store)",
                "turns/s",
                [turns / stored],
                target="≥ 1,000 turns/s",
                extra={"seconds": round(stored, 1)},
            )
        )
        self.rows.append(
            Row(
                f"ingest: index queue applying those {turns} turns",
                "turns/s",
                [turns / indexed],
                extra={"seconds": round(indexed, 1)},
            )
        )

    def _delete_events(self, title_prefix: str) -> None:
        for event in Event.objects.filter(title__startswith=title_prefix):
            event.delete()
        drain_queue()

    def rebuild(self) -> None:
        """The one step allowed every core: rebuild_index runs a Whoosh writer process per
        core it may use (search and pages are measured on one core)."""
        # A bulk corpus was just indexed by a full rebuild: that one counts (at a million
        # turns a second rebuild would take as long again).
        samples = self._fresh_rebuild or self._rebuild_with_every_core(repeat=3 if self.turns <= 30_000 else 1)
        database = Path(settings.DATABASES["default"]["NAME"])
        extra = {"cores": os.cpu_count() or 1, "database_mb": round(_size_mb(database), 1)}
        index_path = settings.HAYSTACK_CONNECTIONS["default"].get("PATH")
        if index_path:
            extra["index_mb"] = round(_size_mb(Path(index_path)), 1)
        extra.update(_cluster_index_mb())
        if self._rebuild_peak_mb:
            extra["process_peak_rss_mb"] = round(self._rebuild_peak_mb, 1)
        target = target_for("rebuild", self.turns)
        self.rows.append(Row("rebuild_index (full, from the database)", "ms", samples, target=target, extra=extra))
        if self._rebuild_peak_mb:
            # What the rebuild holds in Python: it reads the turns event by event, so this
            # stays flat as the archive grows (Whoosh's writer processes are not in it).
            self.rows.append(
                Row(
                    "rebuild_index: peak RSS of its process",
                    "MB",
                    [self._rebuild_peak_mb],
                    target=target_for("memory", self.turns),
                )
            )

    def _rebuild_with_every_core(self, repeat: int = 1) -> list[float]:
        from transcripts.search.indexing import rebuild

        pinned = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
        try:
            if pinned is not None:
                os.sched_setaffinity(0, range(os.cpu_count() or 1))
            _reset_peak_rss()
            samples = timed(rebuild, repeat=repeat, warmup=0)
            self._rebuild_peak_mb = max(self._rebuild_peak_mb, _peak_rss_mb(os.getpid()))
            return samples
        finally:
            if pinned is not None:
                os.sched_setaffinity(0, pinned)

    def invalidate(self) -> None:
        """What an index update does to caches: the index generation moves on (one turn
        re-indexed through the queue) and Django's cache is emptied."""
        from transcripts.search.queue import TURN, enqueue

        enqueue(TURN, [Turn.objects.filter(event__status="published").values_list("pk", flat=True).first()])
        drain_queue()
        cache.clear()

    def search(self) -> None:
        from transcripts.search.engine import run_turn_search
        from transcripts.search.filters import SearchFilters

        top = (
            Person.objects.filter(appearances__role__in=[Role.PANELIST, Role.PRESIDER])
            .annotate(n=Count("appearances__turns"))
            .order_by("-n")
            .values("slug", "name")
            .first()
        )
        reference, reference_hits = self.fts_reference(top["name"])
        for name, params in QUERIES.items():
            params = {k: v.format(speaker=top["slug"]) for k, v in params.items()}
            filters = SearchFilters(speaker=params.get("speaker", ""))

            def backend_search():
                return run_turn_search(params["q"], filters, limit=20, with_facets=True, with_suggestion=True)

            def view():
                return self._get("/search/", params)

            found = backend_search()
            self.rows.append(
                Row(
                    f"search view: {name}",
                    "ms",
                    timed(view, repeat=self.repeat),
                    target=target_for("view", self.turns, name),
                    cold=timed(view, repeat=self.repeat, warmup=0, before=self.invalidate),
                )
            )
            self.rows.append(
                Row(
                    f"search backend: {name}",
                    "ms",
                    timed(backend_search, repeat=self.repeat),
                    target="≤ 5× FTS5",
                    reference=statistics.median(reference[name]),
                    cold=timed(backend_search, repeat=self.repeat, warmup=0, before=self.invalidate),
                    extra={"hits": found.total, **({"suggestion": found.suggestion} if found.suggestion else {})},
                )
            )
            self.rows.append(
                Row(f"reference FTS5: {name}", "ms", reference[name], extra={"hits": reference_hits[name]})
            )

    def fts_reference(self, speaker_name: str) -> tuple[dict[str, list[float]], dict[str, int]]:
        """SQLite FTS5 over the same published turns, in memory: match, rank (bm25),
        snippets for the first page, the total, and speaker, event and year facet counts,
        the work the search backend does (it also counts topics and checks spelling)."""
        db = self.fts_database()
        samples, hits = {}, {}
        for name, match in FTS_QUERIES.items():
            match = match.format(speaker_name=speaker_name.replace('"', '""'))

            def once():
                db.execute(
                    "SELECT rowid, snippet(fts, 0, '<mark>', '</mark>', '…', 30) FROM fts "
                    "WHERE fts MATCH ? ORDER BY rank LIMIT 20",
                    (match,),
                ).fetchall()
                for column in ("speaker", "event", "year"):
                    db.execute(
                        f"SELECT {column}, count(*) FROM fts WHERE fts MATCH ? GROUP BY {column} "
                        "ORDER BY 2 DESC LIMIT 12",
                        (match,),
                    ).fetchall()
                total = db.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", (match,)).fetchone()[0]
                _fts_spelling(db, QUERIES[name]["q"])
                return total

            hits[name] = once()
            samples[name] = timed(once, repeat=self.repeat)
        return samples, hits

    def fts_database(self) -> sqlite3.Connection:
        """SQLite FTS5 over the published turns, in memory, built once per run: the
        reference the search rows (and others, see benchmark_rows) are measured against."""
        if getattr(self, "_fts", None) is None:
            db = sqlite3.connect(":memory:")
            db.execute(
                "CREATE VIRTUAL TABLE fts USING fts5(text, speaker, event UNINDEXED, year UNINDEXED, "
                "tokenize='porter unicode61 remove_diacritics 2')"
            )
            rows = Turn.objects.filter(event__status="published").values_list(
                "id", "text", "appearance__person__name", "event_id", "event__date__year"
            )
            db.executemany(
                "INSERT INTO fts(rowid, text, speaker, event, year) VALUES (?, ?, ?, ?, ?)",
                rows.iterator(chunk_size=5000),
            )
            db.execute("CREATE VIRTUAL TABLE vocab USING fts5vocab(fts, 'row')")
            db.commit()
            self._fts = db
        return self._fts

    def pages(self) -> None:
        event = self._event_with_turns(150)
        person = (
            Person.objects.annotate(n=Count("appearances__turns")).filter(n__gte=1000).order_by("n").first()
            or Person.objects.annotate(n=Count("appearances__turns")).order_by("-n").first()
        )
        topic = Topic.objects.annotate(n=Count("events")).order_by("-n").first()
        # Names stay the same at every corpus size (the growth table pairs rows by name).
        pages = [
            ("page: event (150 turns)", event.get_absolute_url(), "≤ 30 ms, ≤ 10 queries", {}),
            (
                "page: person (≥ 1,000 turns)",
                person.get_absolute_url(),
                "≤ 40 ms",
                {"turns": person.appearances.aggregate(n=Count("turns"))["n"]},
            ),
            ("page: topic (most events)", topic.get_absolute_url(), "≤ 40 ms", {"events": topic.events.count()}),
            ("page: home", "/", "≤ 30 ms", {}),
        ]
        for name, url, target, extra in pages:
            queries = []
            # Counted by a wrapper: the test client's request_started signal empties connection.queries.
            with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
                self._get(url)
            self.rows.append(
                Row(
                    name,
                    "ms",
                    timed(lambda: self._get(url), repeat=self.repeat),
                    target=target,
                    cold=timed(lambda: self._get(url), repeat=self.repeat, warmup=0, before=cache.clear),
                    extra={"queries": len(queries), **extra},
                )
            )

    def extra_rows(self) -> None:
        """Rows from the providers other parts of the project registered."""
        autodiscover_modules("benchmark_rows")
        for provider in ROW_PROVIDERS:
            self.rows.extend(provider(self))

    def _event_with_turns(self, count: int) -> Event:
        existing = Event.objects.filter(title__startswith="Benchmark Event of").first()
        if existing:
            return existing
        text = next(generate_transcripts(count, seed=self.seed + 1, per_event=(count, count)))
        text = re.sub(r"^title: .*$", f"title: Benchmark Event of {count} turns", text, count=1, flags=re.M)
        event = import_transcript(text, status="published").event
        drain_queue()
        return event

    def memory(self, workdir: Path) -> None:
        """Peak RSS of a gunicorn worker (one, synchronous) after serving the page and search mix."""
        port = 8765
        env = dict(os.environ, VERBATIM_VAR_DIR=str(workdir))
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "archive.wsgi",
                "--workers",
                "1",
                "--bind",
                f"127.0.0.1:{port}",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            urls = ["/", "/events/", "/search/?q=trafficking", "/search/?q=%22forced+labor%22", "/search/?q=traffiking"]
            urls += [e.get_absolute_url() for e in Event.objects.order_by("?")[:20]]
            speakers = Person.objects.filter(appearances__event__status="published").distinct()
            urls += [p.get_absolute_url() for p in speakers.order_by("?")[:20]]
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read()
                    break
                except OSError:
                    time.sleep(0.3)
            failures = []
            for _ in range(3):
                for url in urls:
                    try:
                        urllib.request.urlopen(f"http://127.0.0.1:{port}{url}", timeout=30).read()
                    except urllib.error.HTTPError as exc:
                        failures.append(f"{url} {exc.code}")
            children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
            peaks = [_peak_rss_mb(int(pid)) for pid in children] or [_peak_rss_mb(server.pid)]
        finally:
            server.terminate()
            server.wait(timeout=20)
        target = target_for("memory", self.turns)
        self.rows.append(
            Row(
                "memory: server worker peak RSS",
                "MB",
                [max(peaks)],
                target=target,
                extra={"errors": len(failures)} if failures else {},
            )
        )
        if failures:
            self.log("memory: these requests failed: " + ", ".join(sorted(set(failures))[:10]))

    def alignment(self) -> None:
        from django.conf import settings

        corpus = Path(settings.BASE_DIR).parent / "shared" / "corpus"
        rows = alignment_rows(corpus, self.repeat)
        if not rows:
            self.log(f"alignment: skipped, the shared corpus is not at {corpus}")
        self.rows.extend(rows)

    def _get(self, url: str, params: dict | None = None):
        response = self.client.get(url, params or {}, HTTP_HOST="127.0.0.1")
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} {params or ''} answered {response.status_code}")
        return response


def alignment_rows(corpus: Path, repeat: int) -> list[Row]:
    """The captions alignment harness (transcripts/devtools/alignment_harness.py) on the corpus debate:
    how many turns it times, how far from the truth, and how long a long event takes."""
    from transcripts.devtools import alignment_harness as harness

    if harness.corpus_files(corpus) is None:
        return []
    runs = [harness.run(corpus, seed=seed) for seed in range(1, max(repeat, 1) + 1)]
    first = runs[0]
    what = {
        "turns": first.turns,
        "caption_words": first.caption_words,
        "changed_or_dropped_percent": first.changed_or_dropped_percent,
        "missing_seconds": 60,
    }
    return [
        Row("alignment: turns timed (noisy captions)", "%", [r.coverage_percent for r in runs], extra=what),
        Row("alignment: turns within 2 s of the truth", "%", [r.within_2s_percent for r in runs], target="≥ 95%"),
        Row("alignment: start error, median", "s", [r.median_error for r in runs]),
        Row("alignment: start error, p95", "s", [r.p95_error for r in runs]),
        Row(
            "alignment: align a 111-minute event",
            "ms",
            [r.align_seconds * 1000 for r in runs],
            target="90 min < 2 s",
            extra={"caption_words": first.caption_words},
        ),
    ]


def _fts_spelling(db, query: str) -> dict[str, str]:
    """The reference's "did you mean": each query word missing from the FTS5 vocabulary
    is compared with the known terms that share its first letter (edit distance ≤ 2,
    most documents first), the work Whoosh's corrector does for the backend."""
    from transcripts.search.text import stem  # Porter, as FTS5's porter tokenizer

    fixes = {}
    for word in re.findall(r"\w+", query.lower()):
        term = stem(word)
        if db.execute("SELECT 1 FROM vocab WHERE term = ?", (term,)).fetchone():
            continue
        candidates = db.execute(
            "SELECT term, doc FROM vocab WHERE term >= ? AND term < ? AND length(term) BETWEEN ? AND ?",
            (term[0], term[0] + "\uffff", len(term) - 2, len(term) + 2),
        ).fetchall()
        close = [(-docs, known) for known, docs in candidates if _edit_distance(term, known) <= 2]
        if close:
            fixes[word] = min(close)[1]
    return fixes


def _edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _reset_peak_rss() -> None:
    """Start this process's peak RSS (VmHWM) again from its current RSS (Linux 4.0+;
    elsewhere the peak stays the process's whole life's)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _cluster_index_mb() -> dict:
    """On OpenSearch, the index's size on the cluster's disks: its primaries, and with
    every copy (replicas included)."""
    from haystack import connections

    backend = connections["default"].get_backend()
    if not hasattr(backend, "indices_behind_alias"):
        return {}
    store = backend.conn.indices.stats(index=backend.index_name, metric="store")["_all"]
    return {
        "index_mb": round(store["primaries"]["store"]["size_in_bytes"] / 2**20, 1),
        "index_mb_all_copies": round(store["total"]["store"]["size_in_bytes"] / 2**20, 1),
    }


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _size_mb(path: Path) -> float:
    path = path.resolve()
    if path.is_file():
        return path.stat().st_size / 2**20
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20 if path.exists() else 0.0


def format_table(rows: list[Row]) -> str:
    header = (
        f"{'measure':<52} {'cold med':>9} {'cold p95':>9} {'median':>9} {'p95':>9} {'unit':<8} {'ratio':>7}  "
        f"{'target':<22} note"
    )
    lines = [header, "-" * len(header)]
    for row in rows:
        ratio = f"{row.ratio:.2f}×" if row.ratio else ""
        cold = f"{row.cold_median:>9.1f} {row.cold_p95:>9.1f}" if row.cold else f"{'':>9} {'':>9}"
        note = ", ".join(f"{k}={v}" for k, v in row.extra.items())
        lines.append(
            f"{row.name:<52} {cold} {row.median:>9.1f} {row.p95:>9.1f} {row.unit:<8} {ratio:>7}  "
            f"{row.target:<22} {note}"
        )
    return "\n".join(lines)


def growth_exponent(sizes: list[int], times: list[float]) -> float | None:
    """k in time ∝ turns^k: the least-squares slope of log(time) on log(turns)."""
    points = [(math.log(n), math.log(t)) for n, t in zip(sizes, times) if n > 0 and t and t > 0]
    if len(points) < 2:
        return None
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / spread if spread else None


def format_growth(runs: list[dict]) -> str:
    """One line per measure found at every size: the (cold, if measured) median at each
    size and the growth exponent k. For rates (turns/s) k is of the time per turn."""
    runs = sorted(runs, key=lambda run: run["turns"])
    sizes = [run["turns"] for run in runs]
    by_size = [{row["name"]: row for row in run["rows"]} for run in runs]
    names = [name for name in by_size[0] if all(name in rows for rows in by_size)]
    header = f"{'measure':<52} " + " ".join(f"{f'{n:,} turns':>14}" for n in sizes) + f" {'k':>6}"
    lines = [header, "-" * len(header)]
    for name in names:
        rows = [rows[name] for rows in by_size]
        values = [row["cold_median"] if row.get("cold_median") is not None else row["median"] for row in rows]
        times = [1 / v if v and rows[0]["unit"] == "turns/s" else v for v in values]
        k = growth_exponent(sizes, times)
        cells = " ".join(f"{v:>10.1f} {rows[0]['unit'][:3]:<3}" for v in values)
        lines.append(f"{name:<52} {cells} {f'{k:.2f}' if k is not None else '':>6}")
    return "\n".join(lines)
