"""An event's language (ISO 639-1): read from front matter, a sidecar or the markup, refused
when it is no language, stored, shown with a `lang` attribute, in the JSON, a search filter,
and the stemmer its turns are searched with."""

import io
import json
import re
import string

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st
from search_helpers import (  # noqa: F401
    OPENSEARCH_SKIPPED,
    OPENSEARCH_URL,
    drop_test_indices,
    opensearch_connection,
    process_queue,
    search_engine,
    search_index,
    use_connection,
)

from tests.staff.test_admin_support import UPLOAD_URL, editor, editor_client, review_url, submit_review, upload  # noqa: F401
from transcripts.languages import NAMES, STEMMERS, UnknownLanguage, language_code, stemmer_name
from transcripts.models import Event, PendingUpload
from transcripts.operations.imports import import_transcript
from transcripts.parsing import ParseError, parse_transcript
from transcripts.search import indexing
from transcripts.search.text import LanguageText, searching_in, term_positions, terms

FRENCH = """---
title: Le travail dans le monde
date: 2024-03-08
language: fr
---
CLAIRE DUBOIS: Les travailleurs internationaux sont arrivés ce matin.

MARC LEROY: Le droit international les protège.

CLAIRE DUBOIS: Merci beaucoup.
"""
ENGLISH = """---
title: Work around the world
date: 2024-03-09
---
ANN LEE: Our interns met the delegation this morning.

BOB KING: The law protects them.

ANN LEE: Thank you, delegates.
"""


# --- the codes ---------------------------------------------------------------------------


def test_the_table_is_iso_639_1():
    assert len(NAMES) == 183
    assert all(len(code) == 2 and code.isascii() and code.islower() for code in NAMES)
    assert NAMES["fr"] == "French" and NAMES["zh"] == "Chinese" and NAMES["cy"] == "Welsh"
    assert set(STEMMERS) <= set(NAMES)


@pytest.mark.parametrize(
    "written, code",
    [("fr", "fr"), ("FR", "fr"), (" fr-CA ", "fr"), ("en_GB", "en"), ("French", "fr"), ("german", "de"), ("", "")],
)
def test_a_language_may_be_written_as_a_code_a_tag_or_its_name(written, code):
    assert language_code(written) == code


@pytest.mark.parametrize("written", ["xx", "english please", "f", "fra", "12", "fr--", "Klingon"])
def test_anything_else_is_refused_saying_what_to_write(written):
    with pytest.raises(UnknownLanguage, match="not an ISO 639-1 language; write its two-letter code, e.g. 'en'"):
        language_code(written)


@given(st.sampled_from(sorted(NAMES)), st.sampled_from(["", "-US", "_419", "-Latn-RS"]))
def test_every_code_and_tag_reads_as_its_code(code, region):
    assert language_code(code.upper() + region) == code
    assert language_code(NAMES[code]) == code


@given(st.text(alphabet=string.ascii_letters, min_size=2, max_size=2))
def test_two_letters_are_a_language_exactly_when_the_table_has_them(letters):
    if letters.lower() in NAMES:
        assert language_code(letters) == letters.lower()
    else:
        with pytest.raises(UnknownLanguage):
            language_code(letters)


def test_stemmers_english_by_default_none_where_no_stemmer_is_kept():
    assert stemmer_name("") == "porter" and stemmer_name("en") == "porter"
    assert stemmer_name("fr") == "french" and stemmer_name("nb") == "norwegian"
    assert stemmer_name("zh") == "" and stemmer_name("ja") == "" and stemmer_name("pl") == ""


# --- the parser ---------------------------------------------------------------------------


def test_front_matter_language():
    assert parse_transcript(FRENCH).language == "fr"
    assert parse_transcript(ENGLISH).language == ""


def test_a_front_matter_language_that_is_none_is_refused():
    with pytest.raises(ParseError, match="Front matter: language is 'Frenglish', which is not an ISO 639-1"):
        parse_transcript(FRENCH.replace("language: fr", "language: Frenglish"))


