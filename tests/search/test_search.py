"""Search on the sample panel and on small events of our own: matching, filters, facets
(checked against database counts), ordering, snippets, drafts, the page and the JSON API."""

import datetime
import re
from collections import Counter

import pytest
from search_helpers import (  # noqa: F401
    make_event,
    process_queue,
    search_engine,
    search_index,
    searchable_sample,
    use_connection,
)

from transcripts.models import Event, Turn
from transcripts.operations.edits import edit_turn, set_status
from transcripts.search.api import SearchUnavailable, TurnHit, find_turns
from transcripts.search.engine import as_written, run_turn_search
from transcripts.search.filters import SearchFilters

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_engine")]

KARA = "siddharth-kara"


def db_turns(pattern, **filters):
    """Published turns whose text matches a regex (the database's answer to compare with)."""
    regex = re.compile(pattern, re.I)
    turns = Turn.objects.filter(event__status="published", **filters).select_related("appearance__person", "event")
    return [t for t in turns if regex.search(t.text)]


def search(query, limit=100, **filters):
    return run_turn_search(query, SearchFilters(**filters), limit=limit, with_facets=True, with_suggestion=True)


@pytest.fixture
def two_more_events(searchable_sample):
    """A 2019 and a 2024 event with known words, plus a draft that must stay invisible."""
    old = make_event(
        "Cobalt Supply Chains",
        date=datetime.date(2019, 5, 2),
        topics=["Supply Chains"],
        turns=[
            ("Ana Pérez", "presider", "Welcome. Today we discuss cobalt mining and child labour."),
            ("Siddharth Kara", "panelist", "Cobalt from the Congo is mined by children in debt bondage."),
            ("Ana Pérez", "presider", "Questions now.", "qa"),
            ("Jo Bloggs", "questioner", "Is recycled cobalt any better?", "qa"),
        ],
    )
    new = make_event(
        "Labour Rights Today",
        date=datetime.date(2024, 3, 9),
        topics=["Human Rights"],
        turns=[
            ("Ana Pérez", "presider", "Our panel looks at forced labour in 2024."),
            ("Siddharth Kara", "panelist", "Forced labour persists; cobalt is one example among many."),
        ],
    )
    draft = make_event(
        "Secret Draft Panel",
        date=datetime.date(2024, 6, 1),
        status="draft",
        topics=["Human Rights"],
        turns=[
            ("Siddharth Kara", "panelist", "Zanzibarite cobalt smuggling is a draft-only word."),
        ],
    )
    process_queue()
    return old, new, draft


def test_stemming_trafficker_finds_every_trafficking_turn(searchable_sample):
    result = search("trafficker")
    expected = db_turns(r"\btraffick")
    assert result.total == len(expected) == 26
    assert {h.turn_id for h in result.hits} == {t.pk for t in expected}
    assert all("<mark>" in h.snippet_html for h in result.hits)


def test_case_accents_and_curly_quotes_match(two_more_events):
    assert search("PÉREZ").total == search("perez").total == 3  # her turns (her name is in each) in two events
    assert search("“debt bondage”").total == search('"debt bondage"').total == 2


def test_phrase_needs_the_words_together(searchable_sample):
    assert search('"debt bondage"').total == len(db_turns(r"debt bondage")) == 1
    assert search("debt bondage").total == len(db_turns(r"(?=.*\bdebt)(?=.*\bbondage)")) == 1
    assert search('"bondage debt"').total == 0


def test_exclusion_and_or(searchable_sample):
    cobalt = db_turns(r"\bcobalt")
    congo = db_turns(r"\bcongo")
    assert search("cobalt").total == len(cobalt) == 1
    assert search("cobalt -congo").total == len([t for t in cobalt if t not in congo]) == 0
    assert search("cobalt OR congo").total == len(set(cobalt) | set(congo))
    assert search("survivors -prosecution").total == len(
        [t for t in db_turns(r"\bsurvivor") if not re.search(r"\bprosecut(e|es|ed|ing|ion|ions)\b", t.text, re.I)]
    )


