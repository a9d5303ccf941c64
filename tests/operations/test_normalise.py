"""One text normalisation (transcripts.normalise) for parser, importer, search, quotes and
suggestions: its rules, and that every one of those places compares text through it. Pure
Python, no database (mutation testing runs this file for every change to normalise.py); what
the importer stores and search finds through it is in test_normalise_stored.py."""

import hashlib
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from transcripts.normalise import (
    BIO_STOP_WORDS,
    NAME_KEY_LENGTH,
    PUNCTUATION,
    STOP_WORDS,
    TOPIC_STOP_WORDS,
    WORD_RE,
    fold,
    iter_words,
    name_key,
    strip_invisible_characters,
    truncate,
    words,
)
from transcripts.reader.quotes import locate_quote
from transcripts.search.text import terms
from transcripts.search.whoosh_backend import VerbatimTokenizer
from transcripts.validation import InvalidInput, http_url

SOURCE = Path(__file__).resolve().parents[2] / "transcripts"

# Letters people's names are spelt with, for names hypothesis makes up.
NAME_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZøØæÆœŒłŁđĐðþßéÉèñÑüÜåÅçČšŠžŽıİ’'.- "


# ---------------------------------------------------------------- fold


def test_fold_spells_every_variant_of_a_letter_one_way():
    assert fold("Ñandú") == "nandu"
    assert fold("Jørgen  Løkke’s “plan” – ﬁne ＡＢＣ\u00a0Straße\tŁódź Đặng Œuvre Þór ÆSIR") == (
        'jorgen lokke\'s "plan" - fine abc strasse lodz dang oeuvre thor aesir'
    )
    assert fold("  several\n\n lines\t") == "several lines"


@settings(max_examples=500, deadline=None)
@given(st.text())
@example("ǿ İ ǅ ﬃ ½ ™")
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


def test_fold_is_idempotent_on_every_character_it_changes():
    """Hypothesis rarely draws the odd code point; fold works character by character, so
    checking every alphabetic-script character (below U+3000: Latin, Greek, Cyrillic,
    punctuation, letter-like symbols) and every other one that decomposes or changes case
    covers what it could miss (the rest fold to themselves, or to nothing)."""
    changed = (chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    changed = [c for c in changed if c < "\u3000" or unicodedata.decomposition(c) or c.casefold() != c]
    assert len(changed) > 5000
    assert [hex(ord(c)) for c in changed if fold(fold(c)) != fold(c)] == []


def test_the_quote_table_keeps_offsets():
    """Quote matching translates whole turns with it and maps offsets straight back."""
    every = "".join(map(chr, PUNCTUATION))
    straightened = every.translate(PUNCTUATION)
    assert len(straightened) == len(every)  # one character for one: no deletion, no expansion
    assert set(straightened) == {"'", '"', "-", " "} and every.isascii() is False
    assert "I’ll — “so”\u00a0‘no’".translate(PUNCTUATION) == "I'll - \"so\" 'no'"


# ---------------------------------------------------------------- names


def test_two_spellings_of_one_name_have_one_key():
    assert name_key("Jørgen Løkke") == name_key("Jorgen Lokke") == "jorgen lokke"
    assert name_key("CONAN O’BRIEN") == name_key("Conan O'Brien")
    assert name_key("J.R.  Smith") == name_key("J. R. Smith") == "j r smith"


@given(st.text(alphabet=NAME_LETTERS, max_size=40))
def test_a_name_key_ignores_case_and_spacing(name):
    assert name_key(name.upper()) == name_key(name.lower()) == name_key(" " + name.replace(" ", "  ") + " ")
    assert name_key(name_key(name)) == name_key(name)


# ---------------------------------------------------------------- words and search


def test_words_are_folded_and_split_at_apostrophes_and_dashes():
    assert words("Don’t  STOP, Løkke! Self–defence") == ["don", "t", "stop", "lokke", "self", "defence"]


@settings(max_examples=300, deadline=None)
@given(st.text())
@example("½ Ǿ ™ e\u0301 İstanbul ΟΔΟΣ")
def test_the_index_analyzer_folds_exactly_like_normalise(text):
    tokens = [t.text for t in VerbatimTokenizer()(text, no_morph=True)]
    assert tokens == [w for w in words(text) if w not in STOP_WORDS]
    assert [t.text for t in terms(text, stem_words=False, keep_stop_words=True)] == words(text)
    assert words(text) == [w for m in WORD_RE.finditer(text) for w in WORD_RE.findall(fold(m.group()))]
    assert all(fold(w) == w for w in words(text))


def test_stop_word_lists_derive_from_the_one_list():
    assert STOP_WORDS < BIO_STOP_WORDS and STOP_WORDS < TOPIC_STOP_WORDS
    assert {"former", "board"} <= BIO_STOP_WORDS and {"don't", "laughter"} <= TOPIC_STOP_WORDS


# ---------------------------------------------------------------- quotes


@dataclass
class FakeTurn:
    public_id: str
    position: int
    paragraphs: list


WORD = st.text(alphabet="abcdefghij", min_size=1, max_size=6)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(WORD, st.sampled_from(["", "’s", "'s", "’t", "'t"])), min_size=2, max_size=12), st.booleans())
def test_quotes_match_across_curly_and_straight_apostrophes(parts, curly_in_turn):
    said = " ".join(w + ending for w, ending in parts)
    turn_text = said.replace("'", "’") if curly_in_turn else said.replace("’", "'")
    quoted = said.replace("’", "'") if curly_in_turn else said.replace("'", "’")
    turn = FakeTurn("turn000001", 1, [f"Before. {turn_text} After."])
    where = locate_quote([turn], public_id=turn.public_id, position=None, text=quoted)
    assert where.how == "exact" and where.passage() == turn_text


