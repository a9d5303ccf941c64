"""A deleted index is never silently replaced by a partial one: the consumer
refuses to create an index, keeps the queue, and search answers 503 until rebuild_index
has built a complete index."""

import io
import os
import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.search.test_faults import (  # noqa: F401
    _delete_directory,
    _delete_link,
    _fresh_reader,
    _live_index_dir,
    indexed_sample,
)
from transcripts.operations.edits import edit_turn
from transcripts.search import indexing
from transcripts.search.management.commands.process_index_queue import (
    Command as ProcessIndexQueue,
)
from transcripts.search.models import IndexTask

pytestmark = pytest.mark.django_db


def total(client, query="trafficking") -> tuple[int, int | None]:
    response = client.get("/api/search/", {"q": query})
    return response.status_code, response.json().get("total")


def edit_a_turn(event):
    turn = event.turns.exclude(text__icontains="traffick").order_by("position").first()
    edit_turn(turn, paragraphs=["Now this turn talks about trafficking and cobalt."])


@pytest.mark.parametrize("damage", [_delete_directory, _delete_link])
def test_the_consumer_never_builds_a_partial_index(indexed_sample, client, damage):
    status, complete = total(client)
    assert status == 200 and complete == 26
    try:
        damage(_live_index_dir())
        _fresh_reader()
        assert total(client)[0] == 503
        edit_a_turn(indexed_sample)
        queued = IndexTask.objects.count()
        with pytest.raises(indexing.IndexUnavailable, match="rebuild_index --noinput"):
            indexing.process_batch()
        with pytest.raises(CommandError, match="missing or unreadable.*rebuild_index --noinput"):
            call_command("process_index_queue", stdout=io.StringIO())
        # Before the fix the consumer made a fresh index holding only this turn: 200, total 1.
        assert not os.path.exists(indexing.backend().path)
        assert total(client)[0] == 503
        assert IndexTask.objects.filter(attempts=0, set_aside_at=None).count() == queued > 0
    finally:
        call_command("rebuild_index", "--noinput", stdout=io.StringIO())
    assert total(client) == (200, complete + 1)
    assert IndexTask.objects.count() == 0


def test_the_forever_consumer_waits_for_a_rebuild_and_says_so_once(indexed_sample, monkeypatch):
    shutil.rmtree(_live_index_dir())
    _fresh_reader()
    edit_a_turn(indexed_sample)
    command, out, err = ProcessIndexQueue(), io.StringIO(), io.StringIO()
    command.stdout.write, command.stderr.write = out.write, err.write
    polls = []

    def pause(seconds):  # stands for the wait between polls: rebuild after the second one, stop after four
        polls.append(seconds)
        if len(polls) == 2:
            call_command("rebuild_index", "--noinput", stdout=io.StringIO())
        command.stopping = len(polls) >= 4

    monkeypatch.setattr(command, "_pause", pause)
    monkeypatch.setattr("signal.signal", lambda *args: None)
    command.handle(forever=True, interval=0.01, batch_size=500, retry_set_aside=False)
    assert err.getvalue().count("Index queue: waiting. The search index is missing or unreadable") == 1
    assert "rebuild_index --noinput" in err.getvalue()
    assert "Index queue: the index is back; applying queued work." in out.getvalue()
    assert IndexTask.objects.count() == 0
