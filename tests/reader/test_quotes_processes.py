"""Quote location gives the same answer in every server process. Python orders sets of words
by hash, and the hash seed changes with each process; each case runs in fresh interpreters
with different seeds. Kept apart from test_quotes.py, which mutation testing runs for every
change to quotes.py: starting interpreters costs seconds."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

EQUAL_STRETCHES = """
from types import SimpleNamespace
from transcripts.reader.quotes import locate_quote
lorem = " ".join(["lorem ipsum dolor sit amet consectetur adipiscing elit"] * 150)
corrected = "the harbour master signed each cargo manifest before dawn"
turn = SimpleNamespace(public_id="t", position=1, paragraphs=[" ".join([lorem, corrected, lorem, corrected, lorem])])
quote = "the harbour master signed every cargo manifest before dawn"
where = locate_quote([turn], public_id="t", position=None, text=quote)
print(where.how, where.spans[0].start == len(lorem) + 1)
"""


def test_in_a_long_turn_the_first_of_two_equal_stretches_wins_in_every_process():
    # Python orders a set of words differently in each process (hash seeds): which stretch is
    # marked must not follow that order, or two servers would mark different passages.
    for seed in range(6):
        env = {**os.environ, "PYTHONHASHSEED": str(seed)}
        done = subprocess.run(
            [sys.executable, "-c", EQUAL_STRETCHES], env=env, capture_output=True, text=True, cwd=ROOT
        )
        assert done.stdout.split() == ["near", "True"], (seed, done.stderr[-2000:])
