"""Every entry path validates what it stores: control characters, http(s) URLs, the sidecar
.json and field lengths (transcripts/validation.py), through the importer, the command, the
model fields the admin's forms use, and the archive import."""

import json

import pytest
from django.core.exceptions import ValidationError

from tests.operations.test_importer import run_import
from transcripts.models import Event, Person, Topic, Turn
from transcripts.operations.imports import import_transcript
from transcripts.parsing import ParseError
from transcripts.validation import (
    InvalidInput,
    http_url,
    strip_control_characters,
    validate_sidecar,
)

pytestmark = pytest.mark.django_db

PANEL = "A Good Panel\n\nJanuary 5, 2021\n\nSMITH: Hello there.\n\nJONES: Hello back.\n"


# --- control characters -----------------------------------------------------------------


def test_strip_control_characters_keeps_tabs_and_line_endings():
    assert strip_control_characters("a\x00b\x1bc\x7fd\x9fe") == ("abcde", 4)
    assert strip_control_characters("line\x0bnext\x0cpage\x85nel") == ("line\nnext\npage\nnel", 3)
    assert strip_control_characters("tab\there\r\nnew\nline é") == ("tab\there\r\nnew\nline é", 0)
    assert strip_control_characters("") == ("", 0)


def test_control_characters_in_the_text_are_removed_on_import_with_a_warning(client):
    text = "A Panel\x07 on \x1bFeeds\n\nJanuary 5, 2021\n\nSMITH: Hello\x00 there\x08.\n\nJONES: Hi.\n"
    result = import_transcript(text, status="published")
    event = Event.objects.get()
    assert event.title == "A Panel on Feeds"
    assert Turn.objects.get(label="SMITH").text == "Hello there."
    assert "\x00" not in event.source_text and "\x07" not in event.source_text
    assert any("control characters" in w and "the transcript text" in w for w in result.warnings)
    # The feeds that broke with a 500 now serialise.
    person = Person.objects.get(name__iexact="smith")
    assert client.get("/feeds/events/").status_code == 200
    assert client.get(f"/people/{person.slug}/feed/").status_code == 200


def test_form_feeds_of_court_reporter_pages_are_kept_for_the_parser_without_a_warning():
    text = "A Hearing\n\nJanuary 5, 2021\n\nSMITH: Hello there.\n\x0c 2\n\nJONES: Hi.\n\nSMITH: Bye.\n"
    result = import_transcript(text, status="published")
    event = Event.objects.get()
    assert "\x0c" in event.source_text
    assert not any("control characters" in w for w in result.warnings)
    assert all("\x0c" not in t.text for t in Turn.objects.all())


def test_control_characters_in_metadata_are_removed_with_a_warning_naming_the_field():
    result = import_transcript(
        PANEL, metadata={"description": "Bad\x01 desc", "organiser": "CFR\x1f", "topics": ["Tr\x02ade"]}
    )
    event = Event.objects.get()
    assert (event.description, event.organiser) == ("Bad desc", "CFR")
    assert list(event.topics.values_list("name", flat=True)) == ["Trade"]
    warning = next(w for w in result.warnings if "control characters" in w)
    assert "description" in warning and "organiser" in warning and "a topic" in warning


def test_control_characters_in_a_reviewed_speaker_name_are_removed():
    import_transcript(PANEL, people={"Smith": {"name": "Ann\x00 Smith"}})
    assert Person.objects.filter(name="Ann Smith").exists()
    assert all("\x00" not in name for name in Person.objects.values_list("name", flat=True))


def test_command_reports_removed_control_characters(tmp_path):
    path = tmp_path / "ctl.txt"
    # A stray code or two in ordinary text (a share this small is not "a binary file").
    path.write_text(
        "Panel\x0e Title\n\nJanuary 5, 2021\n\nSMITH: Hi\x1b." + " Words." * 30 + "\n\nJONES: Yes.\n", encoding="utf-8"
    )
    code, out, err = run_import(path)
    assert code == 0, err
    assert "warning: Removed invisible control characters" in out
    assert Event.objects.get().title == "Panel Title"


