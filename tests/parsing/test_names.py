"""Finding a speaker's full name in the text (transcripts/parsing/names.py): how a label in
capitals is title-cased, what counts as a given name, where "Given Surname" is found and
where it is not, and what a self-introduction gives. people.py names every participant with
these, so each decision here is a name printed on a speaker's page."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transcripts.parsing.names import (
    find_cased,
    find_full_name,
    is_given_name,
    self_introduction,
    sentences,
    title_case,
)


@pytest.mark.parametrize(
    ("label", "name"),
    [
        ("LAGON", "Lagon"),
        ("TAHIR-KHELI", "Tahir-Kheli"),
        ("O’BRIEN", "O’Brien"),
        ("O'NEILL", "O'Neill"),
        ("McCAIN", "McCain"),
        ("MacDONALD", "MacDonald"),
        ("DeLAY", "DeLay"),
        ("DiMAGGIO", "DiMaggio"),
        ("LaROUCHE", "LaRouche"),
        ("LeBLANC", "LeBlanc"),
        ("McCONNELL-SMITH", "McConnell-Smith"),
        ("LE PEN", "Le Pen"),  # capitals all through: no prefix kept
        ("Mc", "Mc"),
        ("JANE   DOE", "Jane Doe"),  # spaces collapse
        ("Jan van Dijk", "Jan van Dijk"),  # written in mixed case already: kept
        ("McDonald", "McDonald"),
        ("SPEAKER 2", "Speaker 2"),
        ("R2D2", "R2D2"),
        ("ÉLODIE", "Élodie"),
    ],
)
def test_title_case_makes_a_label_in_capitals_a_name(label, name):
    assert title_case(label) == name


CAPITALS_WORD = st.builds(
    lambda first, rest: first + rest, st.sampled_from("AÉMO"), st.text("ACDEÉLMNO'’-", max_size=8)
)


# Few examples: the space of inputs is small, and these run once per mutant in `make mutation`.
@settings(max_examples=25)
@given(st.lists(CAPITALS_WORD, min_size=1, max_size=4))
def test_title_case_changes_only_letter_case_and_is_stable(words):
    label = " ".join(words)
    named = title_case(label)
    assert named.upper() == label.upper()
    assert title_case(named) == named
    assert all(word[:1].isupper() for word in named.split())


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Mark", True),
        ("Mark.", True),
        ("Élodie", True),
        ("mark", False),  # not capitalised
        ("MARK", False),  # capitals all through: a label, not a name in running text
        ("Thanks", False),  # a sentence word
        ("Ambassador", False),  # a title
        ("Welcome", False),
        ("", False),
        (".", False),
    ],
)
def test_a_given_name_is_a_capitalised_word_that_is_not_a_title_or_sentence_word(word, expected):
    assert is_given_name(word) is expected


@pytest.mark.parametrize(
    ("surname", "text", "full"),
    [
        ("Lagon", "Welcome. I'm Mark Lagon, and with me is Susan Coppedge.", "Mark Lagon"),
        ("LAGON", "Welcome. I'm Mark Lagon.", "Mark Lagon"),  # the surname as the text writes it
        ("Lagon", "Mark Lagon", "Mark Lagon"),  # at the very start and end of the text
        ("Ford", "President Gerald R. Ford spoke.", "Gerald R. Ford"),
        ("Ford", "We heard Gerald R Ford.", ""),  # "R" with no period is no given name
        ("Lagon", "Thank you, Ambassador Lagon.", ""),  # a title is no given name
        ("Kara", "Thanks Kara.", ""),  # nor a sentence word
        ("Lagon", "and mark lagon said", ""),  # not capitalised
        ("Lagon", "Mark\nLagon", ""),  # a roll call's column, not a name
        ("Lagon", "Mark  Lagon", ""),  # one space apart only
        ("Lagon", "Mark\u00a0Lagon", "Mark Lagon"),
        ("Lee", "Ann Leeds and Ann Lee-Smith and Ann Lee_x", ""),  # whole words only
        ("Lee", "Ann McLee and Jo-Ann Lee", "Jo-Ann Lee"),
        ("Lee", "Ann Lee, Bo Lee and Bo Lee again.", "Bo Lee"),  # the most frequent
        ("Lee", "Bo Lee, Ann Lee.", "Bo Lee"),  # a tie: the first one written
        ("Lagon", "Ambassador Lagon, or Mark Lagon to his friends.", "Mark Lagon"),  # every occurrence is read
        ("Ng", "Our guest, Dr. Ann Ng, spoke.", "Ann Ng"),  # two letters are a surname
        ("L", "Ann L is here.", ""),  # one letter is not
        ("", "Ann Lee", ""),
    ],
)
def test_find_full_name_finds_given_name_and_surname_together(surname, text, full):
    assert find_full_name(surname, text) == full


def test_find_full_name_where_lower_casing_changes_the_texts_length():
    """ "İ" lower-cases to two characters: the offsets still point at the right words."""
    assert find_full_name("Lagon", "İstanbul: I'm Mark Lagon. İ") == "Mark Lagon"
    assert find_full_name("Lagon", "İİİ Mark Lagonx and Ann Lagon") == "Ann Lagon"
    assert find_full_name("İnce", "We heard Ayşe İnce speak.") == "Ayşe İnce"
    assert find_full_name("LAGON", "İİİ I'm Mark Lagon.") == "Mark Lagon"  # any case there too


@settings(max_examples=25)
@given(
    st.sampled_from(["Ann", "Bo", "Cy", "Mark", "Ambassador", "thanks", "JO"]),
    st.sampled_from(["Lee", "Lagon", "Park"]),
    st.text(alphabet="abc .,\n", max_size=20),
)
def test_find_full_name_does_not_depend_on_letters_whose_case_changes_length(given_name, surname, filler):
    text = f"{filler} {given_name} {surname} {filler}"
    assert find_full_name(surname, text) == find_full_name(surname, text + " İ")
    expected = f"{given_name} {surname}" if is_given_name(given_name) else ""
    assert find_full_name(surname, text) == expected


@pytest.mark.parametrize(
    ("words", "text", "cased"),
    [
        (["JANE", "MCDONALD"], "Our guest, Jane McDonald, spoke.", "Jane McDonald"),
        (["JANE", "MCDONALD"], "Jane McDonald spoke", "Jane McDonald"),  # at the very start
        (["JANE", "MCDONALD"], "JANE MCDONALD: Hi. Later Jane\n  McDonald left.", "Jane McDonald"),
        (["JANE", "MCDONALD"], "jane mcdonald and Jane McDonalds", ""),
        (["JANE", "MCDONALD"], "MaryJane McDonald", ""),
        (["JANE", "MCDONALD"], "", ""),
    ],
)
def test_find_cased_finds_how_the_text_capitalises_a_name_in_capitals(words, text, cased):
    assert find_cased(words, text) == cased


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Hello, I'm Mark Lagon.", "Mark Lagon"),
        ("Hello, I’m Mark Lagon.", "Mark Lagon"),
        ("I am Gerald R. Ford.", "Gerald R. Ford"),
        ("This is Kristin Lord from IREX.", "Kristin Lord"),
        ("this is Kristin Lord", "Kristin Lord"),
        ("My name is Jan van Dijk.", "Jan van Dijk"),
        ("my name's Ann Lee", "Ann Lee"),
        ("I'm Ann de and more", ""),  # a particle with nothing after it is dropped: one word left
        ("I'm glad to be here. My name is Ann Lee.", "Ann Lee"),  # the first that is a name
        ("I'm Sorry Folks.", ""),  # not a given name
        ("I'm Mark LAGON.", ""),  # a surname in capitals is a label, not an introduction
        ("I'm Mark LEE.", ""),
        ("I'm Mark DE Lagon.", "Mark DE Lagon"),  # two capitals are an initial or a particle
        ("I'm Ann", ""),
        ("Nothing here.", ""),
    ],
)
def test_self_introduction_gives_the_name_a_speaker_says_is_theirs(text, name):
    assert self_introduction(text) == name


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("One. Two! Three? Four", ["One.", "Two!", "Three?", "Four"]),
        ("Mr.Smith went.  Then\nhome.", ["Mr.Smith went.", "Then\nhome."]),
        ("", []),
    ],
)
def test_sentences_split_after_a_sentence_end_and_white_space(text, parts):
    assert sentences(text) == parts
