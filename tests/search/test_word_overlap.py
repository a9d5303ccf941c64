"""The quote checker's candidates: the turns holding the most of a quote's rarest words,
close together (transcripts/search/word_overlap.py through the engine's turns_holding_most)."""

import datetime

import pytest
from search_helpers import make_event, process_queue, search_index  # noqa: F401

from transcripts.models import Event, Turn
from transcripts.operations.edits import set_status
from transcripts.search import word_overlap
from transcripts.search.api import SearchUnavailable, turns_holding_most

FILLER = " ".join(f"filler{n}" for n in range(60))


@pytest.fixture
def archive(search_index):  # noqa: F811
    make_event(
        "Cobalt hearing",
        date=datetime.date(2022, 3, 1),
        turns=[
            # The same words, scattered through a long turn (met first: it would win a tie) …
            (
                "Ada Quill",
                "panelist",
                f"Kolwezi {FILLER} artisanal {FILLER} cobalt {FILLER} miners, bare {FILLER} hands.",
            ),
            # … and together, as the quote has them.
            ("Ada Quill", "panelist", "Artisanal cobalt miners in Kolwezi dig with bare hands."),
            ("Bo Reed", "panelist", "Cobalt prices rose; miners in Kolwezi went unpaid."),  # all but one word
            ("Bo Reed", "panelist", "Nothing about the mines here at all."),
        ]
        # Other turns, so that no word of the quote is in a quarter of the documents (a
        # word that common is left out: see word_overlap.COMMON_SHARE).
        + [("Bo Reed", "presider", f"Thank you, and now question number {n}.") for n in range(12)],
    )
    draft = [("Cy Vale", "panelist", "Artisanal cobalt miners in Kolwezi dig with bare hands.")]
    make_event("Draft hearing", date=datetime.date(2022, 4, 1), status="draft", turns=draft)
    process_queue()
    return {t.paragraphs[0][:20]: t.pk for t in Turn.objects.filter(event__title="Cobalt hearing")}


def ids_to_text(ids):
    by_pk = {t.pk: t for t in Turn.objects.filter(pk__in=ids)}
    return [by_pk[i].paragraphs[0][:20] for i in ids]


def test_the_turn_holding_the_words_together_comes_before_one_holding_them_scattered(archive):
    found = ids_to_text(turns_holding_most(["artisanal", "cobalt", "miners", "kolwezi", "bare", "hands"], limit=10))
    assert found[0] == "Artisanal cobalt min"
    # Three of the words together count for more than all six scattered; both are candidates.
    assert found[1:3] == ["Cobalt prices rose; ", "Kolwezi filler0 fill"]
    assert "Nothing about the mi" not in found  # holds none of the words


def test_a_word_no_turn_holds_is_left_out_and_the_others_still_find(archive):
    found = ids_to_text(turns_holding_most(["artisanal", "cobalt", "remarkably", "miners", "kolwezi"], limit=3))
    assert found[0] == "Artisanal cobalt min"
    assert turns_holding_most(["zyzzyva", "quuxotic"], limit=3) == []
    assert turns_holding_most([], limit=3) == []


def test_within_a_speaker_only_their_turns(archive):
    found = ids_to_text(turns_holding_most(["cobalt", "miners", "kolwezi"], speaker="bo-reed", limit=10))
    assert found == ["Cobalt prices rose; "]
    assert turns_holding_most(["cobalt"], speaker="nobody-at-all", limit=10) == []


def test_drafts_are_not_candidates(archive):
    texts = ids_to_text(turns_holding_most(["artisanal", "cobalt", "miners", "kolwezi"], limit=10))
    assert len(texts) == 3  # the draft's identical turn was never indexed
    set_status(Event.objects.filter(title="Cobalt hearing"), "draft")
    process_queue()
    assert turns_holding_most(["artisanal", "cobalt", "miners", "kolwezi"], limit=10) == []


def test_an_engine_without_the_postings_read_gets_an_or_of_the_words(archive, monkeypatch):
    """OpenSearch (and any other haystack engine) ranks an OR of the words its own way."""
    from transcripts.search.whoosh_backend import VerbatimWhooshSearchBackend

    monkeypatch.delattr(VerbatimWhooshSearchBackend, "turns_holding_most")
    found = ids_to_text(turns_holding_most(["artisanal", "cobalt", "miners", "kolwezi", "bare", "hands"], limit=10))
    assert found[0] == "Artisanal cobalt min" and "Nothing about the mi" not in found
    assert ids_to_text(turns_holding_most(["cobalt", "kolwezi"], speaker="bo-reed", limit=10)) == [
        "Cobalt prices rose; "
    ]


def test_a_missing_index_is_search_unavailable(archive):
    import shutil

    from tests.search.test_faults import _fresh_reader, _live_index_dir

    shutil.rmtree(_live_index_dir())
    _fresh_reader()
    with pytest.raises(SearchUnavailable):
        turns_holding_most(["cobalt"], limit=3)


class FakeSearcher:
    """Document frequencies only, for the choice of words."""

    def __init__(self, frequencies, total=100_000):
        self.frequencies, self.total = frequencies, total

    def doc_frequency(self, field, stem):
        return self.frequencies.get(stem, 0)

    def doc_count_all(self):
        return self.total


def test_the_rarest_words_are_read_first_within_the_budget():
    searcher = FakeSearcher({"a": 900, "b": 700, "c": 5000, "d": 3000, "e": 8000, "f": 40_000, "g": 20})
    picked = word_overlap.rarest(searcher, "text", ["a", "b", "c", "d", "e", "f", "g", "absent"])
    # Rarest first; the absent word and the word in 40% of documents are never read; past
    # MIN_WORDS the next word would take the postings read past the budget.
    assert picked == [("g", 20), ("b", 700), ("a", 900), ("d", 3000), ("c", 5000)]
    assert sum(n for _, n in picked[: word_overlap.MIN_WORDS]) <= word_overlap.POSTINGS_BUDGET


def test_only_common_words_are_used_when_the_quote_has_nothing_rarer():
    searcher = FakeSearcher({"so": 43_000, "know": 44_000})
    assert word_overlap.rarest(searcher, "text", ["so", "know"]) == [("so", 43_000), ("know", 44_000)]


def test_the_nearest_stretch_counts_distinct_words_once():
    def decode(positions):
        return positions

    held = [([1, 50], 1.0), ([2], 2.0), ([3, 52], 4.0)]
    assert word_overlap._nearest(held, decode, near=5) == 7.0
    assert word_overlap._nearest([([1], 1.0), ([100], 2.0)], decode, near=5) == 2.0
    assert word_overlap._nearest([([1, 2, 3], 1.5)], decode, near=5) == 1.5


def test_a_quote_from_an_event_in_another_language_is_found_by_that_languages_stems(search_index):  # noqa: F811
    # Indexed with French stemming: "international", "recl", "garant". The
    # English stems of these words ("internationaux", "réclament", …) are in no index term.
    french = "Les travailleurs internationaux réclament des garanties contractuelles écrites."
    event = make_event("Audition", date=datetime.date(2022, 5, 1), turns=[("Aline Roy", "panelist", french)])
    filler = [("Bo Reed", "presider", f"Thank you, and now question number {n}.") for n in range(12)]
    make_event("Other hearing", date=datetime.date(2022, 5, 2), turns=filler)
    Event.objects.filter(pk=event.pk).update(language="fr")
    process_queue()
    found = turns_holding_most(["internationaux", "réclament", "garanties"], limit=3)
    assert ids_to_text(found) == ["Les travailleurs int"]