# --- URLs -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    [
        "javascript:alert(4)",
        "JavaScript:alert(1)",
        "data:text/html,<script>",
        "ftp://x.org/a",
        "vbscript:msgbox",
        "//evil.example/x",
        "http://",
        "not a url",
        5,
    ],
)
def test_http_url_refuses_everything_but_http_and_https(bad):
    with pytest.raises(InvalidInput) as caught:
        http_url(bad)
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, ValidationError)
    assert "http://" in str(caught.value)


def test_http_url_accepts_and_trims_web_addresses():
    assert http_url("  https://www.cfr.org/event/x?a=1#b ") == "https://www.cfr.org/event/x?a=1#b"
    assert http_url("http://example.org") == "http://example.org"
    assert http_url("") == "" and http_url(None) == ""


def test_a_javascript_url_in_front_matter_is_refused_and_nothing_is_stored():
    text = "---\ntitle: Panel\ndate: 2021-01-05\nsource_url: javascript:alert(4)\n---\nSMITH: Hello.\n\nJONES: Hi.\n"
    with pytest.raises(ParseError, match=r"source_url: 'javascript:alert\(4\)' is not allowed as a link"):
        import_transcript(text)
    assert Event.objects.count() == 0 and Turn.objects.count() == 0


def test_a_javascript_url_in_the_sidecar_fails_that_file_only(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text(PANEL.replace("A Good Panel", "Bad Panel"), encoding="utf-8")
    (tmp_path / "bad.txt.json").write_text(json.dumps({"media_url": "javascript:alert(4)"}), encoding="utf-8")
    (tmp_path / "good.txt").write_text(PANEL, encoding="utf-8")
    code, _, err = run_import(tmp_path)
    assert code == 1
    assert f"{bad}: error: the metadata file bad.txt.json: media_url: 'javascript:alert(4)' is not allowed" in err
    assert list(Event.objects.values_list("title", flat=True)) == ["A Good Panel"]


def test_metadata_urls_from_the_upload_form_are_refused():
    with pytest.raises(InvalidInput, match="media_url"):
        import_transcript(PANEL, metadata={"media_url": "javascript:alert(1)"})
    assert Event.objects.count() == 0


def test_model_fields_refuse_non_http_urls_so_admin_forms_do_too():
    event = Event(title="T", slug="t", source_url="javascript:alert(4)", media_url="ftp://x.org/v")
    with pytest.raises(ValidationError) as caught:
        event.full_clean()
    assert set(caught.value.message_dict) == {"source_url", "media_url"}
    person = Person(name="P", slug="p", photo_url="javascript:alert(1)")
    with pytest.raises(ValidationError) as caught:
        person.full_clean()
    assert any("http://" in message for message in caught.value.message_dict["photo_url"])
    Event(title="T", slug="t", source_url="https://www.cfr.org/e", media_url="").full_clean()


def test_admin_event_form_refuses_a_javascript_url(admin_client, sample_event):
    url = f"/admin/transcripts/event/{sample_event.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {
        k: v for k, v in form.initial.items() if v is not None and k not in ("topics", "media_file", "captions_file")
    }
    data.update(
        {
            "date": str(sample_event.date),
            "source_url": "javascript:alert(4)",
            "topics": [t.pk for t in sample_event.topics.all()],
        }
    )
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name, field in management.fields.items():
            data[f"{management.prefix}-{name}"] = management.initial.get(name, field.initial) or 0
        for inline in formset.formset.forms:
            for name, value in inline.initial.items():
                data[f"{inline.prefix}-{name}"] = getattr(value, "pk", value) if value is not None else ""
    response = admin_client.post(url, data)
    assert response.status_code == 200  # the form again, with the error, not a redirect
    assert list(response.context["adminform"].form.errors) == ["source_url"]
    assert Event.objects.get().source_url.startswith("https://www.cfr.org/")


# --- the sidecar .json ----------------------------------------------------------------


