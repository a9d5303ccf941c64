"""The upload preview marks a title or date the parser is not sure of on its own field,
says why, and asks staff to check it; typing over the field answers the question."""

import re

import pytest

from tests.staff.test_admin_support import editor, editor_client, review_url, submit_review, upload  # noqa: F401  (fixtures)
from transcripts.models import PendingUpload

pytestmark = pytest.mark.django_db

SPEECH = "\n\nJANE DOE: Welcome, everyone.\n\nBOB KIM: Thank you.\n\nJANE DOE: Let us begin.\n"


def preview(client, text, filename="panel.txt"):
    response = upload(client, text, filename=filename)
    assert response.status_code == 302, response.content.decode()[:2000]
    url = review_url(PendingUpload.objects.latest("pk"))
    return url, client.get(url)


def field_row(html: str, name: str) -> str:
    """The HTML of one field's row in the Event box."""
    m = re.search(rf'<div class="form-row field-{name}[^"]*">.*?</div>\s*</div>', html, re.S)
    assert m, f"no {name} row"
    return m.group(0)


def test_a_date_from_the_file_name_is_marked_on_the_date_field(editor_client):
    url, response = preview(editor_client, "Rivers and roads" + SPEECH, filename="2021-07-20-rivers.txt")
    html = response.content.decode()
    assert response.context["form"]["date"].value() == "2021-07-20"
    row = field_row(html, "date")
    assert "in-doubt" in row
    assert (
        "Please check this date: it was taken from the file name “2021-07-20-rivers.txt”. "
        "Type the right date, or keep it if it is right." in row
    )
    assert "Please check" not in field_row(html, "title")


def test_a_day_and_month_that_read_two_ways_are_asked_about(editor_client):
    url, response = preview(editor_client, "Rivers and roads\n03/04/2022" + SPEECH)
    row = field_row(response.content.decode(), "date")
    assert response.context["form"]["date"].value() == "2022-03-04"
    assert (
        "Please check this date: “03/04/2022” can be read month first (4 March 2022) or day first "
        "(3 April 2022); it was read month first." in row
    )


def test_a_date_a_speaker_says_is_asked_about(editor_client):
    text = "Rivers and roads\n\nJANE DOE: Welcome to our meeting of July 21, 2021.\n\nBOB KIM: Thanks.\n"
    url, response = preview(editor_client, text)
    row = field_row(response.content.decode(), "date")
    assert "Please check this date: it is a date a speaker says in turn 1, not a heading." in row


def test_a_date_in_a_heading_is_not_asked_about(editor_client):
    url, response = preview(editor_client, "Rivers and roads\nJuly 21, 2021" + SPEECH, filename="2021-07-20-x.txt")
    html = response.content.decode()
    assert response.context["form"]["date"].value() == "2021-07-21"
    assert "in-doubt" not in html and "Please check this" not in html


def test_a_title_from_a_row_of_dashes_is_marked_on_the_title_field(editor_client):
    url, response = preview(editor_client, "---------- Rivers ----------\nJuly 21, 2021" + SPEECH)
    row = field_row(response.content.decode(), "title")
    assert "in-doubt" in row
    assert "Please check this title: it came with rows of dashes or other marks around it." in row


def test_typing_over_a_doubted_date_answers_the_question(editor_client):
    url, response = preview(editor_client, "Rivers and roads" + SPEECH, filename="2021-07-20-rivers.txt")
    again = submit_review(editor_client, url, response, action="preview", date="2021-07-22")
    assert again.status_code == 200
    html = again.content.decode()
    assert again.context["form"]["date"].value() == "2021-07-22"
    assert "Please check this date" not in html
