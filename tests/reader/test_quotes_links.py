"""Quote links (/q/<id>/?text=…): server-side highlight, link previews, and surviving corrections."""

import json
import re

import pytest

from transcripts.models import Turn
from transcripts.operations.imports import import_transcript

pytestmark = pytest.mark.django_db

SENTENCE = "And I’ll give you two case studies in brief that I think put this in very clear focus."
METADATA = {"organiser": "Council on Foreign Relations", "topics": ["Human Trafficking"]}


def kara_first_turn(event):
    return event.turns.filter(appearance__person__name="Siddharth Kara").order_by("position").first()


def reimport(text):
    result = import_transcript(text, metadata=METADATA, status="published")
    assert result.action == "updated"
    return result.event


def quoted_mark(html) -> str:
    found = re.search(r'<mark class="quote" id="quote">(.*?)</mark>', html)
    return found.group(1) if found else ""


def test_quote_page_marks_the_passage_and_describes_it(client, sample_event):
    turn = kara_first_turn(sample_event)
    response = client.get(
        f"/q/{turn.public_id}/", {"text": SENTENCE, "prefix": "desperation. ", "suffix": " You remember"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert quoted_mark(html) == SENTENCE
    assert html.count('id="quote"') == 1
    assert f'<article class="turn kind-remark role-panelist is-target" id="t-{turn.public_id}"' in html
    assert (
        '<meta property="og:title" content="Siddharth Kara at “Combating Human Trafficking and Modern Slavery”">'
        in html
    )
    assert f'<meta property="og:description" content="“{SENTENCE}”">'.replace("’", "’") in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html  # the quote's card
    assert f'<link rel="canonical" href="http://testserver/events/{sample_event.slug}/">' in html
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1))
    assert ld["@type"] == "Quotation" and ld["text"] == SENTENCE and ld["creator"]["name"] == "Siddharth Kara"
    assert "A quoted passage" in html and 'href="#quote"' in html


def test_a_turn_link_without_words_redirects_to_the_turn(client, sample_event):
    turn = kara_first_turn(sample_event)
    response = client.get(f"/q/{turn.public_id}/")
    assert response.status_code == 302
    assert response["Location"] == f"/events/{sample_event.slug}/#t-{turn.public_id}"


def test_unknown_ids_are_friendly_404s(client, sample_event):
    response = client.get("/q/nosuchid00/", {"text": "anything"})
    assert response.status_code == 404
    assert "This link points to a passage the archive does not have." in response.content.decode()
    assert client.get("/q/x/", {"text": "anything"}).status_code == 404


def test_drafts_are_not_quotable(client, sample_event):
    turn = kara_first_turn(sample_event)
    sample_event.status = "draft"
    sample_event.save()
    assert client.get(f"/q/{turn.public_id}/", {"text": SENTENCE}).status_code == 404


def test_link_survives_a_correction_that_moves_the_turn(client, sample_event, sample_text):
    turn = kara_first_turn(sample_event)
    old_position = turn.position
    edited = sample_text.replace(
        "Let me move to Siddharth.", "Let me move to Siddharth.\n\nKARA: Happy to.\n\nLAGON: Please go ahead.", 1
    ).replace("Absolutely. And Ambassador Lagon, thank you.", "Absolutely. Ambassador Lagon, thank you so much.", 1)
    event = reimport(edited)
    moved = Turn.objects.get(public_id=turn.public_id)  # kept its id, changed place
    assert moved.position == old_position + 2 and "thank you so much" in moved.text
    html = client.get(f"/q/{turn.public_id}/", {"text": SENTENCE}).content.decode()
    assert quoted_mark(html) == SENTENCE
    assert f'is-target" id="t-{turn.public_id}"' in html
    assert "has been edited" not in html and event.slug in html


def test_link_survives_a_correction_that_gives_the_turn_a_new_id(client, sample_event, sample_text):
    turn = kara_first_turn(sample_event)
    paragraphs = turn.paragraphs
    # Keep only the paragraph with the sentence: too different to keep the old public id.
    edited = sample_text.replace("\n\n".join(paragraphs[2:]) + "\n\n", "", 1)
    reimport(edited)
    assert not Turn.objects.filter(public_id=turn.public_id).exists()
    response = client.get(f"/q/{turn.public_id}/", {"text": SENTENCE})
    assert response.status_code == 200
    html = response.content.decode()
    assert quoted_mark(html) == SENTENCE
    new_turn = Turn.objects.get(event=sample_event, position=turn.position)
    assert f'is-target" id="t-{new_turn.public_id}"' in html


def test_link_to_corrected_words_marks_the_closest_wording(client, sample_event, sample_text):
    turn = kara_first_turn(sample_event)
    corrected = "And I will give you two short case studies that I think put this into very clear focus."
    reimport(sample_text.replace(SENTENCE, corrected, 1))
    html = client.get(f"/q/{turn.public_id}/", {"text": SENTENCE}).content.decode()
    assert quoted_mark(html) == corrected.rstrip(".")
    assert "This passage has been corrected since it was quoted" in html
    data = client.get(f"/q/{turn.public_id}/", {"text": SENTENCE, "format": "json"}).json()["quote"]
    assert data["match"] == "near" and data["found"] is True and data["requested_text"] == SENTENCE


def test_link_to_words_that_are_gone_opens_the_turn_with_a_note(client, sample_event, sample_text):
    turn = kara_first_turn(sample_event)
    reimport(sample_text.replace(SENTENCE, "That is all.", 1))
    response = client.get(f"/q/{turn.public_id}/", {"text": SENTENCE})
    assert response.status_code == 200
    html = response.content.decode()
    assert quoted_mark(html) == ""
    note = re.search(r'<p class="quote-note" id="quote">([^<]+)</p>', html).group(1)
    assert note == "This passage has been edited since it was quoted."
    assert html.index(f'id="t-{turn.public_id}"') < html.index('class="quote-note"')
    assert "This passage has been edited since it was quoted</h2>" in html
    data = client.get(f"/q/{turn.public_id}/", {"text": SENTENCE, "format": "json"}).json()["quote"]
    assert data["match"] == "missing" and data["found"] is False


def test_hostile_quote_parameters_are_handled(client, sample_event):
    turn = kara_first_turn(sample_event)
    response = client.get(f"/q/{turn.public_id}/", {"text": "<script>alert(1)</script>" * 200, "prefix": "x" * 5000})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)" in html
