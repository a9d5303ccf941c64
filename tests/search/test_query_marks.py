"""Snippets and spelling's written forms mark and stem the words typed as the index was
asked: in the stemmer of the language the search is narrowed to, the query's words
stemmed once for a whole page of snippets."""

import pytest
from search_helpers import process_queue, search_index  # noqa: F401

from transcripts.operations.imports import import_transcript
from transcripts.search import highlight
from transcripts.search.engine import as_written, run_turn_search
from transcripts.search.filters import SearchFilters
from transcripts.search.highlight import QueryMarks, snippet
from transcripts.search.syntax import parse_query

pytestmark = pytest.mark.django_db

FRENCH = """---
title: Les échanges internationaux
date: 2024-05-02
language: fr
---
SOPHIE MARTIN: Nos partenaires internationaux sont venus.

PAUL BERNARD: Un accord international est signé.
"""
ENGLISH = """---
title: Work around the world
date: 2024-03-09
---
ANN LEE: Our interns met the international delegation.

BOB KING: The delegation thanked the interns.

ANN LEE: A delegation of six.
"""


@pytest.fixture
def two_languages(search_index):
    import_transcript(FRENCH, status="published")
    import_transcript(ENGLISH, status="published")
    process_queue()


def test_a_french_search_marks_the_words_its_french_stem_matched(two_languages):
    found = run_turn_search("internationale", SearchFilters(language="fr"), limit=10)
    assert sorted(hit.snippet_html for hit in found.hits) == [
        "Nos partenaires <mark>internationaux</mark> sont venus.",
        "Un accord <mark>international</mark> est signé.",
    ]
    # In English (Porter) "international" is an "intern": the English turns' interns are marked.
    english = run_turn_search("international", limit=10)
    assert sorted(hit.snippet_html for hit in english.hits) == [
        "Our <mark>interns</mark> met the <mark>international</mark> delegation.",
        "The delegation thanked the <mark>interns</mark>.",
    ]


def test_query_marks_stem_in_the_language_given():
    parsed = parse_query("internationale")
    text = "Les travailleurs internationaux"
    assert QueryMarks(parsed, "fr").snippet(text) == "Les travailleurs <mark>internationaux</mark>"
    assert QueryMarks(parsed, "").snippet(text) == text  # Porter: "internation" is no stem of it
    assert snippet(text, parsed) == text  # no search around it: English


def test_a_page_of_snippets_stems_the_query_once(two_languages, monkeypatch):
    asked = []
    real_terms = highlight.terms

    def counted(text, **options):
        asked.append(str(text))
        return real_terms(text, **options)

    monkeypatch.setattr(highlight, "terms", counted)
    found = run_turn_search("delegation", limit=10)
    assert len(found.hits) == 3
    assert asked.count("delegation") == 1  # the query's word, for all three snippets
    assert all("<mark>delegation</mark>" in hit.snippet_html for hit in found.hits)


def test_a_correction_is_written_as_the_turns_of_the_language_searched_write_it(two_languages):
    # "international" is a French stem the French turns are indexed under; in English it
    # stems to "intern", which they do not hold.
    assert as_written(["internationnale"], "international", "fr") == "international"
    assert as_written(["intrns"], "intern") == "interns"
