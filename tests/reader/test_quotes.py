"""Finding a quoted passage again (transcripts.reader.quotes): exact, near, moved, gone."""

import re
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transcripts.reader.quotes import (
    MAX_QUOTE_CHARS,
    FoldedText,
    Span,
    _dense_regions,
    cut_quote,
    find_key,
    fold,
    holds_words,
    inside_word,
    key_pattern,
    locate_quote,
    quote_key,
)


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
    assert where.passage() == "clear focus. You remember in March 2020"


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


def passage_of(length: int) -> str:
    """Words and full stops, exactly `length` characters, ending with a full stop."""
    text, n = "", 0
    while len(text) < length - 20:
        text += f"Point {n} holds. "
        n += 1
    return text + "x" * (length - len(text) - 1) + "."


def test_very_long_text_is_cut_and_handled():
    # The first MAX_QUOTE_CHARS characters are in the turn, the 50,000 words after them are not:
    # only a quote cut at exactly that length is found, and it is found at once.
    said = passage_of(MAX_QUOTE_CHARS)
    turn = FakeTurn("long000001", 1, [said + " And then something else entirely."])
    where = locate_quote([turn], public_id=turn.public_id, position=None, text=said + "Zebra " * 50_000)
    assert where.how == "exact" and where.passage() == said


@pytest.mark.parametrize("before", [MAX_QUOTE_CHARS - 3, MAX_QUOTE_CHARS - 4])
def test_a_quote_cut_inside_a_word_ends_at_the_word_before(before):
    said = passage_of(before) + " Zebras"  # the cut falls inside "Zebras"
    turn = FakeTurn("long000001", 1, [said + " were seen."])
    where = locate_quote([turn], public_id=turn.public_id, position=None, text=said + " were seen.")
    assert where.how == "exact" and where.passage() == passage_of(before)
    assert cut_quote(said + " were seen.") == passage_of(before) + " "


UNFAIR = FakeTurn("unfair0001", 7, ["It is an unfair deal for workers. We want a fair deal for workers, and soon."])


@pytest.mark.parametrize(
    "words",
    [
        "fair deal for workers",  # starts inside "unfair" (and the real one is second)
        "deal for worker",  # ends inside "workers"
        "nfair deal",
        "air deal for workers, and soon",
    ],
)
def test_words_are_never_found_inside_longer_words(words):
    inside = FakeTurn("unfair0002", 7, ["It is an unfair deal for workers, and soon."])
    where = locate_quote([inside], public_id=inside.public_id, position=None, text=words, stages=("exact",))
    assert where.how == "missing" and where.spans == []
    assert not holds_words([inside.paragraphs], words)
    assert holds_words([["Nothing."], inside.paragraphs], "unfair deal for workers")
    assert find_key([inside.paragraphs], quote_key(words)) == ""


def test_the_occurrence_at_word_starts_is_found_even_when_it_is_not_the_first():
    where = locate_quote([UNFAIR], public_id=UNFAIR.public_id, position=None, text="fair deal for workers")
    assert where.how == "exact"
    start = UNFAIR.paragraphs[0].index("a fair deal") + 2
    assert where.spans == [Span(0, start, start + len("fair deal for workers"))]
    assert find_key([UNFAIR.paragraphs], "fair-deal-for-workers") == "fair deal for workers"


@pytest.mark.parametrize(
    "words,said",
    [
        ("東京", "私は東京に住んでいます。"),  # Han and kana: no spaces, any letter may start a word
        ("สวัสดี", "คุณสวัสดีครับ"),  # Thai
        ("re\u0301sume\u0301", "Her re\u0301sume\u0301 was long."),  # decomposed accents are part of the word
    ],
)
def test_word_edges_in_other_scripts(words, said):
    turn = FakeTurn("script0001", 1, [said])
    where = locate_quote([turn], public_id=turn.public_id, position=None, text=words, stages=("exact",))
    assert where.how == "exact"


def test_a_decomposed_accent_keeps_a_word_whole():
    turn = FakeTurn("script0001", 1, ["Her re\u0301sume\u0301s were long."])
    where = locate_quote([turn], public_id=turn.public_id, position=None, text="re\u0301sume\u0301", stages=("exact",))
    assert where.how == "missing"  # "résumé" ends inside "résumés"
    assert inside_word("re\u0301s", 3) and inside_word("e\u0301", 1) and not inside_word("東京", 1)