def test_an_html_page_declares_its_language():
    page = (
        '<!DOCTYPE html>\n<html lang="es-MX"><head><title>Mesa redonda</title></head><body>'
        '<p lang="en">ANN LEE: quoted in English.</p>'
        "<p>ANA RUIZ: Buenos días a todos.</p><p>LUIS MORA: Gracias, Ana.</p><p>ANA RUIZ: Empecemos.</p></body></html>"
    )
    assert parse_transcript(page).language == "es"
    # Only the page's own element says so: a lang on a quoted paragraph is the quote's.
    assert parse_transcript(page.replace(' lang="es-MX"', "")).language == ""


@pytest.mark.parametrize(
    "name, code",
    [("commons-ca-2015-12-04-debats-fr.xml", "fr"), ("committee-ca-2023-09-20-science-research-en.xml", "en")],
)
def test_an_xml_record_declares_its_language_on_its_root(name, code):
    from conftest import corpus_path

    text = corpus_path(name).read_text(encoding="utf-8")
    assert parse_transcript(text).language == code
    # Without the declaration no language is recorded: it is never guessed from the words.
    assert parse_transcript(text.replace(f'xml:lang="{code.upper()}"', "", 1)).language == ""


def test_a_declared_language_that_is_none_is_a_warning_not_a_language():
    page = "<html lang='zz'><body><p>ANN LEE: Hello.</p><p>BOB KING: Hi.</p><p>ANN LEE: Bye.</p></body></html>"
    transcript = parse_transcript(page)
    assert transcript.language == ""
    assert any("declares the language 'zz'" in w for w in transcript.warnings)


# --- stored, shown, in JSON -----------------------------------------------------------


@pytest.mark.django_db
def test_the_event_page_shows_the_language_and_marks_the_turns_with_it(client):
    event = import_transcript(FRENCH, status="published").event
    assert Event.objects.get(pk=event.pk).language == "fr"
    html = client.get(event.get_absolute_url()).content.decode()
    assert '<span class="event-language">in French</span>' in html
    assert '<div class="transcript-turns" lang="fr">' in html
    assert '<html lang="en">' in html  # the page's own words stay English
    [ld] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert json.loads(ld)["inLanguage"] == "fr"  # the JSON-LD Event
    english = import_transcript(ENGLISH, status="published").event
    html = client.get(english.get_absolute_url()).content.decode()
    assert "event-language" not in html and '<div class="transcript-turns">' in html


@pytest.mark.django_db
def test_the_event_json_and_the_list_json_say_the_language(client):
    event = import_transcript(FRENCH, status="published").event
    import_transcript(ENGLISH, status="published")
    assert client.get(event.get_absolute_url(), {"format": "json"}).json()["language"] == "fr"
    listed = {e["slug"]: e["language"] for e in client.get("/events/", {"format": "json"}).json()["events"]}
    assert listed == {event.slug: "fr", "work-around-the-world-2024-03-09": ""}


# --- refused at every entry ---------------------------------------------------------------


@pytest.mark.django_db
def test_import_metadata_with_a_bad_language_stores_nothing():
    with pytest.raises(ParseError, match="language is 'xx'"):
        import_transcript(ENGLISH, metadata={"language": "xx"})
    assert not Event.objects.exists()


