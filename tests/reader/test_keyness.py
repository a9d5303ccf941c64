"""What a speaker talks about: distinctive terms by log-likelihood against the archive
(pure), the terms pages and their JSON twins, the person page showing them once counted,
and /compare/."""

from collections import Counter

import pytest
from django.test import Client
from search_helpers import make_event, process_queue, search_index, searchable_sample  # noqa: F401

from transcripts.reader import keyness


def test_log_likelihood_is_zero_when_a_word_is_as_frequent_here_as_there():
    assert keyness.log_likelihood(10, 1000, 100, 10000) == pytest.approx(0, abs=1e-9)
    assert keyness.log_likelihood(50, 1000, 10, 10000) > 100


def test_distinctive_terms_are_the_overused_ones_and_a_phrase_hides_its_words():
    own = Counter({"cobalt": 12, "mines": 9, "cobalt mines": 8, "labor": 5, "today": 4})
    ref = Counter({"cobalt": 14, "mines": 10, "cobalt mines": 8, "labor": 500, "today": 400})
    terms = keyness.distinctive(own, 1000, ref, 100_000)
    assert [t.term for t in terms] == ["cobalt mines"]  # cobalt and mines covered; labor and today are common
    assert terms[0].count == 8 and terms[0].per_10k == 80.0


def test_count_terms_skips_stop_words_fillers_numbers_and_names():
    counts, total = keyness.count_terms(["I think forced labor, forced labor in 2022, said Kara."], skip={"kara"})
    assert counts["forced labor"] == 2 and counts["forced"] == 2
    assert "think" not in counts and "2022" not in counts and "kara" not in counts and "said" not in counts
    assert total == 10


@pytest.fixture
def archive(searchable_sample):
    turns = [("Ada Lovell", "panelist", "The cobalt mines of Katanga employ children. Cobalt mines again.")] * 4
    turns += [("Ben Other", "panelist", "Fisheries and the fishing fleets at sea. Fishing fleets again.")] * 4
    make_event("Mines and fleets", date=None, turns=turns)
    process_queue()
    return searchable_sample


def test_the_terms_page_lists_what_sets_a_speaker_apart_linking_to_their_search(archive):
    client = Client()
    html = client.get("/people/ada-lovell/terms/").content.decode()
    assert "cobalt mines" in html and "fishing" not in html
    assert 'href="/search/?q=%22cobalt+mines%22&amp;speaker=ada-lovell"' in html
    data = client.get("/people/ada-lovell/terms/?format=json").json()
    assert data["terms"][0]["term"] == "cobalt mines" and data["terms"][0]["count"] == 8


def test_the_person_page_shows_terms_once_counted_and_otherwise_links_to_them(archive):
    client = Client()
    before = client.get("/people/ada-lovell/").content.decode()
    assert "See the words and phrases that set Ada Lovell apart" in before and "key-terms" not in before
    client.get("/people/ada-lovell/terms/")
    after = client.get("/people/ada-lovell/").content.decode()
    assert 'class="key-terms"' in after and "cobalt mines" in after


def test_the_event_terms_page(archive):
    client = Client()
    event_html = client.get(f"/events/{archive.slug}/").content.decode()
    assert f'href="/events/{archive.slug}/terms/"' in event_html
    assert client.get(f"/events/{archive.slug}/terms/").status_code == 200
    assert client.get("/events/nope/terms/").status_code == 404
    assert client.get("/people/nope/terms/").status_code == 404


def test_compare_two_speakers_on_a_topic(archive):
    client = Client()
    html = client.get("/compare/", {"a": "Ada Lovell", "b": "ben-other", "q": "fleets"}).content.decode()
    assert html.count('class="key-terms"') == 2
    data = client.get("/compare/", {"a": "ada-lovell", "b": "ben-other", "q": "fleets", "format": "json"}).json()
    assert [c["name"] for c in data["columns"]] == ["Ada Lovell", "Ben Other"]
    assert data["columns"][0]["passages"] == [] and len(data["columns"][1]["passages"]) == 4
    assert "No one called" in client.get("/compare/", {"a": "nobody at all"}).content.decode()
    assert client.get("/compare/").status_code == 200
