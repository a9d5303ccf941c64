"""The search views' work counter (transcripts/devtools/search_profile.py): what it counts
for one request, the table it prints, and the sides it refuses."""

import argparse
from pathlib import Path

import pytest
from search_helpers import process_queue, search_index, searchable_sample  # noqa: F401

from transcripts.devtools.search_profile import count_request, format_report, parse_side
from transcripts.search.engine import RESULTS

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_one_request_is_counted_cold(client, searchable_sample):
    RESULTS.set("kept-from-before", 1)  # a result the counted request must not find
    counted = count_request(client, {"q": "trafficking"}, root=str(ROOT), after_update=False)
    assert counted["status"] == 200
    assert counted["queries"] == len(counted["sql"]) >= 2  # the queue's hidden events, the hits' turns
    assert any('FROM "transcripts_turn"' in sql for sql in counted["sql"])
    assert counted["functions"]["transcripts/search/highlight.py:snippet"] >= 1
    assert counted["calls"] >= sum(counted["functions"].values()) > 0
    assert RESULTS.get("kept-from-before") is None


def test_the_report_divides_after_by_before():
    def side(calls, queries, functions):
        return {"status": 200, "calls": calls, "queries": queries, "sql": [], "functions": functions}

    counts = {
        "before": {"common word": side(1000, 6, {"a.py:f": 10, "b.py:g": 5})},
        "after": {"common word": side(950, 5, {"a.py:f": 4, "b.py:g": 5, "c.py:h": 1})},
    }
    cpu = {
        "before": [{"common word": [10.0, 12.0]}, {"common word": [20.0]}],
        "after": [{"common word": [11.0]}, {"common word": [10.0]}],
    }
    report = format_report({"counts": counts, "cpu": cpu}, top=5)
    assert "| common word | 1,000 | 950 | 0.950 | 6 | 5 | 15.5 | 10.5 | 0.75 (0.50–1.00) |" in report
    assert report.splitlines()[-2:] == ["       -6  a.py:f", "       +1  c.py:h"]


def test_a_side_must_name_a_checkout_and_a_corpus(tmp_path):
    with pytest.raises(argparse.ArgumentTypeError, match="a side is LABEL=CHECKOUT:VARDIR"):
        parse_side("before")
    with pytest.raises(argparse.ArgumentTypeError, match="holds no manage.py"):
        parse_side(f"before={tmp_path}:{tmp_path}")
    (tmp_path / "manage.py").touch()
    with pytest.raises(argparse.ArgumentTypeError, match="is not a directory"):
        parse_side(f"before={tmp_path}:{tmp_path / 'missing'}")
    assert parse_side(f"after={tmp_path}:{tmp_path}")["label"] == "after"