def test_speaker_filter_in_the_box(searchable_sample):
    result = search("speaker:kara")
    assert result.total == 9 and {h.speaker_name for h in result.hits} == {"Siddharth Kara"}
    result = search("speaker:kara cobalt")
    assert [h.speaker_name for h in result.hits] == ["Siddharth Kara"]
    assert search('speaker:"Susan Coppedge" survivors').total == len(
        db_turns(r"\bsurvivor", appearance__person__slug="susan-coppedge")
    )


def test_each_filter_matches_the_database(two_more_events):
    old, new, _ = two_more_events
    cases = [
        ({"speaker": KARA}, {"appearance__person__slug": KARA}),
        ({"event": old.slug}, {"event": old}),
        ({"topic": "human-rights"}, {"event__topics__slug": "human-rights"}),
        ({"role": "questioner"}, {"appearance__role": "questioner"}),
        ({"section": "qa"}, {"section": "qa"}),
        ({"date_from": datetime.date(2023, 1, 1)}, {"event__date__gte": datetime.date(2023, 1, 1)}),
        ({"date_to": datetime.date(2020, 1, 1)}, {"event__date__lte": datetime.date(2020, 1, 1)}),
        (
            {"speaker": KARA, "date_from": datetime.date(2020, 1, 1)},
            {"appearance__person__slug": KARA, "event__date__gte": datetime.date(2020, 1, 1)},
        ),
    ]
    for filters, lookup in cases:
        for query in ("cobalt", "labour OR trafficking"):
            words = r"\bcobalt" if query == "cobalt" else r"\blabour|\btraffick"
            assert search(query, **filters).total == len(db_turns(words, **lookup)), (query, filters)


def test_facet_counts_equal_database_counts(two_more_events):
    result = search("cobalt OR labour OR trafficking")
    expected = db_turns(r"\bcobalt|\blabour|\btraffick")
    assert result.total == len(expected)
    speakers = Counter(t.appearance.person.name for t in expected)
    assert {f.label: f.count for f in result.facets["speaker"]} == dict(speakers)
    events = Counter(t.event.title for t in expected)
    assert {f.label: f.count for f in result.facets["event"]} == dict(events)
    topics = Counter(topic.name for t in expected for topic in t.event.topics.all())
    assert {f.label: f.count for f in result.facets["topic"]} == dict(topics)
    years = Counter(str(t.event.date.year) for t in expected)
    assert {f.value: f.count for f in result.facets["year"]} == dict(years)
    assert [f.value for f in result.facets["year"]] == ["2024", "2022", "2019"]


def test_many_values_show_the_most_frequent_and_the_latest_years_counted_exactly(searchable_sample):
    """Thirty events, each saying "cobalt" a different number of times, in fifteen years:
    the page's twelve events are the twelve most frequent with their exact counts, ties
    by address, and its twelve years the latest, however many each has."""
    for number in range(30):
        said = [("Ana Pérez", "presider", "We spoke of cobalt again.")] * (1 + number % 20)
        make_event(f"Cobalt Hearing {number:02d}", date=datetime.date(2000 + number % 15, 1, 2), turns=said)
    process_queue()
    result = search("cobalt")
    counts = Counter()
    for turn in db_turns(r"\bcobalt"):
        counts[turn.event.slug] += 1
    expected = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:12]
    assert [(f.value, f.count) for f in result.facets["event"]] == expected
    years = Counter(str(t.event.date.year) for t in db_turns(r"\bcobalt"))
    assert [(f.value, f.count) for f in result.facets["year"]] == sorted(years.items(), reverse=True)[:12]
    assert result.total == sum(counts.values())


def test_ordering_newest_and_oldest(two_more_events):
    newest = [h.event_date.year for h in search("cobalt", sort="newest").hits]
    oldest = [h.event_date.year for h in search("cobalt", sort="oldest").hits]
    assert newest == sorted(newest, reverse=True) and newest[0] == 2024
    assert oldest == sorted(oldest) and oldest[0] == 2019
    same_event = [h for h in search("cobalt", sort="oldest").hits if h.event_date.year == 2019]
    positions = [Turn.objects.get(pk=h.turn_id).position for h in same_event]
    assert positions == sorted(positions)  # spoken order within an event


def test_relevance_puts_the_densest_turn_first(two_more_events):
    hits = search("cobalt").hits
    assert "Cobalt from the Congo" in hits[0].snippet_html or "cobalt" in hits[0].snippet_html.lower()
    assert hits[0].score >= hits[-1].score