def test_a_quote_typed_without_accents_finds_the_accented_passage():
    turn = FakeTurn("turn000001", 1, ["We sailed to Ærø with Løkke and Bæk, then home."])
    where = locate_quote([turn], public_id=turn.public_id, position=None, text="Aero with Lokke and Baek")
    assert where.how == "near" and where.passage() == "Ærø with Løkke and Bæk"


# ---------------------------------------------------------------- truncation


def test_truncate_cuts_after_a_whole_word():
    assert truncate("Top Stories on CFR today", 60) == "Top Stories on CFR today"
    assert truncate("Top Stories on CFR today and every day", 20) == "Top Stories on CFR…"
    assert truncate("https://example.org/a/very/long/path", 12) == "https://exa…"  # no word boundary: cut


@given(st.text(max_size=200), st.integers(min_value=2, max_value=120))
def test_truncate_fits_and_keeps_the_start(text, limit):
    short = truncate(text, limit)
    assert len(short) <= limit
    if len(text) <= limit:
        assert short == text
    else:
        assert short.endswith("…") and text.startswith(short[:-1])


def test_bad_input_messages_quote_whole_words():
    with pytest.raises(InvalidInput) as caught:
        http_url("javascript:void " + "words " * 30)
    shown = re.match(r"'(.*)' is not allowed as a link", str(caught.value)).group(1)
    assert shown.endswith(" words…") and len(shown) <= 80


# ---------------------------------------------------------------- one copy