REPEATS = FakeTurn(
    "repeat0001", 2, ["Bosses offered a fair deal. Workers asked for a fair deal. Unions got a fair deal in the end."]
)


def start_of(n: int) -> int:
    """Where the n-th (0-based) "fair deal" of REPEATS starts."""
    return [m.start() for m in re.finditer("fair deal", REPEATS.paragraphs[0])][n]


@pytest.mark.parametrize(
    "prefix,suffix,occurrence",
    [
        ("", "", 0),  # no context: the first
        ("Workers asked for a ", "", 1),
        ("Unions got a ", "", 2),
        ("", ". Unions got", 1),
        ("", " in the end", 2),
        ("asked for a ", ". Bosses", 1),  # the prefix agrees more than the suffix disagrees
        ("Whatever a ", " in the end.", 2),  # both count: 2 characters before, 11 after
    ],
)
def test_prefix_and_suffix_pick_between_repeats(prefix, suffix, occurrence):
    where = locate_quote(
        [REPEATS], public_id=REPEATS.public_id, position=None, text="fair deal", prefix=prefix, suffix=suffix
    )
    assert where.spans == [Span(0, start_of(occurrence), start_of(occurrence) + len("fair deal"))]


def test_a_key_link_holds_exactly_the_words_between_its_ends():
    said = "one two three four five six seven eight nine ten"
    key = quote_key(said)
    assert key == "one-two-three-four~2~seven-eight-nine-ten"
    assert find_key([[f"So: {said}, and more."]], key) == said
    assert find_key([[f"So: {said}!"]], key) == said + "!"  # a sentence's stop comes with it
    assert find_key([["one two three four five six extra seven eight nine ten"]], key) == ""  # a word more
    assert find_key([["one two three four five seven eight nine ten"]], key) == ""  # a word fewer
    assert find_key([["one two three fourfive six seven eight nine ten"]], key) == ""
    assert find_key([["zone two three four five six seven eight nine ten"]], key) == ""
    assert find_key([["one two three four five six seven eight nine tent"]], key) == ""
    assert find_key([["It was tent. One two three four five six seven eight nine ten."]], key) == (
        "One two three four five six seven eight nine ten."
    )


INSERTED = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
QUOTE_WORDS = "alpha bravo charlie delta echo foxtrot golf hotel india juliet"


@pytest.mark.parametrize(
    "said,how",
    [
        # 6 of 10 words in a row, then others: 2*6/(10+6) = 0.75, a correction of the passage.
        ("alpha bravo charlie delta echo foxtrot xray yankee zulu whiskey", "near"),
        # 5 of 10: 2*5/(10+5) = 0.67, below 0.7, another passage.
        ("alpha bravo charlie delta echo xray yankee zulu whiskey tango", "missing"),
        # All 10 with 8 words inserted: 20/(10+18) = 0.71, and 18 words is the most a passage may
        # span (one and a half times the quote, plus 3).
        ("alpha bravo charlie delta echo " + " ".join(INSERTED[:8]) + " foxtrot golf hotel india juliet", "near"),
        # 9 words inserted: too long a span, and either half alone is 2*5/(10+5) = 0.67.
        ("alpha bravo charlie delta echo " + " ".join(INSERTED[:9]) + " foxtrot golf hotel india juliet", "missing"),
    ],
)
def test_how_near_a_corrected_passage_must_be(said, how):
    turn = FakeTurn("near000001", 1, [said])
    where = locate_quote([turn], public_id=turn.public_id, position=None, text=QUOTE_WORDS)
    assert where.how == how
    if how == "near":
        assert where.passage().startswith("alpha") and where.passage().split()[-1] in ("foxtrot", "juliet")


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_any_stretch_of_a_turn_is_found_exactly_where_it_is(data):
    # Any run of whole words (a selection snaps to words): found exactly, in its own turn.
    paragraph = data.draw(st.sampled_from(KARA.paragraphs + LAGON.paragraphs + KRELL.paragraphs))
    turn = next(t for t in TURNS if paragraph in t.paragraphs)
    edges = sorted({0, len(paragraph)} | {e for m in re.finditer(r"\w+", paragraph) for e in m.span()})
    start = data.draw(st.sampled_from(edges[:-1]))
    end = data.draw(st.sampled_from([e for e in edges if e > start]))
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
def test_a_stretch_cut_inside_a_word_is_never_marked_as_said(data):
    paragraph = data.draw(st.sampled_from(KARA.paragraphs + LAGON.paragraphs + KRELL.paragraphs))
    cuts = [i for i in range(1, len(paragraph)) if paragraph[i - 1].isalnum() and paragraph[i].isalnum()]
    start = data.draw(st.sampled_from(cuts))
    end = data.draw(st.integers(start + 1, len(paragraph)))
    where = locate_quote(TURNS, public_id=KARA.public_id, position=None, text=paragraph[start:end], stages=("exact",))
    for span in where.spans:
        said = where.turn.paragraphs[span.paragraph]
        assert not inside_word(said, span.start) and not inside_word(said, span.end)


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