def run_import(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_transcripts", *map(str, args), stdout=out, stderr=err)
    except CommandError as exc:
        return 1, out.getvalue(), err.getvalue() + str(exc)
    return 0, out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_the_import_command_takes_a_language_option_and_refuses_a_bad_one(tmp_path):
    path = tmp_path / "panel.txt"
    path.write_text(ENGLISH.replace("---\ntitle", "---\ntitle", 1), encoding="utf-8")
    code, _out, err = run_import(path, "--language", "Frenglish")
    assert code == 1 and "language is 'Frenglish', which is not an ISO 639-1 language" in err
    assert "Fix the option and import again." in err
    assert not Event.objects.exists()
    code, out, err = run_import(path, "--language", "en-GB")
    assert code == 0, err
    assert Event.objects.get().language == "en"


@pytest.mark.django_db
def test_a_sidecar_with_a_bad_language_is_refused_naming_the_file(tmp_path):
    path = tmp_path / "panel.txt"
    path.write_text(ENGLISH, encoding="utf-8")
    (tmp_path / "panel.txt.json").write_text(json.dumps({"language": "english-ish"}), encoding="utf-8")
    code, _out, err = run_import(path)
    assert code == 1
    assert "the metadata file panel.txt.json: language is 'english-ish', which is not an ISO 639-1" in err
    assert not Event.objects.exists()
    (tmp_path / "panel.txt.json").write_text(json.dumps({"language": "de"}), encoding="utf-8")
    assert run_import(path)[0] == 0 and Event.objects.get().language == "de"


@pytest.mark.django_db
def test_an_upload_with_a_bad_front_matter_language_says_so(editor_client):
    response = upload(editor_client, FRENCH.replace("language: fr", "language: xx"))
    assert response.status_code == 200
    assert "Front matter: language is &#x27;xx&#x27;, which is not an ISO 639-1 language" in response.content.decode()
    assert not PendingUpload.objects.exists() and not Event.objects.exists()


@pytest.mark.django_db
def test_the_upload_form_refuses_a_language_that_is_not_listed(editor_client):
    response = upload(editor_client, ENGLISH, language="xx")
    assert response.status_code == 200
    assert "Select a valid choice. xx is not one of the available choices." in response.content.decode()
    assert not PendingUpload.objects.exists()


@pytest.mark.django_db
def test_staff_set_the_language_in_the_preview(editor_client):
    upload(editor_client, ENGLISH)
    url = review_url(PendingUpload.objects.get())
    response = editor_client.get(url)
    assert response.context["form"]["language"].value() == ""
    assert 'name="language"' in response.content.decode()
    confirmed = submit_review(editor_client, url, response, language="it")
    assert confirmed.status_code == 302
    assert Event.objects.get().language == "it"


@pytest.mark.django_db
def test_the_preview_starts_from_the_language_the_file_gives(editor_client):
    upload(editor_client, FRENCH)
    response = editor_client.get(review_url(PendingUpload.objects.get()))
    assert response.context["form"]["language"].value() == "fr"


@pytest.mark.django_db
def test_staff_change_the_language_in_the_admin(admin_client):
    event = import_transcript(ENGLISH).event
    page = admin_client.get(f"/admin/transcripts/event/{event.pk}/change/").content.decode()
    assert '<select name="language"' in page
    # The admin's select offers the table's codes only; a change stores a new version.
    data = {
        "title": event.title,
        "slug": event.slug,
        "date": event.date.isoformat(),
        "status": event.status,
        "language": "pt",
        "appearances-TOTAL_FORMS": "0",
        "appearances-INITIAL_FORMS": "0",
    }
    response = admin_client.post(f"/admin/transcripts/event/{event.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event.refresh_from_db()
    assert event.language == "pt" and event.revisions.count() == 2
    assert event.revisions.order_by("-number").first().snapshot["event"]["language"] == "pt"
    data["language"] = "xx"
    refused = admin_client.post(f"/admin/transcripts/event/{event.pk}/change/", data)
    assert refused.status_code == 200 and "Select a valid choice. xx is not one of the available choices." in (
        refused.content.decode()
    )


# --- stemming ------------------------------------------------------------------------------


def test_a_french_text_is_indexed_with_french_stems():
    french = LanguageText("Les travailleurs internationaux", "fr")
    assert list(term_positions(french)) == ["le", "travailleur", "international"]
    # The same words as English (Porter) text: other terms.
    assert list(term_positions(str(french))) == ["le", "travailleur", "internationaux"]
    assert [t.text for t in terms("internationale", language="fr")] == ["international"]


def test_a_search_narrowed_to_a_language_stems_the_words_typed_in_it():
    assert [t.text for t in terms("international")] == ["intern"]
    with searching_in("fr"):
        assert [t.text for t in terms("international")] == ["international"]
    with searching_in("zh"):  # no stemmer: the folded word
        assert [t.text for t in terms("Internationals")] == ["internationals"]
    assert [t.text for t in terms("international")] == ["intern"]


def test_language_text_survives_pickling():
    import pickle

    text = pickle.loads(pickle.dumps(LanguageText("Bonjour", "fr")))
    assert text == "Bonjour" and text.language == "fr"


@pytest.fixture
def two_languages(search_engine, search_index):
    french = import_transcript(FRENCH, status="published").event
    english = import_transcript(ENGLISH, status="published").event
    process_queue()
    return french, english


def found(client, **params) -> list[str]:
    data = client.get("/api/search/", params).json()
    return sorted(hit["public_id"] for hit in data["results"])


def turn_ids(event, *positions) -> list[str]:
    return sorted(event.turns.filter(position__in=positions).values_list("public_id", flat=True))


@pytest.mark.django_db
def test_the_language_filter_finds_only_that_languages_turns(client, two_languages):
    french, english = two_languages
    assert found(client, q="beaucoup OR protects", language="fr") == turn_ids(french, 3)
    assert found(client, q="beaucoup OR protects", language="French") == turn_ids(french, 3)
    assert found(client, q="beaucoup OR protects") == sorted(turn_ids(french, 3) + turn_ids(english, 2))
    assert found(client, q="", language="en") == []
    # Without the filter the words typed are stemmed as English: the French turn holds
    # "merci" as its French stem "merc", which the English "merci" does not find.
    assert found(client, q="merci") == []
    assert found(client, q="merci", language="fr") == turn_ids(french, 3)
    page = client.get("/search/", {"q": "beaucoup OR protects", "language": "fr"}).content.decode()
    assert '<option value="fr" selected>French</option>' in page
    assert "1 turn matches" in page


@pytest.mark.django_db
def test_a_bad_language_filter_is_ignored_with_a_message(client, two_languages):
    data = client.get("/api/search/", {"q": "beaucoup OR protects", "language": "xx"}).json()
    assert data["total"] == 2
    assert "“xx” is not a language code (write one such as fr or de); that filter was ignored." in data["messages"]


@pytest.mark.django_db
def test_french_turns_are_stemmed_in_french(client, two_languages):
    french, english = two_languages
    # "internationale" and "internationaux" share the French stem; in English they do not.
    assert found(client, q="internationale", language="fr") == turn_ids(french, 1, 2)
    # Porter would make the French "international" an "intern": not applied to French turns.
    assert found(client, q="interns") == turn_ids(english, 1)
    # Within one French event, the words typed are stemmed in French too.
    hits = client.get(french.get_absolute_url(), {"q": "internationale", "format": "json"}).json()
    assert sorted(h["public_id"] for h in hits["matches"]) == turn_ids(french, 1, 2)


@pytest.mark.django_db
def test_a_language_set_later_reindexes_the_events_turns(client, search_engine, search_index):
    from transcripts.operations.edits import edit_event

    event = import_transcript(FRENCH.replace("language: fr\n", ""), status="published").event
    process_queue()
    assert found(client, q="internationale", language="fr") == []
    assert found(client, q="interns") == turn_ids(event, 2)  # "international", stemmed as English
    edit_event(event, {"language": "fr"}, note="Language set")
    process_queue()
    assert found(client, q="internationale", language="fr") == turn_ids(event, 1, 2)
    assert found(client, q="interns") == []


@pytest.mark.django_db
def test_an_edit_with_a_bad_language_stores_nothing():
    from transcripts.operations.edits import edit_event
    from transcripts.validation import InvalidInput

    event = import_transcript(ENGLISH).event
    with pytest.raises(InvalidInput, match="language"):
        edit_event(event, {"language": "xx"}, note="bad")
    event.refresh_from_db()
    assert event.language == "" and event.revisions.count() == 1


# Words of the stemmed languages whose endings the stemmers cut (plural, feminine, verb forms).
VOCABULARY = (
    "travailleurs nationalisation internationaux gouvernements généralement häuser arbeitsplätze trabajadores "
    "gobiernos organizaciones lavoratori governi trabalhadores regeringen arbetare työntekijät kormányok işçiler "
    "muncitori работники правительства arbejdere werknemers arbeidere"
)


@pytest.fixture
def opensearch(db):
    """The OpenSearch engine with an empty index; yields its backend."""
    if not OPENSEARCH_URL:
        pytest.skip(OPENSEARCH_SKIPPED)
    previous = indexing.connections.connections_info["default"]
    use_connection(opensearch_connection())
    try:
        indexing.backend().clear()
        yield indexing.backend()
    finally:
        drop_test_indices()
        use_connection(previous)


def test_opensearch_stems_each_language_as_whoosh_does(opensearch):
    from transcripts.search.opensearch_backend import language_analyzer

    for code in sorted(set(STEMMERS) - {"en"}):
        body = {"analyzer": language_analyzer(stemmer_name(code)), "text": VOCABULARY}
        tokens = opensearch.conn.indices.analyze(index=opensearch.index_name, body=body)["tokens"]
        assert [token["token"] for token in tokens] == [t.text for t in terms(VOCABULARY, language=code)], code
