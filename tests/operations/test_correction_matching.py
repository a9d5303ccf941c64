"""Corrections that change many turns: matched in near-linear time, before the import's
write transaction, and every turn that is still there keeps its public id (quote links
depend on it). Transcripts are generated here."""

import random
import time
from unittest import mock

import pytest
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from transcripts.models import Event
from transcripts.operations import imports as importer
from transcripts.operations.imports import import_transcript
from transcripts.turn_matching import match_turns

WORDS = ["river", "delta", "flood", "levee", "silt", "estuary", "basin", "tide", "marsh", "channel", "current", "bank"]


def statement(n: int) -> str:
    rng = random.Random(n)
    return f"Statement {n}: " + " ".join(rng.choice(WORDS) for _ in range(30)) + "."


def hearing(texts) -> str:
    turns = "\n\n".join(f"{'LEE' if n % 2 else 'PARK'}: {text}" for n, text in enumerate(texts))
    return f"---\ntitle: The Long Hearing\ndate: 2022-03-01\n---\n\n{turns}\n"


def ids_by_position(event) -> list[str]:
    return list(event.turns.order_by("position").values_list("public_id", flat=True))


@pytest.mark.django_db
def test_two_thousand_changed_turns_are_matched_in_seconds_and_keep_their_ids():
    texts = [statement(n) for n in range(2000)]
    event = import_transcript(hearing(texts)).event
    before = ids_by_position(event)
    corrected = [text.replace("Statement", "Remark", 1) for text in texts]  # every turn changed
    started = time.process_time()  # CPU time: the machine may be busy with other work
    result = import_transcript(hearing(corrected))
    elapsed = time.process_time() - started
    assert result.action == "updated" and result.diff.changed == 2000
    assert result.diff.added == result.diff.removed == 0
    assert ids_by_position(Event.objects.get()) == before
    assert elapsed < 5, elapsed


@pytest.mark.django_db
def test_a_mixed_correction_keeps_every_surviving_turns_id():
    texts = [statement(n) for n in range(300)]
    event = import_transcript(hearing(texts)).event
    before = dict(zip(texts, ids_by_position(event)))
    corrected = [t.replace("Statement", "Remark", 1) if n % 3 else t for n, t in enumerate(texts)]
    del corrected[100]  # a removed turn
    corrected.insert(200, "A new remark nobody made before about something else entirely.")
    result = import_transcript(hearing(corrected))
    assert (result.diff.changed, result.diff.added, result.diff.removed) == (199, 1, 1)
    after = ids_by_position(Event.objects.get())
    survivors = [n for n in range(300) if n != 100]
    expected = [before[texts[n]] for n in survivors]
    assert [i for n, i in enumerate(after) if n != 200] == expected
    assert before[texts[100]] not in after


@pytest.mark.django_db(transaction=True)
def test_turns_are_matched_before_the_write_transaction():
    texts = [statement(n) for n in range(40)]
    import_transcript(hearing(texts))
    seen = []
    real = importer.diff_turns

    def recording(old, new):
        seen.append(connection.in_atomic_block)
        return real(old, new)

    with mock.patch.object(importer, "diff_turns", recording):
        result = import_transcript(hearing([t.replace("Statement", "Remark", 1) for t in texts]))
    assert result.diff.changed == 40 and seen == [False]


keys = st.lists(st.tuples(st.sampled_from(["LEE", "PARK"]), st.sampled_from(WORDS[:5])), max_size=30)


@settings(max_examples=100, deadline=None)
@given(keys, keys)
def test_matching_pairs_each_turn_at_most_once_in_order_of_equal_stretches(old, new):
    pairs = match_turns(old, new)
    olds, news = [i for i, _ in pairs], [j for _, j in pairs]
    assert len(set(olds)) == len(olds) and len(set(news)) == len(news)
    assert all(0 <= i < len(old) and 0 <= j < len(new) for i, j in pairs)
    # Every turn of an identical transcript is itself.
    assert sorted(match_turns(old, old)) == [(i, i) for i in range(len(old))]
