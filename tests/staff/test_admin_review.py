"""Staff review what the parser did not take as a speaker.

The preview lists speakers with turns and words, and the label-shaped line starts the
parser did not take ("Not taken as speakers"); ticking "make a speaker" or "not a
speaker" re-parses with that choice, which is stored on the PendingUpload and used at
confirm. Also: files with no title (captions, documents) import when staff type one."""

import pytest
from django.contrib.messages import get_messages

from tests.conftest import corpus_path
from tests.staff.test_admin_support import (  # noqa: F401  (fixtures)
    editor,
    editor_client,
    form_data,
    review_url,
    speaker_field,
    submit_review,
    upload,
)
from transcripts.models import Event, PendingUpload, Person, Turn
from transcripts.parsing import LabelChoices, Transcript, parse_transcript
from transcripts.plan import ReviewChoices, parse_key
from transcripts.staff.forms import REJECTED_LABELS_SHOWN

pytestmark = pytest.mark.django_db

DEBATE = "debate-1976-09-23-philadelphia-ford-carter.txt"
DEBATE_TITLE = "The First Ford–Carter Debate"
GANNON_FOLLOW_UP = "Mr. President, to follow up a moment"


@pytest.fixture
def debate_variant() -> str:
    """The 1976 debate with one of James Gannon's turns labelled "Gannon:": a one-word label
    used once, which the parser does not take as a speaker."""
    text = corpus_path(DEBATE).read_text(encoding="utf-8")
    variant = text.replace(f"\nJames Gannon: {GANNON_FOLLOW_UP}", f"\nGannon: {GANNON_FOLLOW_UP}", 1)
    assert variant != text
    return variant


@pytest.fixture
def debate_preview(editor_client, debate_variant):
    response = upload(editor_client, debate_variant, filename="debate.txt", title=DEBATE_TITLE)
    assert response.status_code == 302, response.content.decode()[:2000]
    url = review_url(PendingUpload.objects.get())
    return url, editor_client.get(url)


def rows_by_label(response) -> dict:
    return {row.label: row for row in response.context["speaker_table"]}


def rejected_by_label(response) -> dict:
    return {item["row"].label: item for item in response.context["rejected_labels"]}


def tick(client, url, response, *labels, action="preview"):
    data = form_data(response)
    data["make_speaker"] = list(labels)
    data["action"] = action
    return client.post(url, data)


# ---------------------------------------------------------------- the parse cache


def test_parse_cache_round_trips_rejected_labels_and_turn_times(debate_variant):
    """Regression: the cache could not be read back once the parser added rejected_labels
    (TypeError: every review page after the upload was a 500)."""
    parsed = parse_transcript(debate_variant)
    parsed.turns[0].start_seconds = 12.5
    again = Transcript.from_dict(parsed.to_dict())
    assert again == parsed
    assert [(r.label, r.count) for r in again.label_candidates] == [("Gannon", 1)]
    assert again.turns[0].start_seconds == 12.5


def test_parse_key_includes_label_choices():
    plain, forced = ReviewChoices(), ReviewChoices(labels={"Gannon": True})
    assert parse_key("text", plain) != parse_key("text", forced)
    assert parse_key("text", forced) != parse_key("text", ReviewChoices(labels={"Gannon": False}))
    # Choices that do not reach the parser do not invalidate the parse.
    assert parse_key("text", plain) == parse_key("text", ReviewChoices(metadata={"title": "x"}))
    assert forced.label_choices() == LabelChoices(force={"Gannon"})
    assert ReviewChoices.from_json(forced.to_json()) == forced


# ---------------------------------------------------------------- what the preview shows


def test_preview_lists_turns_words_and_labels_not_taken(debate_preview, debate_variant):
    url, response = debate_preview
    assert response.status_code == 200
    rows = rows_by_label(response)
    parsed = parse_transcript(debate_variant)
    newman_words = sum(len(t.text.split()) for t in parsed.turns if t.speaker == "Edwin Newman")
    assert (rows["Edwin Newman"].turns, rows["Edwin Newman"].words) == (29, newman_words)
    assert rows["James Gannon"].turns == 6  # one of his seven turns is labelled "Gannon"
    rejected = rejected_by_label(response)
    assert list(rejected) == ["Gannon"]
    assert rejected["Gannon"]["row"].count == 1 and not rejected["Gannon"]["ticked"]
    html = response.content.decode()
    assert "Not taken as speakers (1)" in html
    assert f"Gannon: {GANNON_FOLLOW_UP}" in html
    assert '<input type="checkbox" name="make_speaker" value="Gannon"' in html
    assert '<th scope="col">Words</th>' in html and ">Not a speaker</th>" in html
    # The parser's warning about a label used only once reaches the page.
    assert any("start only one turn each: 'Announcer offscreen'" in w for w in response.context["warnings"])