def test_a_corrected_passage_in_a_very_long_turn_is_found_in_its_stretch():
    # Past NEAR_DIRECT_CHARS only the stretches densest in the quote's words are aligned: the
    # corrected sentence sits between two long runs that share a few of its words.
    filler = " ".join(["the supply of chain mail was discussed at length today"] * 400)
    assert len(filler) > 20_000
    corrected = "And I will give you two short case studies that I think put this into very clear focus."
    # A weaker echo of it earlier (11 of its 19 words in a row: ratio 0.73) must not win.
    echo = "so give you two case studies in brief that I think put it"
    turn = FakeTurn(KARA.public_id, 4, [f"{filler} {echo} {filler}", f"{filler} {corrected} {filler}"])
    where = locate_quote([turn], public_id=turn.public_id, position=None, text=SENTENCE)
    assert where.how == "near" and len(where.spans) == 1 and where.spans[0].paragraph == 1
    assert where.passage().startswith("And I will give you two short case studies")
    assert where.passage().endswith("very clear focus")


TWENTY = [f"w{n:02d}" for n in range(20)]


@pytest.mark.parametrize(
    "inserted,how",
    [
        # All 20 words, 13 others in the middle: a stretch of 33 words, the most allowed
        # (int(20 * 1.5) + 3): 40/(20+33) = 0.75.
        (13, "near"),
        # 14 others: 34 words, one too many; either half alone is 20/(20+10) = 0.67.
        (14, "missing"),
    ],
)
def test_a_corrected_passage_spans_at_most_one_and_a_half_times_the_quote_plus_three(inserted, how):
    others = " ".join(f"x{n:02d}" for n in range(inserted))
    said = f"Start. {' '.join(TWENTY[:10])} {others} {' '.join(TWENTY[10:])}. End."
    turn = FakeTurn("span000001", 1, [said])
    where = locate_quote([turn], public_id=turn.public_id, position=None, text=" ".join(TWENTY))
    assert where.how == how
    if how == "near":
        assert where.passage() == said.removeprefix("Start. ").removesuffix(". End.")


@pytest.mark.parametrize(
    "said,how",
    [
        # Half the quote's distinct words (alpha, bravo of four): aligned, 16/(10+8) = 0.89.
        ("So alpha alpha alpha alpha alpha alpha alpha bravo x y", "near"),
        # Fewer than half (alpha alone): not aligned at all, however many times alpha recurs.
        ("So alpha alpha alpha alpha alpha alpha alpha x y z", "missing"),
    ],
)
def test_a_turn_must_share_half_the_quotes_distinct_words_to_be_aligned(said, how):
    turn = FakeTurn("half000001", 1, [said])
    quote = "alpha alpha alpha alpha alpha alpha alpha bravo charlie delta"
    assert locate_quote([turn], public_id=turn.public_id, position=None, text=quote).how == how


def test_the_prefix_counts_up_to_the_very_start_of_the_turn():
    # The first "fair deal" has the link's whole prefix ("X") before it, at the turn's first
    # character; the second has the link's suffix (".") after it. A tie: the first wins.
    turn = FakeTurn("start00001", 1, ["X fair deal, then Y fair deal."])
    where = locate_quote([turn], public_id=turn.public_id, position=None, text="fair deal", prefix="X ", suffix=".")
    assert where.spans == [Span(0, 2, 11)]


