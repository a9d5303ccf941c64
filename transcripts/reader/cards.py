"""Quote cards: a quote drawn as a 1200 × 630 PNG (the Open Graph image size), so a shared
link shows the words, who said them and where, instead of a screenshot.

Drawn with Pillow and the fonts shipped in static/fonts (the same on every server). A card,
like an embed, exists only for words the transcript holds or once held (`card_from` says
None for words no revision of the turn had); the view caches the PNG.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlencode

from django.template.defaultfilters import date as date_format
from django.urls import reverse
from django.utils.html import format_html
from PIL import Image, ImageDraw, ImageFont

from transcripts.models import Appearance
from transcripts.reader.views.respond import absolute

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
FONTS = Path(__file__).resolve().parent.parent.parent / "static" / "fonts"
# The site's colours (static/css/verbatim.css): paper, ink, muted ink, the quote accent.
PAPER, INK, MUTED, ACCENT, BRAND = "#fbfaf7", "#1d1d1f", "#5c5c66", "#f2c94c", "#0b57a4"
QUOTE_SIZES = (56, 50, 44, 38, 34, 30)  # the largest size at which the words fit
QUOTE_LINES_MAX = 6
CJK_FONT = "NotoSansCJK-subset.otf"
# Han, kana, Hangul, CJK punctuation and fullwidth forms.
CJK_RE = re.compile("[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")


@dataclass(frozen=True)
class Card:
    words: str
    speaker: str
    event: str
    date: str = ""  # "17 February 2022"
    clip: str = ""  # "Clip 12:34–12:58", when the link plays the passage
    note: str = ""  # "Corrected since it was quoted", when the transcript words it otherwise now


@cache
def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONTS / name), size)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if draw.textlength(trial, font=font) <= width:
            line = trial
            continue
        if line:
            lines.append(line)
            line = ""
        # A word wider than the line (Chinese and Japanese put no spaces between words) is
        # cut between characters.
        for char in word:
            if line and draw.textlength(line + char, font=font) > width:
                lines.append(line)
                line = ""
            line += char
    if line:
        lines.append(line)
    return lines


def faces(card: Card) -> dict[str, str]:
    """The fonts of a card: the site's DejaVu, or for words in Chinese, Japanese or Korean
    (which DejaVu draws as boxes) the Noto Sans CJK subset (tools/cjk_font_subset.py)."""
    if CJK_RE.search(" ".join((card.words, card.speaker, card.event))):
        return dict.fromkeys(("quote", "name", "detail"), CJK_FONT)
    return {"quote": "DejaVuSerif.ttf", "name": "DejaVuSans-Bold.ttf", "detail": "DejaVuSans.ttf"}


def _fit_quote(draw, words: str, width: int, face: str) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest size at which the quote fits its lines; at the smallest, the words are
    cut after the last line with an ellipsis (the card links to the whole passage)."""
    text = f"“{words.strip()}”"
    for size in QUOTE_SIZES:
        font = _font(face, size)
        lines = _wrap(draw, text, font, width)
        if len(lines) <= QUOTE_LINES_MAX:
            return font, lines
    lines = lines[:QUOTE_LINES_MAX]
    last = lines[-1]
    while last and draw.textlength(last + " …”", font=font) > width:
        last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
    lines[-1] = last + " …”"
    return font, lines


def _one_line(draw, text: str, font, width: int) -> str:
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def render_card(card: Card) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 16, HEIGHT), fill=ACCENT)
    text_width = WIDTH - 2 * MARGIN
    face = faces(card)
    font, lines = _fit_quote(draw, card.words, text_width, face["quote"])
    line_height = int(font.size * 1.32)
    y = MARGIN
    for line in lines:
        draw.text((MARGIN, y), line, font=font, fill=INK)
        y += line_height
    footer_top = HEIGHT - MARGIN - 108
    name_font, detail_font = _font(face["name"], 34), _font(face["detail"], 26)
    draw.text(
        (MARGIN, footer_top), _one_line(draw, f"— {card.speaker}", name_font, text_width), font=name_font, fill=INK
    )
    where = ", ".join(part for part in (card.event, card.date) if part)
    draw.text((MARGIN, footer_top + 48), _one_line(draw, where, detail_font, text_width), font=detail_font, fill=MUTED)
    tags = " · ".join(part for part in (card.clip, card.note) if part)
    small = _font(face["detail"], 22)
    if tags:
        draw.text((MARGIN, footer_top + 88), _one_line(draw, tags, small, text_width - 220), font=small, fill=MUTED)
    brand = _font("DejaVuSans-Bold.ttf", 26)
    label = "“ Verbatim"
    draw.text((WIDTH - MARGIN - draw.textlength(label, font=brand), HEIGHT - MARGIN - 4), label, font=brand, fill=BRAND)
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)  # a flat picture: fast compression is nearly as small
    return out.getvalue()


def card_from(resolved) -> Card | None:
    location = resolved.location
    if location is None or location.how == "absent":
        return None
    turn = location.turn
    appearance = (
        Appearance.objects.select_related("person").filter(pk=turn.appearance_id).first()
        if turn.appearance_id
        else None
    )
    speaker = (appearance.speaker_name if appearance else "") or turn.label.title() or "Unknown"
    event = resolved.event
    return Card(
        words=location.passage() if location.found else resolved.requested,
        speaker=speaker,
        event=event.title,
        date=date_format(event.date, "j F Y") if event.date else "",
        clip=resolved.clip.label if resolved.clip else "",
        note="" if location.how == "exact" else "Corrected since it was quoted",
    )


def embed_html(card: Card, url: str) -> str:
    """The snippet a site pastes to show the quote: a blockquote that needs no script."""
    when = f", {card.date}" if card.date else ""
    return str(
        format_html(
            '<blockquote class="verbatim-quote" cite="{url}"><p>“{words}”</p>'
            '<footer>— {speaker}, <cite><a href="{url}">{event}</a></cite>{when}</footer></blockquote>',
            url=url,
            words=card.words,
            speaker=card.speaker,
            event=card.event,
            when=when,
        )
    )


def share_context(request, resolved) -> dict:
    """What a quote page adds for sharing: its card as the Open Graph image, the oEmbed
    link, and the embed snippet."""
    card = card_from(resolved)
    if card is None:
        return {}
    link = absolute(request, resolved.link_path)
    return {
        "og_image": absolute(request, resolved.path_to("card.png")),
        "oembed_url": absolute(request, reverse("oembed")) + "?" + urlencode({"url": link, "format": "json"}),
        "embed_html": embed_html(card, link),
    }
