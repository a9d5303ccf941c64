"""The benchmark (`manage.py benchmark`) and the bulk corpus (`generate_corpus --bulk`).

The end-to-end runs use a tiny corpus and check the table's shape (its figures are not
checked here); the growth fit, the row registry and the bulk writer are checked exactly."""

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from search_helpers import process_queue, search_index, searchable_sample  # noqa: F401

from transcripts.devtools.benchmark import (
    ROW_PROVIDERS,
    Benchmark,
    Row,
    format_growth,
    growth_exponent,
    register_rows,
)
from transcripts.devtools.corpus import generate_transcripts, write_corpus_in_bulk
from transcripts.models import Appearance, Event, EventRevision, Person, Turn
from transcripts.operations.imports import import_transcript
from transcripts.search.models import IndexTask
from transcripts.snapshots import EventSnapshot

ROOT = Path(__file__).resolve().parents[2]


def _benchmark(*args, timeout=900):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["DJANGO_DEBUG"] = "1"
    return subprocess.run(
        [sys.executable, "manage.py", "benchmark", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_benchmark_runs_on_a_tiny_corpus_and_writes_json(tmp_path):
    out = tmp_path / "bench.json"
    result = _benchmark(
        "--turns",
        "150",
        "--repeat",
        "2",
        "--ingest-turns",
        "60",
        "--workdir",
        str(tmp_path / "bench"),
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    table = result.stdout
    assert "cold med" in table and "cold p95" in table
    for name in (
        "ingest: whole corpus",
        "ingest: one 63-turn transcript",
        "ingest: 60 turns through the importer",
        "ingest: index queue applying those 60 turns",
        "rebuild_index",
        "search view: phrase",
        "search backend: misspelling",
        "reference FTS5: rare word",
        "page: event (150 turns)",
        "page: home",
        "memory: server worker peak RSS",
    ):
        assert name in table, name
    data = json.loads(out.read_text())
    rows = {row["name"]: row for row in data["rows"]}
    assert rows["search backend: common word"]["ratio"] > 0
    assert len(rows["search view: common word"]["cold"]) == 2  # cold runs beside the warm ones
    assert rows["search view: common word"]["target"] == "p95 ≤ 60 ms"
    assert rows["search view: speaker filter"]["target"] == "p95 ≤ 40 ms"  # the speaker filter's lower target
    assert rows["page: event (150 turns)"]["extra"]["queries"] > 0
    assert rows["rebuild_index (full, from the database)"]["extra"]["index_mb"] > 0
    assert rows["rebuild_index (full, from the database)"]["target"] == "≤ 60 s"
    # The rebuild's own process, measured from its start (not the benchmark's whole life).
    rebuild_rss = rows["rebuild_index: peak RSS of its process"]
    assert 20 < rebuild_rss["median"] < 1000 and rebuild_rss["target"] == "≤ 150 MB"
    assert all(row["runs"] >= 1 and row["p95"] >= row["median"] for row in data["rows"])


def test_growth_with_a_bulk_corpus_prints_an_exponent_per_measure(tmp_path):
    out = tmp_path / "growth.json"
    result = _benchmark(
        "--growth",
        "120,360",
        "--bulk",
        "--repeat",
        "2",
        "--skip",
        "ingest,memory",
        "--workdir",
        str(tmp_path),
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    growth = result.stdout.split("Growth:", 1)[1].split("At 120 turns:", 1)[0]
    assert "120 turns" in growth and "360 turns" in growth
    lines = {line.split("  ")[0]: line for line in growth.splitlines()}
    for name in (
        "corpus: written in bulk (parse+store, no index)",
        "search view: common word",
        "page: home",
        "rebuild_index (full, from the database)",
    ):
        assert name in lines, name
        float(lines[name].split()[-1])  # the exponent k, last on the line
    runs = json.loads(out.read_text())["growth"]
    assert [run["turns"] for run in runs] == [120, 360]
    assert (tmp_path / "bench-360-1").is_dir()  # each size keeps its own corpus


def test_growth_exponent_is_the_slope_of_log_time_on_log_turns():
    assert growth_exponent([10_000, 30_000, 100_000], [5.0, 15.0, 50.0]) == pytest.approx(1.0)
    assert growth_exponent([10_000, 40_000, 160_000], [10.0, 20.0, 40.0]) == pytest.approx(0.5)
    assert growth_exponent([1, 10], [3.0, 3.0]) == pytest.approx(0.0)
    assert growth_exponent([100], [3.0]) is None


def test_growth_table_pairs_rows_by_name_and_uses_cold_figures():
    def run(turns, view_cold, rate):
        return {
            "turns": turns,
            "rows": [
                {"name": "search view: x", "unit": "ms", "median": 1.0, "cold_median": view_cold},
                {"name": "ingest: store", "unit": "turns/s", "median": rate, "cold_median": None},
                {"name": f"only at {turns}", "unit": "ms", "median": 1.0, "cold_median": None},
            ],
        }

    table = format_growth([run(100_000, 40.0, 500.0), run(10_000, 4.0, 500.0)])
    lines = {line.split("  ")[0]: line.split() for line in table.splitlines()[2:]}
    assert set(lines) == {"search view: x", "ingest: store"}
    assert lines["search view: x"][-1] == "1.00"  # ten times the turns, ten times the (cold) time
    assert lines["ingest: store"][-1] == "0.00"  # a steady rate: time per turn does not grow


def test_registered_row_providers_add_rows():
    import transcripts.devtools.benchmark_rows  # noqa: F401  the project's own providers, registered once

    seen = []
    kept = list(ROW_PROVIDERS)
    ROW_PROVIDERS.clear()  # only this test's provider runs (the project's read the database)

    @register_rows
    def parse_times(benchmark):
        seen.append(benchmark)
        return [Row("parse: sample file", "ms", [2.0, 3.0])]

    bench = Benchmark(turns=10, seed=1, repeat=1, log=print)
    try:
        bench.extra_rows()
    finally:
        ROW_PROVIDERS[:] = kept
    assert seen == [bench]
    assert [(row.name, row.median) for row in bench.rows] == [("parse: sample file", 2.5)]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--growth", "10000,lots"], "--growth takes corpus sizes"),
        (["--growth", "10000"], "at least two positive corpus sizes"),
        (["--skip", "serch"], "unknown part(s) serch"),
    ],
)
def test_bad_benchmark_options_get_a_clear_message(args, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call_command("benchmark", *args)


@pytest.mark.django_db
def test_bulk_corpus_writes_what_an_import_would_and_no_index_tasks():
    existing = import_transcript(next(generate_transcripts(60, seed=4)), status="published").event
    people_before = set(Person.objects.values_list("name", flat=True))

    written = write_corpus_in_bulk(600, seed=4, batch=3)

    texts = list(generate_transcripts(600, seed=4))
    assert written == {"events": len(texts), "turns": 600}
    assert Turn.objects.count() == 600 + existing.turns.count()
    assert not IndexTask.objects.exclude(object_id=existing.pk).exists()  # rebuild_index indexes them
    # People are matched by name, as the importer does: no second record for a known name.
    names = list(Person.objects.values_list("name", flat=True))
    assert len(names) == len(set(names)) and people_before <= set(names)
    for event in Event.objects.exclude(pk=existing.pk):
        assert event.status == "published" and event.description_html.startswith("<p>")
        assert event.turns.filter(word_count__gt=0).count() == event.turns.count()
        assert event.revisions.get().snapshot == EventSnapshot.from_event(event).to_json()
    assert EventRevision.objects.count() == len(texts) + 1
    assert Appearance.objects.filter(role="questioner").exists()
    # Importing one of the same files afterwards finds it already stored.
    assert import_transcript(texts[1], status="published").action == "unchanged"


def test_parse_rows_cover_every_file_and_a_refused_one_does_not_stop_the_run(tmp_path):
    """A corpus file the parser refuses gets a row saying so; the files around it are timed."""
    from transcripts.devtools.benchmark import corpus_parse_rows

    sample = ROOT / "tests" / "fixtures"
    readable = next(p for p in sorted(sample.glob("*.txt")) if p.stat().st_size > 200)
    (tmp_path / "good.txt").write_bytes(readable.read_bytes())
    (tmp_path / "refused.txt").write_text("no speakers here, only a sentence.\n", encoding="utf-8")
    (tmp_path / "truth.json").write_text(json.dumps({"refused.txt": {}, "good.txt": {}}), encoding="utf-8")
    rows = {row.name: row for row in corpus_parse_rows(tmp_path, repeat=1)}
    assert list(rows) == ["parse: refused.txt", "parse: good.txt"]
    assert "refused" in rows["parse: refused.txt"].extra and rows["parse: refused.txt"].extra["turns"] == 0
    assert rows["parse: good.txt"].extra["turns"] > 0 and "refused" not in rows["parse: good.txt"].extra


@pytest.mark.django_db
def test_the_check_and_card_rows_time_real_requests(searchable_sample):
    from transcripts.devtools.benchmark_rows import altered_quotes, card_rows, check_rows

    bench = Benchmark(turns=10, seed=1, repeat=2, log=print)
    quotes = altered_quotes(seed=1, count=6)
    assert len(quotes) == 6 and all(len(q.split()) in (11, 12) for q in quotes)
    rows = check_rows(bench) + card_rows(bench)
    assert [row.name for row in rows] == [
        "check: an altered quote (/api/check/)",
        "reference FTS5: a quote's candidates",
        "card: a quote's image (1200 × 630 PNG)",
    ]
    check, reference, card = rows
    assert all(len(row.cold) == 2 and row.median > 0 for row in (check, card))
    # The check is measured against FTS5 finding the same quotes' candidates in the same run.
    assert len(reference.samples) == 2 and check.reference == pytest.approx(statistics.median(reference.samples))
    assert check.ratio == pytest.approx(check.cold_median / check.reference)


def test_past_100000_turns_the_targets_are_those_of_a_million_turn_archive():
    from transcripts.devtools.benchmark import QUERIES, target_for

    for view in QUERIES:
        assert target_for("view", 1_000_000, view) == "p95 ≤ 100 ms"
    assert (target_for("rebuild", 1_000_000), target_for("memory", 1_000_000)) == ("≤ 15 min", "≤ 200 MB")
    assert target_for("view", 100_000, "common word") == "p95 ≤ 60 ms"
    assert target_for("view", 100_000, "speaker filter") == "p95 ≤ 40 ms"
    assert (target_for("rebuild", 100_000), target_for("memory", 100_000)) == ("≤ 60 s", "≤ 150 MB")
