"""Quote links never put words in a speaker's mouth, and have short, stable URLs."""

import json
import re

import pytest

from transcripts.operations.imports import import_transcript
from transcripts.reader.quotes import quote_key

pytestmark = pytest.mark.django_db

SENTENCE = "And I’ll give you two case studies in brief that I think put this in very clear focus."
FABRICATED = "I have always supported forced labour in supply chains"
# Close to SENTENCE, but no version of the transcript ever said it.
NEAR_MISS = "And I will give you two short case studies that I think put this into very clear focus."
# Kara's words with the first or the last cut inside a word ("exploitation", "focus"): every
# letter is in the turn, but nobody said these words.
INSIDE_WORDS = [
    "ploitation. And I’ll give you two case studies",
    "two case studies in brief that I think put this in very clear foc",
]
METADATA = {"organiser": "Council on Foreign Relations", "topics": ["Human Trafficking"]}


def kara_first_turn(event):
    return event.turns.filter(appearance__person__name="Siddharth Kara").order_by("position").first()


def head_of(html: str) -> str:
    """The <head> without its JSON-LD (the Event block rightly names the panel's speakers)."""
    return re.sub(r'<script type="application/ld\+json">.*?</script>', "", html.split("</head>")[0], flags=re.DOTALL)


def html_of(response, status: int) -> str:
    assert response.status_code == status
    return response.content.decode()


def json_ld_types(html: str) -> list[str]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    return [json.loads(b)["@type"] for b in blocks]


@pytest.mark.parametrize("words", [FABRICATED, NEAR_MISS, *INSIDE_WORDS])
def test_words_never_said_are_not_shown_as_a_quote(client, sample_event, words):
    turn = kara_first_turn(sample_event)
    html = html_of(client.get(f"/q/{turn.public_id}/", {"text": words}), 200)
    head = head_of(html)
    assert "These words are not in the transcript</h2>" in html
    assert '<p class="quote-note" id="quote">These words are not in the transcript.</p>' in html
    assert f'is-target" id="t-{turn.public_id}"' in html  # the turn the link named is opened
    assert '<mark class="quote"' not in html
    assert "Siddharth Kara" not in head and words[:30] not in head  # title, Open Graph, Twitter, JSON-LD
    assert "<title>Not in the transcript: Combating Human Trafficking and Modern Slavery · Verbatim</title>" in head
    assert '<meta name="robots" content="noindex">' in head
    assert "Quotation" not in json_ld_types(html)
    data = client.get(f"/q/{turn.public_id}/", {"text": words, "format": "json"}).json()["quote"]
    assert (data["match"], data["found"], data["passage"], data["speaker_name"]) == ("absent", False, None, None)


@pytest.mark.parametrize("words", [FABRICATED, NEAR_MISS, *INSIDE_WORDS])
def test_words_never_said_cannot_be_cited(client, sample_event, words):
    turn = kara_first_turn(sample_event)
    html = html_of(client.get(f"/q/{turn.public_id}/cite/", {"text": words}), 404)
    assert "These words are not in the transcript, in this version or any earlier one" in html
    assert "Kara, Siddharth" not in html and ">Chicago</h2>" not in html
    assert f'href="/t/{turn.public_id}/"' in html
    data = client.get(f"/q/{turn.public_id}/cite/", {"text": words, "format": "json"})
    assert data.status_code == 404 and "not in the transcript" in data.json()["error"]


def test_edited_since_quoted_only_where_an_earlier_revision_held_the_words(client, sample_event, sample_text):
    turn = kara_first_turn(sample_event)
    import_transcript(sample_text.replace(SENTENCE, "That is all.", 1), metadata=METADATA, status="published")
    edited = client.get(f"/q/{turn.public_id}/", {"text": SENTENCE}).content.decode()
    assert "This passage has been edited since it was quoted</h2>" in edited
    assert "not in the transcript" not in edited
    assert client.get(f"/q/{turn.public_id}/cite/", {"text": SENTENCE}).status_code == 200  # it was said, once
    never = client.get(f"/q/{turn.public_id}/", {"text": FABRICATED}).content.decode()
    assert "These words are not in the transcript</h2>" in never and "edited since" not in never