def test_no_other_module_folds_or_lists_stop_words_of_its_own():
    private = re.compile(
        r"^\s*(def _?fold\w*\(|_?STOP_?WORDS\s*=|\w*\s*=\s*str\.maketrans\(\s*\{\s*$)|"
        r"unicodedata\.combining",
        re.M,
    )
    found = [
        f"{path.relative_to(SOURCE)}: {m.group().strip()}"
        for path in sorted(SOURCE.rglob("*.py"))
        if path.name != "normalise.py"
        for m in private.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_highlight_offsets_stay_on_the_words_written_after_letters_that_change_length():
    # "İ" lower-cases to two characters and "Æ" folds to two letters: the offsets still mark
    # exactly the written words, so a highlight never shifts or runs past one.
    text = "İstanbul and Ærø, then Ærø again"
    assert [(w, text[s:e]) for w, s, e in iter_words(text)] == [
        ("istanbul", "İstanbul"),
        ("and", "and"),
        ("aero", "Ærø"),
        ("then", "then"),
        ("aero", "Ærø"),
        ("again", "again"),
    ]
    assert [(s, e) for _, s, e in iter_words("x ½ y")] == [(0, 1), (2, 3), (2, 3), (4, 5)]  # ½ is "1", "2"


def test_decomposed_accents_stay_inside_their_word():
    text = "Her re\u0301sume\u0301 and naïve café"  # résumé typed with combining accents
    assert words(text) == ["her", "resume", "and", "naive", "cafe"]
    assert [text[s:e] for _, s, e in iter_words(text)] == ["Her", "re\u0301sume\u0301", "and", "naïve", "café"]
    assert words("ASCII Only, Here") == ["ascii", "only", "here"]


# ---------------------------------------------------------------- each rule at its edge


def test_fold_of_ascii_and_of_other_text_agree():
    # ASCII takes a shortcut (lower case, one space); anything else the Unicode way: the same
    # words must come out either way, whitespace of every kind made one space.
    assert fold("  Cobalt\tMINE \n ") == "cobalt mine"
    assert fold("  Cobalt\tMINE \u00a0é ") == "cobalt mine e"
    assert fold("") == "" and fold("\u0301") == ""
    assert fold("ǅ ﬃ ½ ™ Ⅻ") == "dz ffi 1⁄2 tm xii"


def test_invisible_characters_never_split_or_change_a_name():
    assert name_key("Jo\u200bhn\u00ad Sm\ufeffith") == name_key("John Smith") == "john smith"
    assert strip_invisible_characters("") == "" and strip_invisible_characters(None) is None
    assert strip_invisible_characters("a\u200eb\u2066c") == "abc"


def test_a_name_key_of_exactly_the_column_size_is_kept_whole():
    name = "Anna " + "b" * (NAME_KEY_LENGTH - 5)
    assert name_key(name) == name.lower() and len(name_key(name)) == NAME_KEY_LENGTH


def test_a_longer_name_key_starts_with_a_hash_of_the_whole_key():
    # Stored keys must not change form: every Person row holds one, and a new form would
    # make each stored person a stranger to the next import.
    whole = "anna " + "b" * 160 + " " + "c" * 100  # a space falls right where the key is cut
    key = name_key(whole.upper())
    digest = "#" + hashlib.sha256(whole.encode()).hexdigest()[:32] + " "
    assert key == digest + "anna " + "b" * 160 and len(key) == NAME_KEY_LENGTH - 1
    assert name_key(whole + "d") != key  # a difference past the cut still tells two names apart
    assert name_key("ß" * 150) == name_key("SS" * 150) != name_key("ss" * 151)


def test_words_beside_a_letter_whose_lower_case_is_longer_are_lower_case_too():
    # "İ" lower-cases to two characters, so such text is read as written: its other words
    # must still come out folded, or the index would hold "Ankara" where a search asks "ankara".
    assert words("İstanbul and Ankara") == ["istanbul", "and", "ankara"]
    assert [w for w, _, _ in iter_words("İstanbul and Ankara")] == ["istanbul", "and", "ankara"]
    text = "İİ Ab"
    assert words(text) == ["ii", "ab"]
    assert [(w, text[s:e]) for w, s, e in iter_words(text)] == [("ii", "İİ"), ("ab", "Ab")]
    assert words("Ab Cd") == ["ab", "cd"] and list(iter_words("Ab Cd")) == [("ab", 0, 2), ("cd", 3, 5)]
    assert words("Ab ½ Ǿ") == ["ab", "1", "2", "o"]


@pytest.mark.parametrize(
    "text,limit,short",
    [
        ("abcde", 5, "abcde"),  # exactly the limit: whole
        ("abcdef", 5, "abcd…"),  # one over, one word: cut where the limit falls
        ("abcd ef ghij", 8, "abcd ef…"),  # a space just past the room: the word before it fits
        ("ab cdefgh", 7, "ab cde…"),  # the last space in the first half: cut at the limit
        ("abc defgh", 7, "abc de…"),  # the last space at exactly half the room: still cut at the limit
        ("abcd efghi", 7, "abcd…"),  # the last space past half the room: cut after the word
        ("abc, def ghi", 8, "abc…"),  # no comma before the ellipsis
        ("one two\tthree", 10, "one two…"),  # tabs and newlines end words too, the last one counts
        ("one\ttwo\tthree", 10, "one\ttwo…"),
        ("one\ntwo\nthree", 10, "one\ntwo…"),
        ("MAX X rates", 8, "MAX X…"),
        ("a b c d e", 4, "a b…"),
    ],
)
def test_truncate_at_each_edge(text, limit, short):
    assert truncate(text, limit) == short


def test_truncate_leaves_room_for_the_ellipsis_given():
    assert truncate("abcd efgh", 8, ellipsis="...") == "abcd..."
    assert truncate("abcdefgh", 5, ellipsis="...") == "ab..."
    assert truncate("abcdefgh", 4, ellipsis="...") == "a..."


@pytest.mark.parametrize("limit", [0, 1, 2, 3])
def test_truncate_never_exceeds_a_limit_smaller_than_the_ellipsis(limit):
    assert truncate("abcdefgh", limit, ellipsis="...") == "..."[:limit]
    assert truncate("abcdefgh", min(limit, 1)) == "…"[: min(limit, 1)]
