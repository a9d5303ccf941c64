"""The search page's Language menu: exactly the languages of the published events, read
from the database once per index generation rather than on every search page, and read
again once an import, a withdrawal or an edit of a language has reached the index."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from search_helpers import process_queue, search_index  # noqa: F401

from transcripts.models import Event
from transcripts.operations.edits import edit_event, set_status
from transcripts.operations.imports import import_transcript

pytestmark = pytest.mark.django_db


def transcript(title: str, language: str = "", day: int = 1) -> str:
    said = f"language: {language}\n" if language else ""
    return (
        f"---\ntitle: {title}\ndate: 2024-03-{day:02d}\n{said}---\n"
        "ANN LEE: The delegation met the workers this morning.\n\nBOB KING: The law protects them.\n"
    )


def menu(client, **params) -> list[str]:
    """The Language menu's options as shown (name, in the page's order); [] when there is none."""
    html = client.get("/search/", {"q": "delegation", **params}).content.decode()
    select = re.search(r'<select name="language">(.*?)</select>', html, re.S)
    return re.findall(r'<option value="\w+"[^>]*>([^<]+)</option>', select.group(1)) if select else []


def language_queries(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if 'DISTINCT "transcripts_event"."language"' in q["sql"]]


def test_the_menu_lists_exactly_the_published_events_languages(client, search_index):
    import_transcript(transcript("Un panel", "fr", 1), status="published")
    import_transcript(transcript("Ein Panel", "de", 2), status="published")
    import_transcript(transcript("Another French panel", "fr", 3), status="published")
    import_transcript(transcript("An English panel", "", 4), status="published")
    import_transcript(transcript("Un panel italien", "it", 5), status="draft")  # not published: not offered
    process_queue()
    assert menu(client) == ["French", "German"]
    assert menu(client, language="es") == ["French", "German", "Spanish"]  # the one chosen is kept


def test_an_archive_that_records_no_language_has_no_menu(client, search_index):
    import_transcript(transcript("An English panel"), status="published")
    process_queue()
    assert menu(client) == []


def test_the_menu_is_read_once_per_index_generation(client, search_index):
    import_transcript(transcript("Un panel", "fr"), status="published")
    process_queue()
    assert menu(client) == ["French"]
    cache.clear()  # a cold page: the menu's answer outlives the cache, as the search's results do
    with CaptureQueriesContext(connection) as captured:
        assert menu(client, q="workers") == ["French"]
    assert language_queries(captured) == []


def test_the_menu_follows_imports_withdrawals_and_language_edits(client, search_index):
    french = import_transcript(transcript("Un panel", "fr", 1), status="published").event
    process_queue()
    assert menu(client) == ["French"]
    german = import_transcript(transcript("Ein Panel", "de", 2), status="published").event
    process_queue()
    with CaptureQueriesContext(connection) as captured:
        assert menu(client) == ["French", "German"]
    # One row per language: without the events' own ordering, DISTINCT is over the languages.
    assert [("ORDER BY" in sql) for sql in language_queries(captured)] == [False]
    set_status([french], Event.Status.DRAFT)
    process_queue()
    assert menu(client) == ["German"]
    edit_event(german, {"language": "nl"}, note="Dutch, in fact")
    process_queue()
    assert menu(client) == ["Dutch"]