def test_drafts_never_appear(two_more_events):
    _, _, draft = two_more_events
    assert search("zanzibarite").total == 0
    result = search("cobalt", limit=100)
    assert draft.slug not in {h.event_slug for h in result.hits}
    assert "Secret Draft Panel" not in {f.label for f in result.facets["event"]}
    assert search("cobalt").total == len(db_turns(r"\bcobalt"))
    assert find_turns("zanzibarite") == []


def test_unpublishing_hides_and_publishing_shows(two_more_events):
    old, _, draft = two_more_events
    set_status([old], Event.Status.DRAFT)
    process_queue()
    assert search("recycled").total == 0
    set_status([draft], Event.Status.PUBLISHED)
    process_queue()
    assert search("zanzibarite").total == 1


def test_find_turns_contract(two_more_events):
    old, _, _ = two_more_events
    hits = find_turns("cobalt", event_slug=old.slug, limit=2)
    assert len(hits) == 2 and all(isinstance(h, TurnHit) for h in hits)
    hit = hits[0]
    turn = Turn.objects.get(pk=hit.turn_id)
    assert hit.public_id == turn.public_id and hit.event_slug == old.slug and hit.event_title == old.title
    assert hit.event_date == old.date
    assert hit.permalink == f"/events/{old.slug}/?q=cobalt#t-{turn.public_id}"
    assert find_turns("labour", person_slug=KARA)[0].speaker_slug == KARA
    assert find_turns("") == [] and find_turns("the") == []


def test_topic_filter_in_find_turns(two_more_events):
    old, new, _ = two_more_events
    hits = find_turns("labour OR cobalt", topic_slug="human-rights", limit=50)
    expected = db_turns(r"\blabour|\bcobalt", event__topics__slug="human-rights")
    assert {h.turn_id for h in hits} == {t.pk for t in expected}
    assert old.slug not in {h.event_slug for h in hits} and new.slug in {h.event_slug for h in hits}


def test_did_you_mean(searchable_sample):
    result = search("trafikking cobolt -congo")
    assert result.total == 0
    assert result.suggestion == "trafficking cobalt -congo"
    assert search("trafficking").suggestion is None


def test_unavailable_index_is_an_exception_with_a_message(searchable_sample, tmp_path):
    from haystack import connections

    entry = connections.connections_info["default"]
    # A Whoosh path and an OpenSearch index name where there is no index.
    use_connection({**entry, "PATH": str(tmp_path / "missing"), "INDEX_NAME": "verbatim-test-missing"})
    try:
        with pytest.raises(SearchUnavailable, match="unavailable"):
            find_turns("trafficking")
    finally:
        use_connection(entry)


def test_no_suggestion_when_a_word_has_nothing_close(searchable_sample):
    assert search("trafikking qwxzvbnm").suggestion is None
    assert search('"trafikking').suggestion == "trafficking"


@pytest.mark.parametrize(
    "typed, offered",
    [
        ("diplomcy", "diplomacy"),  # the engine corrects to the stem "diplomaci"
        ("slavry labor", "slavery labor"),
        ("supplir", "supplier"),
    ],
)
def test_did_you_mean_offers_words_as_the_archive_writes_them_never_stems(searchable_sample, typed, offered):
    assert search(typed).suggestion == offered


def test_no_suggestion_for_words_the_archive_has(searchable_sample):
    assert search("supplier").suggestion is None and search("diplomacy").suggestion is None


def test_a_name_is_offered_with_its_capitals_and_letters(searchable_sample):
    from transcripts.models import Turn

    turn = Turn.objects.filter(event=searchable_sample).first()
    edit_turn(turn, paragraphs=[*turn.paragraphs, "As Prime Minister Løkke said."])
    process_queue()
    assert search("Løkke").suggestion is None and search("lokke").suggestion is None
    assert as_written(["Lokkke"], "lokk") == "Løkke"  # a correction to the stem, written as the turn writes it


def test_a_stem_correction_becomes_the_word_and_one_no_turn_holds_is_dropped(searchable_sample):
    assert as_written(["surpluss"], "surplu") == "surplus"
    assert as_written(["trafficking", "surpluss"], "trafficking surplu") == "trafficking surplus"
    assert as_written(["qwerty"], "qwertz") is None
