"""The benchmark runs end to end on a tiny corpus and prints its table (its figures are not checked here)."""
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_benchmark_runs_on_a_tiny_corpus_and_writes_json(tmp_path):
    out = tmp_path / "bench.json"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["DJANGO_DEBUG"] = "1"
    result = subprocess.run(
        [sys.executable, "manage.py", "benchmark", "--turns", "150", "--repeat", "2",
         "--workdir", str(tmp_path / "bench"), "--out", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    table = result.stdout
    for name in ("ingest: one 63-turn transcript", "rebuild_index", "search view: phrase", "search backend: misspelling",
                 "reference FTS5: rare word", "page: event (150 turns)", "page: home", "memory: server worker peak RSS"):
        assert name in table, name
    data = json.loads(out.read_text())
    rows = {row["name"]: row for row in data["rows"]}
    assert rows["search backend: common word"]["ratio"] > 0
    assert rows["page: event (150 turns)"]["extra"]["queries"] > 0
    assert all(row["runs"] >= 1 and row["p95"] >= row["median"] for row in data["rows"])
