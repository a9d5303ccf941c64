"""Quote cards and embeds: every quote link has a card (a 1200 × 630 PNG, its Open Graph
image), an embed snippet (a plain blockquote) and an oEmbed answer; words no revision of
the turn held get none of them."""

import io
import re

import pytest
from PIL import Image

from transcripts.reader.cards import Card, render_card
from transcripts.reader.quotes import quote_key

pytestmark = pytest.mark.django_db

SENTENCE = "And I’ll give you two case studies in brief that I think put this in very clear focus."
FABRICATED = "I have always supported forced labour in supply chains"


def kara_first_turn(event):
    return event.turns.filter(appearance__person__name="Siddharth Kara").order_by("position").first()


def quote_path(event, words=SENTENCE):
    return f"/q/{kara_first_turn(event).public_id}/{quote_key(words)}/"


def test_a_quote_page_announces_its_card_and_oembed(client, sample_event):
    html = client.get(quote_path(sample_event)).content.decode()
    card = re.search(r'<meta property="og:image" content="([^"]+)">', html).group(1)
    assert card == f"http://testserver{quote_path(sample_event)}card.png"
    assert 'type="application/json+oembed"' in html and 'name="twitter:card" content="summary_large_image"' in html
    # The embed snippet is on the cite page: on the quote page its words would be a second
    # copy of the passage, which a browser's text fragment (#quote:~:text=…) scrolls to.
    assert "verbatim-quote" not in html.split("</head>")[1]
    cite = client.get(quote_path(sample_event) + "cite/").content.decode()
    assert "Embed or share" in cite and "&lt;blockquote class=&quot;verbatim-quote&quot;" in cite


def test_the_card_is_a_1200_by_630_png_and_is_cached(client, sample_event):
    response = client.get(quote_path(sample_event) + "card.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.size == (1200, 630)
    again = client.get(quote_path(sample_event) + "card.png")
    assert again.content == response.content


def test_words_nobody_said_get_no_card_no_oembed_and_no_og_image(client, sample_event):
    path = f"/q/{kara_first_turn(sample_event).public_id}/{quote_key(FABRICATED)}/"
    assert client.get(path + "card.png").status_code == 404
    assert client.get("/oembed/", {"url": f"http://testserver{path}"}).status_code == 404
    assert "og:image" not in client.get(path).content.decode()


def test_oembed_gives_the_blockquote_with_the_words_speaker_and_link(client, sample_event):
    url = f"http://testserver{quote_path(sample_event)}"
    data = client.get("/oembed/", {"url": url, "format": "json"}).json()
    assert (data["type"], data["version"], data["author_name"]) == ("rich", "1.0", "Siddharth Kara")
    assert data["html"].startswith('<blockquote class="verbatim-quote"')
    assert "two case studies in brief" in data["html"] and f'href="{url}"' in data["html"]
    assert data["thumbnail_url"] == url + "card.png"
    assert "<script" not in data["html"]


@pytest.mark.parametrize(
    "url, status",
    [
        ("http://testserver/events/", 404),
        ("http://elsewhere.example/q/abc/def/", 404),
        ("not a url at all", 404),
    ],
)
def test_oembed_refuses_what_is_not_a_quote_link_here(client, sample_event, url, status):
    assert client.get("/oembed/", {"url": url}).status_code == status


def test_oembed_offers_json_only(client, sample_event):
    assert client.get("/oembed/", {"url": "http://testserver/q/x/", "format": "xml"}).status_code == 501


def test_a_long_quote_fits_the_card_and_a_name_in_any_script_draws():
    png = render_card(Card(words="word " * 400, speaker="Jørgen Løkke Ærø", event="Ευρώπη " * 30, date="1 May 2020"))
    assert Image.open(io.BytesIO(png)).size == (1200, 630)


def test_a_corrected_quote_card_says_so(client, sample_event):
    turn = kara_first_turn(sample_event)
    from transcripts.operations.edits import edit_turn

    edit_turn(turn, paragraphs=[p.replace("And I’ll give you two", "And I will give you two") for p in turn.paragraphs])
    response = client.get(quote_path(sample_event) + "card.png")
    assert response.status_code == 200  # an earlier version held the words
    from transcripts.reader.views.cards import card_for

    card, _ = card_for(turn.public_id, quote_key(SENTENCE))
    assert card.note == "Corrected since it was quoted" and "I will give you two" in card.words


# --- Chinese, Japanese and Korean words ------------------------------------------------------------------------------


def _glyph(font, char: str) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("L", (90, 90))
    ImageDraw.Draw(image).text((10, 10), char, font=font, fill=255)
    return image.tobytes()


@pytest.mark.parametrize("char", ["贩", "奴", "隷", "ひ", "カ", "인", "。"])
def test_cjk_words_are_drawn_in_the_cjk_font_not_as_boxes(char):
    from transcripts.reader import cards

    missing = "\U000f0000"  # a private-use character no font here has: its box
    cjk, dejavu = cards._font(cards.CJK_FONT, 48), cards._font("DejaVuSerif.ttf", 48)
    assert _glyph(cjk, char) != _glyph(cjk, missing)
    assert _glyph(dejavu, char) == _glyph(dejavu, missing) or char == "。"  # why the CJK font is needed


def test_a_card_in_chinese_uses_the_cjk_font_and_one_in_english_the_sites_type():
    from transcripts.reader import cards

    chinese = cards.Card(words="人口贩运是现代奴隶制的一种形式", speaker="王小明", event="人口贩运问题研讨会")
    assert cards.faces(chinese) == {"quote": cards.CJK_FONT, "name": cards.CJK_FONT, "detail": cards.CJK_FONT}
    korean = cards.Card(words="We must act", speaker="김민준", event="Panel")
    assert cards.faces(korean)["quote"] == cards.CJK_FONT
    english = cards.Card(words="We must act", speaker="Ann Lee", event="Panel")
    dejavu = {"quote": "DejaVuSerif.ttf", "name": "DejaVuSans-Bold.ttf", "detail": "DejaVuSans.ttf"}
    assert cards.faces(english) == dejavu
    assert cards.render_card(chinese)[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_long_sentence_without_spaces_wraps_between_characters():
    from PIL import Image, ImageDraw

    from transcripts.reader import cards

    draw = ImageDraw.Draw(Image.new("RGB", (10, 10)))
    font = cards._font(cards.CJK_FONT, 56)
    text = "人口贩运是现代奴隶制的一种形式" * 4
    lines = cards._wrap(draw, text, font, 1056)
    assert len(lines) > 1 and "".join(lines) == text
    assert all(draw.textlength(line, font=font) <= 1056 for line in lines)
    assert cards._wrap(draw, "We must act now", font, 1056) == ["We must act now"]
