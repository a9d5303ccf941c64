"""Only index errors become "search unavailable": a bug in the adapter is
logged and is a 500, not a 503 that would send operators rebuilding a healthy index; and
haystack's own update_index / clear_index refuse, pointing to rebuild_index."""

import logging

import pytest
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError
from search_helpers import process_queue, search_index, searchable_sample  # noqa: F401

from transcripts.search.api import find_turns
from transcripts.search.whoosh_backend import VerbatimWhooshSearchBackend

pytestmark = pytest.mark.django_db


def test_a_programming_error_in_the_adapter_is_a_logged_500_not_a_503(searchable_sample, client, monkeypatch, caplog):
    def broken(self, searcher, name, docs, options=None):
        raise TypeError("a bug in facet counting")

    monkeypatch.setattr(VerbatimWhooshSearchBackend, "_facet_counts", broken)
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/search/", {"q": "trafficking"})
    assert response.status_code == 500  # before: 503 "the index is missing or being rebuilt"
    errors = [r for r in caplog.records if r.name == "django.request" and r.exc_info]
    assert errors and errors[-1].exc_info[0] is TypeError
    assert str(errors[-1].exc_info[1]) == "a bug in facet counting"


def test_a_programming_error_reaches_the_caller_of_find_turns(searchable_sample, monkeypatch):
    def broken(*args, **kwargs):
        raise AttributeError("a bug in scoring")

    monkeypatch.setattr(VerbatimWhooshSearchBackend, "_top_and_all", staticmethod(broken))
    with pytest.raises(AttributeError, match="a bug in scoring"):
        find_turns("trafficking")


def test_our_update_index_and_clear_index_override_haystacks():
    commands = get_commands()
    assert (commands["update_index"], commands["clear_index"], commands["rebuild_index"]) == ("transcripts.search",) * 3


@pytest.mark.parametrize(
    "argv", [["update_index"], ["update_index", "--remove", "--age", "2"], ["clear_index", "--noinput"]]
)
def test_update_index_and_clear_index_refuse_and_point_to_rebuild_index(searchable_sample, argv):
    before = len(find_turns("trafficking", limit=100))
    with pytest.raises(CommandError, match=r"is not used by Verbatim.*Run `manage.py rebuild_index --noinput`"):
        call_command(*argv)
    assert len(find_turns("trafficking", limit=100)) == before == 26
