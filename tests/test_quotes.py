"""Finding a quoted passage again (transcripts.reader.quotes): exact, near, moved, gone."""

import re
from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from transcripts.reader.quotes import MAX_QUOTE_CHARS, find_key, fold, locate_quote, quote_key


@dataclass
class FakeTurn:
    public_id: str
    position: int
    paragraphs: list


KARA = FakeTurn(
    "kara000001",
    4,
    [
        "Absolutely. And Ambassador Lagon, thank you.",
        "They are perpetually impoverished. And I’ll give you two case studies in brief that I think put this in "
        "very clear focus.",
        "You remember in March 2020 when the world sort of went into lockdown.",
    ],
)
LAGON = FakeTurn("lagon00001", 3, ["Let me move to Siddharth.", "Thank you. Thank you very much."])
KRELL = FakeTurn("krell00001", 6, ["I agree, and thank you. Let me add that case studies matter."])
TURNS = [LAGON, KARA, KRELL]
SENTENCE = "And I’ll give you two case studies in brief that I think put this in very clear focus."


def test_exact_words_in_the_quoted_turn_are_marked():
    where = locate_quote(TURNS, public_id=KARA.public_id, position=None, text=SENTENCE)
    assert where.how == "exact" and where.turn is KARA
    assert [(s.paragraph, s.start) for s in where.spans] == [(1, KARA.paragraphs[1].index("And I’ll"))]
    assert where.passage() == SENTENCE


def test_matching_ignores_case_spacing_and_quote_styles():
    typed = "and I'll  give you two\ncase studies IN brief"
    where = locate_quote(TURNS, public_id=KARA.public_id, position=None, text=typed)
    assert where.how == "exact"
    assert where.passage() == "And I’ll give you two case studies in brief"


def test_a_passage_across_paragraphs_gets_one_span_per_paragraph():
    text = "clear focus.\n\nYou remember in March 2020"
    where = locate_quote(TURNS, public_id=KARA.public_id, position=None, text=text)
    assert where.how == "exact"
    assert [s.paragraph for s in where.spans] == [1, 2]
    assert KARA.paragraphs[1][where.spans[0].start : where.spans[0].end] == "clear focus."
    assert KARA.paragraphs[2][where.spans[1].start : where.spans[1].end] == "You remember in March 2020"


def test_prefix_and_suffix_pick_the_right_repeat():
    first = locate_quote(TURNS, public_id=LAGON.public_id, position=None, text="Thank you.", suffix=" Thank you very")
    second = locate_quote(
        TURNS, public_id=LAGON.public_id, position=None, text="Thank you", prefix="Thank you. ", suffix=" very much"
    )
    assert first.spans[0].start == 0
    assert second.spans[0].start == len("Thank you. ")


def test_words_that_moved_to_another_turn_are_found_there():
    # The link names Lagon's turn, but the words are Kara's: exact match elsewhere wins over "missing".
    where = locate_quote(TURNS, public_id=LAGON.public_id, position=None, text=SENTENCE)
    assert where.how == "exact" and where.turn is KARA


def test_the_quoted_turn_is_preferred_when_the_words_are_in_several_turns():
    where = locate_quote(TURNS, public_id=KRELL.public_id, position=None, text="case studies")
    assert where.turn is KRELL
    where = locate_quote(TURNS, public_id=KARA.public_id, position=None, text="case studies")
    assert where.turn is KARA


def test_a_corrected_passage_is_a_near_match():
    corrected = FakeTurn(
        KARA.public_id,
        4,
        [
            "Absolutely.",
            "They are impoverished. And I will give you two short case studies that I think put this into "
            "very clear focus.",
        ],
    )
    where = locate_quote([LAGON, corrected], public_id=KARA.public_id, position=None, text=SENTENCE)
    assert where.how == "near" and where.turn is corrected
    assert where.passage().startswith("And I will give you two short case studies")
    assert where.passage().endswith("very clear focus")
    assert "impoverished" not in where.passage()


def test_words_that_are_gone_leave_the_quoted_turn_marked_missing():
    where = locate_quote(TURNS, public_id=KARA.public_id, position=None, text="cobalt mines in the Congo are dangerous")
    assert where.how == "missing" and where.turn is KARA and where.spans == []
    assert not where.found


def test_a_vanished_turn_falls_back_to_the_turn_now_at_its_position():
    where = locate_quote(TURNS, public_id="gone000001", position=6, text="nothing like this was said")
    assert where.how == "missing" and where.turn is KRELL
    assert locate_quote(TURNS, public_id="gone000001", position=None, text="nothing like this was said") is None


def test_a_vanished_turn_still_finds_its_words_nearby():
    where = locate_quote(TURNS, public_id="gone000001", position=4, text=SENTENCE)
    assert where.how == "exact" and where.turn is KARA


def test_a_short_unrelated_quote_is_not_near_matched():
    where = locate_quote(TURNS, public_id=KARA.public_id, position=None, text="the quick brown fox")
    assert where.how == "missing"


def test_very_long_text_is_cut_and_handled():
    where = locate_quote(TURNS, public_id=KARA.public_id, position=None, text="word " * 50_000)
    assert where.how == "missing"
    assert len(fold("x" * MAX_QUOTE_CHARS * 3)) == MAX_QUOTE_CHARS * 3  # fold itself does not cut; locate does


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_any_stretch_of_a_turn_is_found_exactly_where_it_is(data):
    paragraph = data.draw(st.sampled_from(KARA.paragraphs + LAGON.paragraphs + KRELL.paragraphs))
    turn = next(t for t in TURNS if paragraph in t.paragraphs)
    start = data.draw(st.integers(0, len(paragraph) - 1))
    end = data.draw(st.integers(start + 1, len(paragraph)))
    text = paragraph[start:end]
    if not text.strip():
        return
    where = locate_quote(
        TURNS,
        public_id=turn.public_id,
        position=None,
        text=text,
        prefix=paragraph[max(0, start - 30) : start],
        suffix=paragraph[end : end + 30],
    )
    assert where.how == "exact"
    assert fold(where.passage()) == fold(text)
    assert where.turn is turn


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_a_short_key_stands_for_the_words_it_was_made_from(data):
    paragraph = data.draw(st.sampled_from(KARA.paragraphs + LAGON.paragraphs + KRELL.paragraphs))
    words = paragraph.split()
    start = data.draw(st.integers(0, len(words) - 1))
    end = data.draw(st.integers(start + 1, len(words)))
    text = " ".join(words[start:end])
    key = quote_key(text)
    if not key:  # punctuation only: no words to key
        return
    found = find_key([t.paragraphs for t in TURNS], key)
    assert quote_key(found) == key  # the same first and last words, the same count between
    if len(key.split("~")) == 1:  # a short passage: the key holds every word
        assert re.findall(r"\w+", fold(found)) == re.findall(r"\w+", fold(text))