@pytest.mark.parametrize(
    "sidecar, message",
    [
        ({"status": "bogus"}, "status is 'bogus'; it must be one of 'draft', 'published'"),
        ({"topics": "notalist"}, "topics must be a list of names"),
        ({"topics": [1, None, {"a": 1}]}, "each topic must be a non-empty name (a JSON string); 1 is not"),
        ({"topics": ["Fine", ""]}, "each topic must be a non-empty name"),
        ({"date": "not-a-date"}, "date is 'not-a-date'; write it as YYYY-MM-DD"),
        ({"date": 2021}, "date is 2021; write it as YYYY-MM-DD"),
        ({"title": "x" * 5000}, "title is 5,000 characters long; it may be at most 300"),
        ({"organiser": ["CFR"]}, "organiser must be text"),
        ({"source_url": "javascript:alert(4)"}, "source_url: 'javascript:alert(4)' is not allowed as a link"),
        ({"topic": ["typo"]}, "unknown key(s) 'topic'; the keys it may have are"),
        (["not", "an", "object"], "must hold a JSON object"),
    ],
)
def test_a_bad_sidecar_fails_its_file_with_a_clear_message_and_the_rest_import(tmp_path, sidecar, message):
    bad = tmp_path / "a-bad.txt"
    bad.write_text(PANEL.replace("A Good Panel", "Bad Panel"), encoding="utf-8")
    (tmp_path / "a-bad.txt.json").write_text(json.dumps(sidecar), encoding="utf-8")
    (tmp_path / "b-good.txt").write_text(PANEL, encoding="utf-8")
    code, _, err = run_import(tmp_path)
    assert code == 1
    assert f"{bad}: error: the metadata file a-bad.txt.json: " in err and message in err, err
    assert "1 of 2 file(s) failed" in err
    assert list(Event.objects.values_list("title", flat=True)) == ["A Good Panel"]
    assert not Topic.objects.exists()


def test_a_good_sidecar_gives_typed_metadata():
    data = validate_sidecar(
        {
            "topics": ["Trade", "Human Rights"],
            "date": "2021-02-03",
            "status": "draft",
            "source_url": " https://x.org/e ",
            "organiser": "CFR",
            "media_url": None,
        }
    )
    assert data == {
        "topics": ["Trade", "Human Rights"],
        "date": __import__("datetime").date(2021, 2, 3),
        "status": "draft",
        "source_url": "https://x.org/e",
        "organiser": "CFR",
    }


def test_sidecar_date_and_status_are_used(tmp_path):
    (tmp_path / "p.txt").write_text(PANEL, encoding="utf-8")
    (tmp_path / "p.txt.json").write_text(json.dumps({"date": "2020-03-04", "status": "draft", "topics": ["Trade"]}))
    code, _, err = run_import(tmp_path)
    assert code == 0, err
    event = Event.objects.get()
    assert (str(event.date), event.status) == ("2020-03-04", "draft")
    assert list(event.topics.values_list("name", flat=True)) == ["Trade"]


# --- lengths from front matter and metadata --------------------------------------------


@pytest.mark.parametrize(
    "front_matter, message",
    [
        ("title: " + "T" * 301, "title is 301 characters long; it may be at most 300"),
        ("organiser: " + "O" * 201, "organiser is 201 characters long; it may be at most 200"),
        ("source_url: https://example.org/" + "p" * 500, "source_url is 520 characters long; it may be at most 500"),
    ],
)
def test_front_matter_longer_than_the_model_holds_is_refused(front_matter, message):
    if not front_matter.startswith("title"):
        front_matter = "title: Panel\n" + front_matter
    text = f"---\n{front_matter}\ndate: 2021-01-05\n---\nSMITH: Hello.\n\nJONES: Hi.\n"
    with pytest.raises(ParseError) as caught:
        import_transcript(text)
    assert message in str(caught.value)
    assert Event.objects.count() == 0


def test_a_speaker_name_longer_than_the_model_holds_is_refused():
    with pytest.raises(InvalidInput, match="name is 201 characters long; it may be at most 200"):
        import_transcript(PANEL, people={"Smith": {"name": "N" * 201}})
    assert Event.objects.count() == 0 and Person.objects.count() == 0
