"""transcripts/progress.py: plain periodic lines when not on a terminal, tqdm on one."""

import io
import re

from transcripts import progress as progress_module
from transcripts.progress import progress


def test_without_a_terminal_a_plain_line_every_n_items_and_a_closing_count():
    stream = io.StringIO()
    seen = list(progress(range(250), total=250, desc="Importing", stream=stream, every_items=100, every_seconds=1e9))
    assert seen == list(range(250))
    lines = stream.getvalue().splitlines()
    assert len(lines) == 3
    assert [re.match(r"Importing: ([\d,]+)/250 \(", line).group(1) for line in lines] == ["100", "200", "250"]
    assert re.search(r"\([\d,.]+/s, \d+ s elapsed, about \d+ s left\)$", lines[0])
    assert "left" not in lines[-1]  # nothing is left at the end
    assert "\r" not in stream.getvalue()


def test_without_a_terminal_a_line_when_enough_time_has_passed(monkeypatch):
    clock = iter([0.0, 0.5, 20.0, 20.5, 21.0, 21.0])
    monkeypatch.setattr(progress_module.time, "monotonic", lambda: next(clock))
    stream = io.StringIO()
    list(progress("abcd", total=None, desc="Exporting", stream=stream, every_items=1000, every_seconds=10))
    assert stream.getvalue().splitlines() == [
        "Exporting: 2 (0.1/s, 20 s elapsed)",
        "Exporting: 4 (0.2/s, 21 s elapsed)",
    ]


def test_an_empty_iterable_prints_nothing():
    stream = io.StringIO()
    assert list(progress([], total=0, desc="Nothing", stream=stream)) == []
    assert stream.getvalue() == ""


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_on_a_terminal_a_tqdm_bar_with_counts_rate_and_time_left():
    stream = FakeTerminal()
    assert list(progress(range(30), total=30, desc="Importing", stream=stream)) == list(range(30))
    output = stream.getvalue()
    assert "\r" in output  # redrawn in place
    assert re.search(r"Importing: 100%.*30/30 \[[\d:]+<[\d:]+", output)


def test_django_output_wrappers_are_unwrapped_so_lines_are_not_doubled():
    from django.core.management.base import OutputWrapper

    inner = io.StringIO()
    list(progress(range(3), total=3, desc="Go", stream=OutputWrapper(inner), every_items=1))
    assert inner.getvalue().count("\n") == 3 and "\n\n" not in inner.getvalue()


def test_items_can_count_for_several_units_of_the_total():
    stream = io.StringIO()
    list(
        progress(
            [60, 60, 60, 20],
            total=200,
            desc="Turns",
            stream=stream,
            size=lambda n: n,
            every_items=100,
            every_seconds=1e9,
        )
    )
    assert [line.split(" (")[0] for line in stream.getvalue().splitlines()] == ["Turns: 120/200", "Turns: 200/200"]


def test_import_transcripts_of_a_folder_prints_progress_lines(tmp_path, db):
    from django.core.management import call_command

    for n in range(3):
        (tmp_path / f"p{n}.txt").write_text(f"Panel {n}\n\nJanuary {n + 1}, 2021\n\nSMITH: Hi.\n\nJONES: Yes.\n")
    out, err = io.StringIO(), io.StringIO()
    call_command("import_transcripts", str(tmp_path), stdout=out, stderr=err)
    assert out.getvalue().count(": created panel-") == 3
    assert re.search(r"^Importing files: 3/3 \([\d.,]+/s, \d+ s elapsed\)$", err.getvalue(), re.MULTILINE)


def test_generate_corpus_prints_progress_in_turns(db):
    from django.core.management import call_command

    out, err = io.StringIO(), io.StringIO()
    call_command("generate_corpus", "--turns", "120", "--people", "20", stdout=out, stderr=err)
    assert re.search(r"^Generated \d+ events with 120 turns", out.getvalue(), re.MULTILINE)
    assert re.search(r"^Generating turns: 120/120 \(", err.getvalue(), re.MULTILINE)
