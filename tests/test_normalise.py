"""One text normalisation (transcripts.normalise) for parser, importer, search, quotes and
suggestions: its rules, and that every one of those places compares text through it."""

import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from hypothesis import example, given, settings
from hypothesis import strategies as st
from search_helpers import make_event, process_queue, search_index  # noqa: F401

from transcripts.models import Person
from transcripts.normalise import (
    BIO_STOP_WORDS,
    PUNCTUATION,
    STOP_WORDS,
    TOPIC_STOP_WORDS,
    WORD_RE,
    fold,
    iter_words,
    name_key,
    truncate,
    words,
)
from transcripts.operations.imports import import_transcript
from transcripts.reader.quotes import locate_quote
from transcripts.search.api import find_turns
from transcripts.search.text import terms
from transcripts.search.whoosh_backend import VerbatimTokenizer
from transcripts.validation import InvalidInput, http_url

SOURCE = Path(__file__).resolve().parent.parent / "transcripts"

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


@pytest.mark.django_db
def test_the_importer_stores_both_spellings_as_one_person():
    first = import_transcript(
        "---\ntitle: Oslo panel\ndate: 2022-01-01\n---\n\nJØRGEN LØKKE: Velkommen.\n\nCONAN O’BRIEN: Thanks.\n"
    )
    second = import_transcript(
        "---\ntitle: Bergen panel\ndate: 2022-02-01\n---\n\n"
        "JORGEN LOKKE: Hello again.\n\nCONAN O'BRIEN: Thanks again.\n"
    )
    assert first.event != second.event
    assert sorted(Person.objects.values_list("name", flat=True)) == ["Conan O’Brien", "Jørgen Løkke"]
    assert [p.appearances.count() for p in Person.objects.order_by("name")] == [2, 2]


@pytest.mark.django_db
def test_the_migration_refolds_keys_stored_before():
    """Keys stored by the old fold (curly apostrophe kept) are recomputed, so the next import finds them."""
    refold = __import__("transcripts.migrations.0007_norm_refold_name_keys", fromlist=["x"]).refold_name_keys
    person = Person.objects.create(name="Conan O’Brien", slug="conan-obrien")
    Person.objects.filter(pk=person.pk).update(name_key="conan o’brien")
    refold(apps, None)
    person.refresh_from_db()
    assert person.name_key == "conan o'brien"


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


@pytest.mark.django_db
def test_search_finds_an_accented_name_typed_without_accents(search_index):  # noqa: F811
    make_event(
        "Nordic Fisheries",
        date=None,
        turns=[
            ("Jørgen Løkke", "presider", "Welcome to Ærø, where Løkke’s boats land cod."),
            ("Jo Bloggs", "panelist", "Thanks; the harbour is small."),
        ],
    )
    process_queue()
    for query in ("lokke", "LØKKE", "Løkke’s", "aero"):
        hits = find_turns(query)
        assert [h.speaker_name for h in hits] == ["Jørgen Løkke"], query
    assert [h.turn_id for h in find_turns("lökke")] == [h.turn_id for h in find_turns("lokke")] != []


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
