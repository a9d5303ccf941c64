"""The documents a rebuild writes are the documents haystack's generic path wrote.

TurnIndex.full_prepare builds each turn's document directly (no template, no generic
per-field work) because a rebuild prepares every turn; these tests pin that it gives the
same fields and values as haystack's own SearchIndex.full_prepare, and the same text as
the template it replaced, for turns with and without a speaker and events with and
without a date or topics."""

import datetime

import pytest
from django.template import engines
from haystack import indexes
from hypothesis import example, given, settings
from hypothesis import strategies as st
from search_helpers import make_event

from transcripts.models import Turn
from transcripts.search.search_indexes import TurnIndex

# templates/search/indexes/transcripts/turn_text.txt as it was, for the text comparison.
OLD_TURN_TEMPLATE = (
    "{% autoescape off %}{% if object.appearance_id %}{{ object.appearance.person.name }}"
    "{% else %}{{ object.label }}{% endif %}\n{{ object.text }}{% endautoescape %}"
)


@pytest.fixture
def turns(db):
    make_event(
        'Labour & Law: <What> "Comes" Next',
        date=datetime.date(2019, 3, 4),
        topics=["Forced Labour", "Supply Chains"],
        turns=[
            ("Ana Silva", "presider", "Welcome — it's “quoted” & <b>not</b> escaped."),
            ("Ben Okafor", "panelist", "First paragraph.\n\nSecond paragraph.", "qa"),
        ],
    )
    undated = make_event("Undated Panel", date=None, turns=[("Chen Wang", "panelist", "No date, no topics.")])
    unattributed = undated.turns.get()
    Turn.objects.filter(pk=unattributed.pk).update(appearance=None, label="OPERATOR")
    return list(TurnIndex().index_queryset().order_by("pk"))


def test_a_turn_document_is_what_haystacks_generic_prepare_gives(turns):
    index = TurnIndex()
    assert len(turns) == 3
    for turn in turns:
        fast = index.full_prepare(turn)
        generic = indexes.SearchIndex.full_prepare(TurnIndex(), turn)
        assert fast == generic
        assert list(fast) == list(generic)  # same fields in the same order


def test_a_turn_document_text_is_what_the_old_template_rendered(turns):
    template = engines["django"].from_string(OLD_TURN_TEMPLATE)
    index = TurnIndex()
    texts = [index.full_prepare(turn)["text"] for turn in turns]
    assert texts == [template.render({"object": turn}) for turn in turns]
    assert texts[0] == "Ana Silva\nWelcome — it's “quoted” & <b>not</b> escaped."
    assert texts[2] == "OPERATOR\nNo date, no topics."


def test_a_turn_document_has_its_events_topics_date_and_no_date_when_there_is_none(turns):
    index = TurnIndex()
    first, second, undated = (index.full_prepare(turn) for turn in turns)
    assert first["topic"] == second["topic"] == ["forced-labour", "supply-chains"]
    assert first["date"] == datetime.date(2019, 3, 4) and first["year"] == "2019"
    assert second["section"] == "qa" and second["role"] == "panelist" and second["person"] == "ben-okafor"
    assert "date" not in undated and "year" not in undated and "person" not in undated and undated["topic"] == []
    assert undated["role"] == "other" and undated["speaker"] == "OPERATOR"
    assert first["id"] == f"transcripts.turn.{turns[0].pk}" and first["django_id"] == str(turns[0].pk)


TEXTS = [
    "",
    "the and of",  # stop words only
    "Forced labour, forced LABOR: the trafficking of trafficked people; it's people's work.",
    "Ñandú Løkke’s ½ œuvre — İstanbul straße “quoted” don't won't ﬁnance",
    "Ana Silva\nWelcome. " + "rights and more rights " * 40,
]


@pytest.mark.parametrize("text", TEXTS)
def test_verbatim_text_fields_index_the_postings_whooshs_text_field_does(text):
    from whoosh.fields import TEXT

    from transcripts.search.whoosh_backend import VerbatimText, VerbatimTokenizer

    ours = list(VerbatimText(analyzer=VerbatimTokenizer()).index(text))
    whooshs = list(TEXT(analyzer=VerbatimTokenizer()).index(text))
    assert ours == whooshs
    if "rights" in text:
        assert next(p[:3] for p in ours if p[0] == b"right") == (b"right", 80, 80.0)


def test_sample_turns_index_the_postings_whooshs_text_field_does(sample_text):
    from whoosh.fields import TEXT

    from transcripts.parsing import parse_transcript
    from transcripts.search.whoosh_backend import VerbatimText, VerbatimTokenizer

    ours, whooshs = VerbatimText(analyzer=VerbatimTokenizer()), TEXT(analyzer=VerbatimTokenizer())
    turns = parse_transcript(sample_text).turns
    assert len(turns) > 50
    for turn in turns:
        assert list(ours.index(turn.text)) == list(whooshs.index(turn.text))


@settings(max_examples=300, deadline=None)
@given(st.text())
@example("½ Ǿ ™ e\u0301 İstanbul ΟΔΟΣ the the ＡＢＣ ﬁ")
def test_any_text_indexes_the_postings_whooshs_text_field_does(text):
    from whoosh.fields import TEXT

    from transcripts.search.whoosh_backend import VerbatimText, VerbatimTokenizer

    assert list(VerbatimText(analyzer=VerbatimTokenizer()).index(text)) == list(
        TEXT(analyzer=VerbatimTokenizer()).index(text)
    )


def test_turn_documents_hold_only_fields_a_query_or_a_facet_reads():
    # Every term of every turn is written at each rebuild: a field no query asks for (the
    # event's title was one, a tenth of all postings) is pure cost.
    assert sorted(TurnIndex.fields) == [
        "date",
        "event",
        "event_id",
        "language",  # the ?language= filter
        "newest",
        "oldest",
        "person",
        "role",
        "section",
        "speaker",
        "text",
        "topic",
        "year",
    ]
