"""Did they say it? The comparison of a pasted quote with candidate turns (pure), then
/check/ and /api/check/ on the sample panel, with real quotes deliberately altered."""

import pytest
from django.test import Client
from search_helpers import process_queue, search_index, searchable_sample  # noqa: F401

from transcripts.reader import checking

KARA = (
    "The most important element in my experience that people need to understand about the issue of "
    "human trafficking is there is a sub-class of humanity that exists at the bottom of our global "
    "economic order. They are perpetually impoverished, vulnerable, destitute, and any little crisis or "
    "catastrophe—be it military conflict, climate change or, in recent years, a global pandemic—pushes "
    "them over the edge into desperation."
)
OTHER = "We need to champion another model, which is, companies at the top of the chain must accept accountability."


class T:
    def __init__(self, name, speaker):
        self.name, self.speaker = name, speaker


def verdict(quote, speaker=""):
    kara, other = T("kara", "siddharth-kara"), T("other", "mark-lagon")
    return checking.rank(quote, [(kara, KARA), (other, OTHER)], speaker_of=lambda t: t.speaker, speaker=speaker)


def test_the_exact_words_with_other_case_punctuation_and_curly_quotes_are_verbatim():
    v = verdict("“THEY ARE PERPETUALLY IMPOVERISHED, vulnerable; destitute”")
    assert v.answer == checking.VERBATIM
    assert v.best.turn.name == "kara" and v.best.passage == "They are perpetually impoverished, vulnerable, destitute"


def test_words_left_out_with_an_ellipsis_are_verbatim_and_spliced():
    v = verdict("there is a sub-class of humanity … pushes them over the edge into desperation")
    assert v.answer == checking.VERBATIM and v.best.spliced
    assert v.best.passage.startswith("there is a sub-class") and v.best.passage.endswith("into desperation")


def test_two_sentences_of_one_turn_joined_without_an_ellipsis_are_found():
    v = verdict("There is a sub-class of humanity that exists at the bottom. Climate change pushes them over the edge.")
    assert v.best is not None and v.best.turn.name == "kara"
    assert v.answer in (checking.VERBATIM, checking.DIFFERENT)


def test_a_changed_word_is_said_with_differences_and_named():
    v = verdict("They are perpetually poor, vulnerable, destitute, and any little crisis or catastrophe")
    assert v.answer == checking.DIFFERENT
    changed = [c for c in v.best.changes if c.kind == "changed"]
    assert [(c.quoted, c.said) for c in changed] == [("poor", "impoverished")]
    assert 0.8 < v.best.similarity < 1


def test_a_dropped_and_an_inserted_word_are_listed():
    v = verdict("They are impoverished, vulnerable, destitute, and any little crisis or major catastrophe")
    kinds = {(c.kind, c.quoted or c.said) for c in v.best.changes if c.kind != "same"}
    assert kinds == {("dropped", "perpetually"), ("inserted", "major")}
    assert v.answer == checking.DIFFERENT


def test_words_said_by_another_speaker_than_the_one_named():
    v = verdict("companies at the top of the chain must accept accountability", speaker="siddharth-kara")
    assert v.answer == checking.SOMEONE_ELSE
    assert v.best is None and v.by_someone_else.turn.name == "other"


def test_the_named_speaker_is_preferred_when_both_said_it():
    v = verdict("a global pandemic", speaker="siddharth-kara")
    assert v.answer == checking.VERBATIM and v.best.turn.name == "kara"


def test_words_nobody_said_are_not_in_the_archive():
    v = verdict("The moon is made of green cheese and everyone knows it")
    assert v.answer == checking.NOT_FOUND and v.best is None


def test_a_quote_inside_a_word_is_not_verbatim():
    # "pression" is inside "desperation"? No: word alignment never matches part of a word.
    v = verdict("sub class of human")
    assert v.answer != checking.VERBATIM


def test_the_telling_words_leave_out_stop_words_each_once_in_order():
    pieces = checking.quote_pieces("the cat and the dog sat on a mat with a hat near the cat")
    assert checking.telling_words(pieces) == ["cat", "dog", "sat", "mat", "hat", "near"]
    assert checking.telling_words(checking.quote_pieces("to be or not to be")) == ["to", "be", "or", "not"]


@pytest.mark.parametrize("quote", ["", "   ", "……", "!!!", "\x00"])
def test_a_quote_with_no_words_has_no_pieces(quote):
    assert checking.quote_pieces(quote) == []


def test_an_outsized_quote_is_cut():
    pieces = checking.quote_pieces("word " * 5000)
    assert sum(len(p) for p in pieces) == checking.MAX_QUOTE_WORDS