def test_preview_warns_when_one_speaker_holds_most_words_and_caps_the_rejected_table(editor_client):
    parts = []
    for i in range(REJECTED_LABELS_SHOWN + 10):
        parts.append("ALICE: " + "word " * 40 + f"\nPoint number {i}: something said here.")
        parts.append("BOB: yes.")
    upload(editor_client, "Harbour Panel\n\n" + "\n\n".join(parts), title="Harbour Panel")
    response = editor_client.get(review_url(PendingUpload.objects.get()))
    assert response.status_code == 200
    assert any(
        w.startswith("'ALICE' holds 98% of the words, and 60 label-like line starts")
        for w in response.context["warnings"]
    )
    assert len(response.context["rejected_labels"]) == REJECTED_LABELS_SHOWN
    assert response.context["rejected_count"] == 60 and response.context["rejected_hidden"] == 10
    html = response.content.decode()
    assert html.count('name="make_speaker"') == REJECTED_LABELS_SHOWN
    assert "Not taken as speakers (60)" in html and "10\n  more, each starting as few lines or fewer" in html


# ---------------------------------------------------------------- making a label a speaker


def test_ticking_a_label_reparses_and_stores_the_choice(editor_client, debate_preview, debate_variant):
    url, response = debate_preview
    response = tick(editor_client, url, response, "Gannon")
    assert response.status_code == 200
    pending = PendingUpload.objects.get()
    assert pending.review["labels"] == {"Gannon": True}
    assert pending.parsed_key == parse_key(debate_variant, ReviewChoices(labels={"Gannon": True}))
    rows = rows_by_label(response)
    assert rows["James Gannon"].turns == 7  # the "Gannon:" turn is his again
    assert response.context["rejected_labels"] == []
    assert "Not taken as speakers (0)" in response.content.decode()
    # Reloading the page keeps the choice (it is the upload's, not the request's).
    again = editor_client.get(url)
    assert rows_by_label(again)["James Gannon"].turns == 7


def test_confirm_after_ticking_stores_the_forced_turn_under_the_right_person(editor_client, debate_preview):
    url, response = debate_preview
    response = tick(editor_client, url, response, "Gannon")
    response = submit_review(editor_client, url, response, action="confirm", status="published")
    assert response.status_code == 302, [str(m) for m in get_messages(response.wsgi_request)]
    event = Event.objects.get()
    assert event.title == DEBATE_TITLE and event.turns.count() == 98
    turn = Turn.objects.get(event=event, text__startswith=GANNON_FOLLOW_UP)
    assert turn.appearance.person.name == "James Gannon"
    assert Turn.objects.filter(event=event, appearance__person__name="James Gannon").count() == 7
    assert not Person.objects.filter(name="Gannon").exists()


def test_confirm_posted_with_a_new_tick_shows_the_new_parse_and_stores_nothing(editor_client, debate_preview):
    url, response = debate_preview
    response = tick(editor_client, url, response, "Gannon", action="confirm")
    assert response.status_code == 200
    assert Event.objects.count() == 0
    assert any("your speaker choices changed the preview" in str(m) for m in get_messages(response.wsgi_request))
    assert rows_by_label(response)["James Gannon"].turns == 7
    # Confirming that preview stores it.
    response = submit_review(editor_client, url, response, action="confirm", status="draft")
    assert response.status_code == 302
    assert Turn.objects.filter(appearance__person__name="James Gannon").count() == 7


def test_a_forced_label_stays_chosen_and_a_speaker_row_can_then_be_refused(editor_client, debate_preview):
    url, response = debate_preview
    response = tick(editor_client, url, response, "Gannon")
    response = tick(editor_client, url, response)  # nothing ticked: "Gannon" is not listed, so kept
    assert PendingUpload.objects.get().review["labels"] == {"Gannon": True}
    # "Not a speaker" on James Gannon's row then refuses his full label too; both choices are kept.
    data = form_data(response)
    data[speaker_field(response, "James Gannon", "not_speaker")] = "on"
    response = editor_client.post(url, {**data, "action": "preview"})
    assert PendingUpload.objects.get().review["labels"] == {"Gannon": True, "James Gannon": False}
    assert "James Gannon" not in rows_by_label(response)
    assert rejected_by_label(response)["James Gannon"]["row"].count == 6


def test_a_forged_label_changes_nothing(editor_client, debate_preview):
    url, response = debate_preview
    response = tick(editor_client, url, response, "Edwin Newman", "Nobody at all")
    assert response.status_code == 200
    assert PendingUpload.objects.get().review.get("labels", {}) == {}
    assert rows_by_label(response)["Edwin Newman"].turns == 29