def test_short_keys_have_one_form_and_bounds():
    eight = "one two three four five six seven eight"
    assert quote_key(eight) == "one-two-three-four-five-six-seven-eight"  # every word, up to 2 x KEY_WORDS
    assert quote_key(eight + " nine") == "one-two-three-four~1~six-seven-eight-nine"
    assert find_key([[f"So {eight}, then."]], "one-two-three-four~0~five-six-seven-eight") == eight
    assert key_pattern("a" * 400) is not None and key_pattern("a" * 401) is None
    assert key_pattern("a~400~b") is not None and key_pattern("a~401~b") is None
    for damaged in ("not a key!", "a~~b", "-a", "a~1", ""):
        assert key_pattern(damaged) is None and find_key([["not a key a b"]], damaged) == ""


def test_word_edges_at_the_ends_of_the_text():
    turn = FakeTurn("edges00001", 1, ["fair deal"])
    assert locate_quote([turn], public_id=turn.public_id, position=None, text="fair deal").spans == [Span(0, 0, 9)]
    assert not inside_word("ab", 0) and not inside_word("ab", 2) and inside_word("ab", 1)
    assert inside_word("snake_case", 6)  # an underscore joins, as \w has it


def test_a_blank_quote_is_never_found():
    for blank in ("", "   ", "\n\n"):
        assert locate_quote(TURNS, public_id=KARA.public_id, position=None, text=blank).how == "missing"


def test_stages_run_only_the_searches_asked_for():
    near_only = locate_quote(TURNS, public_id=KARA.public_id, position=None, text=SENTENCE, stages=("near",))
    assert near_only.how == "near" and near_only.passage() == SENTENCE.rstrip(".")
    assert locate_quote(TURNS, public_id=KARA.public_id, position=None, text=SENTENCE, stages=()).how == "missing"


def near_where(said: str, quote: str):
    turn = FakeTurn("near000002", 1, [said])
    return locate_quote([turn], public_id=turn.public_id, position=None, text=quote)


def test_a_corrected_passage_at_exactly_the_ratio_counts():
    # 7 of 10 words over a stretch of 10: 2*7/(10+10) = 0.7, the least that still counts.
    where = near_where("So alpha bravo charlie delta x y z echo foxtrot golf. End.", QUOTE_WORDS)
    assert where.how == "near" and where.passage() == "alpha bravo charlie delta x y z echo foxtrot golf"


def test_scattered_pieces_of_a_quote_are_no_passage():
    # Ten words, then five, then five, each 40 words apart: no stretch of at most 33 words
    # holds more than one piece, and the best piece alone is 2*10/(20+10) = 0.67.
    gap = " ".join(f"x{n:02d}" for n in range(40))
    said = f"{' '.join(TWENTY[:10])} {gap} {' '.join(TWENTY[10:15])} {gap} {' '.join(TWENTY[15:])}"
    assert near_where(said, " ".join(TWENTY)).how == "missing"


def test_a_passage_whose_start_fell_out_of_the_span_is_the_rest():
    # Two words, 30 others, then the other 18 in a row: the two are too far to belong to the
    # passage, which is the 18 (2*18/(20+18) = 0.95).
    gap = " ".join(f"x{n:02d}" for n in range(30))
    where = near_where(f"{' '.join(TWENTY[:2])} {gap} {' '.join(TWENTY[2:])}", " ".join(TWENTY))
    assert where.how == "near" and where.passage() == " ".join(TWENTY[2:])


def test_of_two_equally_good_corrected_stretches_the_first_is_marked():
    # Five words, 7 others, ten, 7 others, five: first five and the ten, or the ten and the
    # last five, each 2*15/(20+22) = 0.71; all three would span 34 words, one too many.
    seven, others = " ".join(f"x{n}" for n in range(7)), " ".join(f"y{n}" for n in range(7))
    said = f"{' '.join(TWENTY[:5])} {seven} {' '.join(TWENTY[5:15])} {others} {' '.join(TWENTY[15:])}"
    where = near_where(said, " ".join(TWENTY))
    assert where.how == "near" and where.passage() == f"{' '.join(TWENTY[:5])} {seven} {' '.join(TWENTY[5:15])}"


def test_words_common_in_a_long_turn_still_align():
    # A turn of more than 200 words, every word of the passage recurring in it: difflib's
    # "autojunk" would treat them all as noise (each is in more than 1% of the turn).
    talk = " ".join(["the people and the state and the nation."] * 30)
    quote = "the nation and the state and the people here"
    where = near_where(f"{talk} Then: the nation and the state and the people.", quote)
    assert where.how == "near" and where.passage() == "the nation and the state and the people"