# --- the pages --------------------------------------------------------------------------------------------------


@pytest.fixture
def client():
    return Client()


def test_check_page_says_verbatim_and_links_to_the_passage(client, searchable_sample):
    response = client.get("/check/", {"q": "traffickers are the first responders in that scenario"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Said, word for word" in html and "Siddharth Kara" in html
    data = client.get("/api/check/", {"q": "traffickers are the first responders in that scenario"}).json()
    assert data["answer"] == "verbatim" and data["best"]["speaker"] == "Siddharth Kara"
    assert (
        data["best"]["url"].startswith("http://testserver/q/") and "/traffickers-are-the-first" in data["best"]["url"]
    )
    quoted = client.get(data["best"]["url"].replace("http://testserver", ""))
    assert quoted.status_code == 200 and "<mark" in quoted.content.decode()


def test_check_with_a_changed_word_shows_the_difference(client, searchable_sample):
    data = client.get("/api/check/", {"q": "traffickers are the first rescuers in that scenario"}).json()
    assert data["answer"] == "different"
    assert {"kind": "changed", "quoted": "rescuers", "said": "responders"} in data["best"]["differences"]
    html = client.get("/check/", {"q": "traffickers are the first rescuers in that scenario"}).content.decode()
    assert '<del title="said">responders</del>' in html and '<ins title="quoted">rescuers</ins>' in html


def test_check_with_the_wrong_speaker_names_who_said_it(client, searchable_sample):
    data = client.get(
        "/api/check/", {"q": "traffickers are the first responders in that scenario", "speaker": "mark-lagon"}
    ).json()
    assert data["answer"] == "someone_else" and data["said_by"]["speaker"] == "Siddharth Kara"


def test_check_of_words_never_said(client, searchable_sample):
    data = client.get("/api/check/", {"q": "purple elephants dance on quantum trampolines"}).json()
    assert data["answer"] == "not_found" and data["best"] is None
    html = client.get("/check/", {"q": "purple elephants dance on quantum trampolines"}).content.decode()
    assert "Not in the archive" in html


def test_check_never_looks_at_drafts(client, searchable_sample):
    searchable_sample.status = "draft"
    searchable_sample.save()
    process_queue()
    data = client.get("/api/check/", {"q": "traffickers are the first responders in that scenario"}).json()
    assert data["answer"] == "not_found"


def test_a_nul_in_the_quote_is_refused_with_a_reason(client, searchable_sample):
    assert client.get("/check/", {"q": "a\x00b"}).status_code == 400
    assert client.get("/api/check/", {"q": "a\x00b"}).status_code == 400


@pytest.mark.parametrize("q", ["", "…", "a" * 50000, "<script>alert(1)</script>", "\ufffe\uffff"])
def test_check_page_never_fails(client, searchable_sample, q):
    response = client.get("/check/", {"q": q})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert client.get("/api/check/", {"q": q}).status_code == 200


def test_check_page_without_a_quote_shows_the_form_and_its_json_twin(client, db):
    html = client.get("/check/").content.decode()
    assert 'name="q"' in html and 'type="application/json"' in html
    assert client.get("/check/?format=json").json()["answer"] is None
    assert client.get("/check/?format=xml").status_code == 406


def test_the_speaker_may_be_given_by_name_and_every_page_links_to_the_checker(client, searchable_sample):
    data = client.get(
        "/api/check/", {"q": "traffickers are the first responders in that scenario", "speaker": "SIDDHARTH KARA"}
    ).json()
    assert data["answer"] == "verbatim" and data["speaker"] == "siddharth-kara"
    for url in ("/", "/events/", f"/events/{searchable_sample.slug}/"):
        assert 'href="/check/"' in client.get(url).content.decode(), url


def test_a_check_reads_the_index_once_and_once_more_for_a_named_speaker(client, searchable_sample, monkeypatch):
    from transcripts.reader.views import check

    calls = []
    real = check.turns_holding_most
    monkeypatch.setattr(check, "turns_holding_most", lambda *a, **k: calls.append(k) or real(*a, **k))
    for quote in ("traffickers are the first responders in that scenario", "traffickers are the first rescuers"):
        calls.clear()
        assert client.get("/api/check/", {"q": quote}).json()["best"]["speaker"] == "Siddharth Kara"
        assert [c.get("speaker", "") for c in calls] == [""]
    calls.clear()
    client.get("/api/check/", {"q": "traffickers are the first responders", "speaker": "mark-lagon"})
    assert [c.get("speaker", "") for c in calls] == ["", "mark-lagon"]
