"""rebuild_index --if-missing (run by `make serve`): builds the index on a new server,
where the consumer never creates one, and leaves an existing index alone."""

import io

import pytest
from django.core.management import call_command

from tests.search.test_faults import _delete_link, _fresh_reader, _live_index_dir, indexed_sample  # noqa: F401
from transcripts.search import indexing

pytestmark = pytest.mark.django_db


def test_if_missing_builds_an_index_when_there_is_none(indexed_sample, client):
    _delete_link(_live_index_dir())
    _fresh_reader()
    assert not indexing.index_exists()
    assert client.get("/api/search/", {"q": "trafficking"}).status_code == 503
    out = io.StringIO()
    call_command("rebuild_index", "--noinput", "--if-missing", stdout=out)
    # The operator is a speaker of the event, not a person.
    assert f"Indexed {indexing.turns_to_index()} turns, 1 events and 9 people in" in out.getvalue()
    assert indexing.index_exists()
    response = client.get("/api/search/", {"q": "trafficking"})
    assert response.status_code == 200 and response.json()["total"] == 26


def test_if_missing_leaves_an_existing_index_alone(indexed_sample):
    before = indexing.backend().generation()
    out = io.StringIO()
    call_command("rebuild_index", "--noinput", "--if-missing", stdout=out)
    assert out.getvalue().strip() == "The search index exists; nothing to do (--if-missing)."
    assert indexing.backend().generation() == before  # not rebuilt: the same build and generation