def test_a_quote_repeated_more_often_than_the_cap_is_still_found():
    turn = FakeTurn("often00001", 1, ["A fair deal. " * 250])
    where = locate_quote([turn], public_id=turn.public_id, position=None, text="fair deal")
    assert where.how == "exact" and where.spans == [Span(0, 2, 11)]


def test_without_context_the_first_occurrence_is_marked_whatever_surrounds_the_others():
    for said in ("fair deal, then XXXX fair deal", "fair deal, then fair deal XXXX"):
        turn = FakeTurn("first00001", 1, [said])
        assert locate_quote([turn], public_id=turn.public_id, position=None, text="fair deal").spans == [Span(0, 0, 9)]


def test_a_prefix_character_counts_as_much_as_a_suffix_character():
    # The prefix agrees with the second "fair deal" for 11 characters ("asked for a"); with the
    # third for 2 ("a "), and the suffix for 10 more ("in the end"): 11 against 12.
    where = locate_quote(
        [REPEATS],
        public_id=REPEATS.public_id,
        position=None,
        text="fair deal",
        prefix="Xasked for a ",
        suffix=" in the end",
    )
    assert where.spans == [Span(0, start_of(2), start_of(2) + len("fair deal"))]
    # The suffix cut to 6 ("in the"): 11 against 8, the second.
    where = locate_quote(
        [REPEATS],
        public_id=REPEATS.public_id,
        position=None,
        text="fair deal",
        prefix="Xasked for a ",
        suffix=" in the",
    )
    assert where.spans == [Span(0, start_of(1), start_of(1) + len("fair deal"))]


def test_words_gone_from_the_quoted_turn_are_looked_for_nearest_it_first():
    turns = [FakeTurn(f"order0000{p}", p, [said]) for p, said in [(1, "A fair deal."), (8, "No."), (9, "A fair deal.")]]
    where = locate_quote(turns, public_id="order00008", position=None, text="fair deal")
    assert where.how == "exact" and where.turn is turns[2]


CORRECTED = "And I will give you two short case studies that I think put this into very clear focus."
WEAKER = "So give you two case studies in brief that I think put it."  # 11 of the 19 words: 0.73


@pytest.mark.parametrize("quoted_turn", [0, 1])
def test_the_better_near_match_wins_whichever_turn_was_quoted(quoted_turn):
    turns = [FakeTurn("weak000001", 3, [f"Well. {WEAKER}"]), FakeTurn("strong0001", 4, [f"Well. {CORRECTED}"])]
    where = locate_quote(turns, public_id=turns[quoted_turn].public_id, position=None, text=SENTENCE)
    assert where.how == "near" and where.turn is turns[1]
    assert where.passage() == CORRECTED.rstrip(".")


def test_of_equal_near_matches_the_quoted_turn_wins():
    turns = [FakeTurn("other00001", 3, [f"Well. {CORRECTED}"]), FakeTurn("quoted0001", 4, [f"Well. {CORRECTED}"])]
    for quoted in turns:
        where = locate_quote(turns, public_id=quoted.public_id, position=None, text=SENTENCE)
        assert where.how == "near" and where.turn is quoted


def test_text_whose_lower_case_is_longer_is_matched_at_the_right_offsets():
    # "İ" lower-cases to two characters: such a turn is matched case-insensitively as written.
    turn = FakeTurn("dotted0001", 1, ["İstanbul: One two three four five six seven eight nine ten. Fair deal."])
    where = locate_quote([turn], public_id=turn.public_id, position=None, text="fair DEAL")
    assert where.how == "exact" and where.passage() == "Fair deal"
    key = quote_key("one two three four five six seven eight nine ten")
    assert find_key([turn.paragraphs], key) == "One two three four five six seven eight nine ten."


def test_a_short_key_is_tried_at_no_more_than_2000_places():
    # Each start of the key's first words is one bounded match: after 2,000 the key gives up,
    # so a crafted link cannot buy seconds of CPU. A key without a gap is one search.
    said = "one two three four five six seven eight nine ten"
    key = quote_key(said)
    for decoys, found in [(1999, said), (2000, "")]:
        assert find_key([["one two three four x. " * decoys + said]], key) == found
    no_gap = "one-two-three-four~0~five-six-seven-eight"
    assert find_key([["one two three four x. " * 3000 + "one two three four five six seven eight"]], no_gap) == (
        "one two three four five six seven eight"
    )