# ---------------------------------------------------------------- not a speaker


def test_not_a_speaker_joins_its_lines_to_the_turn_before_and_can_be_undone(editor_client, sample_text):
    upload(editor_client, sample_text, filename="cfr-sample.txt")
    url = review_url(PendingUpload.objects.get())
    response = editor_client.get(url)
    assert response.context["turn_count"] == 63 and rows_by_label(response)["OPERATOR"].turns == 5
    data = form_data(response)
    data[speaker_field(response, "OPERATOR", "not_speaker")] = "on"
    response = editor_client.post(url, {**data, "action": "preview"})
    assert response.status_code == 200
    assert PendingUpload.objects.get().review["labels"] == {"OPERATOR": False}
    assert "OPERATOR" not in rows_by_label(response)
    assert response.context["turn_count"] == 58
    assert rejected_by_label(response)["OPERATOR"]["row"].count == 5
    # Ticking it in the "Not taken" table makes it a speaker again.
    response = tick(editor_client, url, response, "OPERATOR")
    assert PendingUpload.objects.get().review["labels"] == {"OPERATOR": True}
    assert rows_by_label(response)["OPERATOR"].turns == 5 and response.context["turn_count"] == 63


def test_a_choice_that_leaves_no_turns_is_refused_with_a_message(editor_client):
    upload(editor_client, "Harbour Panel\n\nALICE: hi there.\n\nBOB: hello.", title="Harbour Panel")
    url = review_url(PendingUpload.objects.get())
    response = editor_client.get(url)
    data = form_data(response)
    for label in ("ALICE", "BOB"):
        data[speaker_field(response, label, "not_speaker")] = "on"
    response = editor_client.post(url, {**data, "action": "confirm"})
    assert response.status_code == 200
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(m.startswith("That speaker choice was not applied: No speaker turns found") for m in said)
    assert PendingUpload.objects.get().review.get("labels") == {}
    assert set(rows_by_label(response)) == {"ALICE", "BOB"}
    assert Event.objects.count() == 0


# ---------------------------------------------------------------- files with no title


@pytest.mark.parametrize("name", ["services-2004-10-08-st-louis-zoom.vtt", "services-2004-10-08-st-louis-rev.docx"])
def test_a_captions_or_document_file_imports_with_the_title_staff_type(editor_client, name):
    data = corpus_path(name).read_bytes()
    response = upload(editor_client, data, filename=name, title="St. Louis Town Hall Debate", date="2004-10-08")
    assert response.status_code == 302, response.content.decode()[:2000]
    url = review_url(PendingUpload.objects.get())
    response = editor_client.get(url)
    assert response.context["form"]["title"].value() == "St. Louis Town Hall Debate"
    assert rows_by_label(response)["Charles Gibson"].turns == 68
    response = submit_review(editor_client, url, response, action="confirm", status="published")
    assert response.status_code == 302, [str(m) for m in get_messages(response.wsgi_request)]
    event = Event.objects.get()
    assert (event.title, event.date.isoformat()) == ("St. Louis Town Hall Debate", "2004-10-08")
    assert event.turns.count() == 162
    assert event.turns.filter(appearance__person__name="George W Bush").count() == 40


def test_a_captions_file_with_no_title_asks_for_one_and_stores_nothing(editor_client):
    data = corpus_path("services-2004-10-08-st-louis-zoom.vtt").read_bytes()
    upload(editor_client, data, filename="zoom.vtt")
    url = review_url(PendingUpload.objects.get())
    response = editor_client.get(url)
    response = submit_review(editor_client, url, response, action="confirm", status="published")
    assert response.status_code == 200
    assert "The event needs a title; none was found in the transcript." in response.content.decode()
    assert Event.objects.count() == 0


def test_one_tick_refuses_a_label_that_several_rows_share(editor_client, sample_text):
    """Regression: each questioner has a "Q" row; ticking only the first was undone by the
    unticked rows after it."""
    upload(editor_client, sample_text, filename="cfr-sample.txt")
    url = review_url(PendingUpload.objects.get())
    response = editor_client.get(url)
    q_rows = [row for row in response.context["speaker_table"] if row.label == "Q"]
    assert len(q_rows) >= 2
    data = form_data(response)
    data[speaker_field(response, "Q", "not_speaker", nth=0)] = "on"
    response = editor_client.post(url, {**data, "action": "preview"})
    assert PendingUpload.objects.get().review["labels"] == {"Q": False}
    assert "Q" not in rows_by_label(response)
    assert rejected_by_label(response)["Q"]["row"].count == sum(row.turns for row in q_rows)