def test_quote_pages_and_citations_use_a_short_link(client, sample_event):
    turn = kara_first_turn(sample_event)
    key = quote_key(SENTENCE)
    assert key == "and-i-ll-give~11~in-very-clear-focus"
    short = f"/q/{turn.public_id}/{key}/"
    html = client.get(f"/q/{turn.public_id}/", {"text": SENTENCE, "prefix": "impoverished. "}).content.decode()
    assert f'<meta property="og:url" content="http://testserver{short}">' in html
    assert f'href="{short}cite/"' in html
    page = client.get(short)
    assert page.status_code == 200
    assert re.search(r'<mark class="quote" id="quote">(.*?)</mark>', page.content.decode()).group(1) == SENTENCE
    cite = client.get(f"{short}cite/").content.decode()
    assert "“And I’ll give you two case studies in brief that I think put this in very clear focus.”" in cite
    assert f"http://testserver{short}" in cite and "?text=" not in cite
    assert len(f"http://verbatim.example.org{short}") < 80


def test_a_short_link_survives_a_correction_and_a_removal(client, sample_event, sample_text):
    turn = kara_first_turn(sample_event)
    short = f"/q/{turn.public_id}/{quote_key(SENTENCE)}/"
    corrected = "And I will give you two short case studies that I think put this into very clear focus."
    import_transcript(sample_text.replace(SENTENCE, corrected, 1), metadata=METADATA, status="published")
    html = client.get(short).content.decode()
    assert "This passage has been corrected since it was quoted</h2>" in html
    assert re.search(r'<mark class="quote" id="quote">(.*?)</mark>', html).group(1) == corrected.rstrip(".")
    import_transcript(sample_text.replace(SENTENCE, "That is all.", 1), metadata=METADATA, status="published")
    html = client.get(short).content.decode()
    assert "This passage has been edited since it was quoted</h2>" in html


def test_damaged_and_invented_short_links(client, sample_event):
    turn = kara_first_turn(sample_event)
    damaged = client.get(f"/q/{turn.public_id}/not a key!/")
    assert damaged.status_code == 404
    assert "This quote link is damaged" in damaged.content.decode()
    invented = client.get(f"/q/{turn.public_id}/i-support~3~forced-labour/").content.decode()
    assert "These words are not in the transcript</h2>" in invented
    assert client.get(f"/q/{turn.public_id}/i-support~3~forced-labour/cite/").status_code == 404


def test_turn_links_land_on_the_turn(client, sample_event):
    turn = kara_first_turn(sample_event)
    response = client.get(f"/t/{turn.public_id}/")
    assert response.status_code == 302 and response["Location"] == f"/events/{sample_event.slug}/#t-{turn.public_id}"
    assert client.get("/t/nosuchturn1/").status_code == 404


def test_a_corrected_quote_shows_both_wordings_beside_the_highlighted_passage(client, sample_event):
    from transcripts.operations.edits import edit_turn

    turn = kara_first_turn(sample_event)
    edit_turn(turn, paragraphs=[p.replace("And I’ll give you two", "And I will give you two") for p in turn.paragraphs])
    html = html_of(client.get(f"/q/{turn.public_id}/", {"text": SENTENCE}), 200)
    body = html.split(f'id="t-{turn.public_id}"', 1)[1].split("</article>", 1)[0]
    note = body.split('<p class="quote-note quote-corrected">', 1)[1].split("</p>", 1)[0]
    assert note.startswith("Corrected since it was quoted. As quoted: “And I’ll give you two case studies")
    assert '<mark class="quote" id="quote">And I will give you two case studies' in body
    assert body.index("quote-corrected") < body.index('id="quote"')  # beside the passage, before it


def test_the_cite_page_of_a_corrected_quote_offers_it_as_quoted_with_that_versions_date(client, sample_event):
    from transcripts.models import EventRevision
    from transcripts.operations.edits import edit_turn

    turn = kara_first_turn(sample_event)
    quoted_version = EventRevision.objects.filter(event=sample_event).order_by("-number").first()
    edit_turn(turn, paragraphs=[p.replace("And I’ll give you two", "And I will give you two") for p in turn.paragraphs])
    html = html_of(client.get(f"/q/{turn.public_id}/cite/", {"text": SENTENCE}), 200)
    assert "Corrected since it was quoted" in html
    assert f"(version {quoted_version.number})" in html and quoted_version.created.strftime("%Y") in html
    assert "Chicago, as quoted:" in html and "And I’ll give you two case studies" in html
    assert "“And I will give you two case studies" in html  # the passage as it stands now
