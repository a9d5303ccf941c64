"""rebuild_index reports progress: a tqdm bar on a terminal, plain periodic
lines elsewhere."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from search_helpers import make_event, search_engine, search_index, searchable_sample  # noqa: F401

from transcripts.search.management.commands.rebuild_index import PlainProgress


class FakeClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_plain_lines_come_at_most_every_interval_with_count_rate_and_time_left():
    clock, lines = FakeClock(), []
    progress = PlainProgress(1000, lines.append, every=10, clock=clock)
    clock.now += 4
    progress.update(100)  # 4 s in: too soon for a line
    clock.now += 6
    progress.update(100)  # 10 s in
    clock.now += 5
    progress.update(300)  # 15 s: 5 s since the last line, too soon
    clock.now += 5
    progress.update(300)  # 20 s
    clock.now += 1
    progress.update(200)  # done: always said
    assert lines == [
        "Indexed 200 of 1,000 turns (20%), 20 turns/s, about 40 s left",
        "Indexed 800 of 1,000 turns (80%), 40 turns/s, about 5 s left",
        "Indexed 1,000 of 1,000 turns (100%), 48 turns/s",
    ]


def test_an_empty_archive_says_nothing_odd():
    lines = []
    PlainProgress(0, lines.append, every=10, clock=FakeClock()).update(0)
    assert lines == ["Indexed 0 of 0 turns, 0 turns/s"]


@pytest.mark.django_db
@pytest.mark.usefixtures("search_engine")
def test_rebuild_index_writes_plain_progress_lines_when_not_on_a_terminal(searchable_sample):
    make_event(
        "Second Panel",
        date=datetime.date(2020, 2, 1),
        turns=[("Cy Calm", "panelist", "Words about lithium."), ("Di Dune", "panelist", "Words about sand.")],
    )
    out = io.StringIO()  # not a terminal
    call_command("rebuild_index", "--noinput", "--progress-every", "0", stdout=out)
    lines = out.getvalue().splitlines()
    progress = [line for line in lines if line.startswith("Indexed ") and " of 65 turns" in line]
    done = [re.match(r"Indexed ([\d,]+) of 65 turns", line).group(1) for line in progress]
    assert done in (["63", "65"], ["2", "65"])  # one line per event, in the order the database gives
    assert progress[-1].startswith("Indexed 65 of 65 turns (100%), ")
    assert "\r" not in out.getvalue() and "%|" not in out.getvalue()  # no bar
    assert lines[-1].startswith("Indexed 65 turns, 2 events and 11 people in ")  # the operator is no person