# Long turns (past NEAR_DIRECT_CHARS) are aligned only in the stretches densest in the quote's
# words; these place decoys where a careless choice of stretch would look instead.
LOREM = " ".join(["lorem ipsum dolor sit amet consectetur adipiscing elit"] * 150)  # 8,000 characters
LONG_QUOTE = "the harbour master signed every cargo manifest before dawn"
LONG_CORRECTED = "the harbour master signed each cargo manifest before dawn"


def long_where(*parts: str, quote: str = LONG_QUOTE):
    turn = FakeTurn("long000002", 1, [" ".join(parts)])
    assert len(turn.paragraphs[0]) > 20_000
    return locate_quote([turn], public_id=turn.public_id, position=None, text=quote)


def test_a_corrected_passage_ending_a_long_turn_is_found():
    where = long_where(LOREM, LOREM, LOREM, LONG_CORRECTED)
    assert where.how == "near" and where.passage() == LONG_CORRECTED


def test_a_long_turn_is_searched_where_the_words_stand_whole():
    # The quote's words stand inside longer words three times first ("harbourside",
    # "overcargo"): those places hold none of its words.
    inside = "others harbourside masters signedoff everyone overcargo manifests beforehand dawns"
    where = long_where(inside, LOREM, inside, LOREM, inside, LOREM, LONG_CORRECTED, LOREM)
    assert where.how == "near" and where.passage() == LONG_CORRECTED


def test_a_long_turn_is_searched_where_most_of_the_quotes_words_are_together():
    # Words of the quote stand alone, far apart, three times before and after the passage.
    alone = [f"{LOREM[:2500]} {word} {LOREM[:2500]}" for word in ("harbour", "cargo", "manifest")]
    where = long_where(*alone, LONG_CORRECTED, *alone)
    assert where.how == "near" and where.passage() == LONG_CORRECTED


def test_a_long_turn_is_placed_by_the_quotes_rarest_words():
    # The first eight of the quote's words (as the alphabet orders them) stand together all
    # over the turn; the rare ones only in the passage.
    common = "able baker cable dable eagle fable gable hable"
    quote = f"{common} vole wolf xylophone yak zebra"
    everywhere = " ".join([common] * 400)
    where = long_where(everywhere, f"{common} vole wolf xylophone yak zebu", everywhere, quote=quote)
    assert where.how == "near" and where.passage() == f"{common} vole wolf xylophone yak"
    assert where.spans[0].start == len(everywhere) + 1


def test_a_long_turn_in_capitals_is_searched_as_lower_case():
    where = long_where(LOREM, LONG_CORRECTED.upper(), LOREM, LOREM)
    assert where.how == "near" and where.passage() == LONG_CORRECTED.upper()


def test_in_a_long_turn_the_best_aligned_stretch_wins_over_the_densest():
    # The first stretch holds all ten words with three others among them (2*10/(10+13) = 0.87);
    # the second nine of them in a row (2*9/(10+9) = 0.95).
    quote = "q0 q1 q2 q3 q4 q5 q6 q7 q8 q9"
    where = long_where(
        LOREM, "q0 q1 q2 q3 q4 q5 q6 x y z q7 q8 q9", LOREM, "q0 q1 q2 q3 q4 q5 q6 q7 q8", LOREM, quote=quote
    )
    assert where.how == "near" and where.passage() == "q0 q1 q2 q3 q4 q5 q6 q7 q8"


def test_in_a_long_turn_the_stretches_tried_do_not_depend_on_the_order_of_the_quotes_words():
    # The words come as a set, whose order changes from process to process (hash seeds): the
    # stretches tried, and so which of two equal ones is marked, must not follow that order.
    assert long_where(LOREM, LONG_CORRECTED, LOREM, LONG_CORRECTED, LOREM).spans[0].start == len(LOREM) + 1
    text = FoldedText([" ".join([LOREM, LONG_CORRECTED, LOREM, LONG_CORRECTED, LOREM])]).text
    words = LONG_QUOTE.split()
    width = 3 * len(LONG_QUOTE) + 203  # as _near_match sizes windows for this quote: 377
    tried = {tuple(_dense_regions(text, words[n:] + words[:n], width)) for n in range(len(words))}
    assert len(tried) == 1 and next(iter(tried))[0][0] < len(LOREM) < next(iter(tried))[0][1]
