"""A quote as something to post: its card (a PNG drawn on the server, the page's Open Graph
image), an embed snippet (a plain blockquote, no script) and an oEmbed endpoint.

A card or embed exists only for words the transcript holds or once held: a link whose words
no revision of the turn ever had gets a 404, never a picture putting them in someone's mouth.
"""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, urlsplit

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.urls import Resolver404, resolve
from django.views.decorators.http import require_GET

from transcripts.reader.cards import HEIGHT, WIDTH, Card, card_from, embed_html, render_card
from transcripts.reader.views.quotes import quote_params, resolve_quote
from transcripts.reader.views.respond import absolute, json_response

CARD_SECONDS = 7 * 24 * 3600  # cached by what the card shows: a correction makes a new key
QUOTE_VIEWS = {"quote", "quote_key"}


def card_for(public_id: str, key: str = "", **params) -> tuple[Card, object] | None:
    """The card a quote link shows, and the resolved quote; None for words no revision held."""
    resolved = resolve_quote(public_id, key=key, **params)
    card = card_from(resolved)
    return (card, resolved) if card else None


def card_png(card: Card) -> bytes:
    key = "quote-card:" + hashlib.sha256(repr(card).encode()).hexdigest()
    png = cache.get(key)
    if png is None:
        png = render_card(card)
        cache.set(key, png, CARD_SECONDS)
    return png


@require_GET
def quote_card(request, public_id, key=""):
    found = card_for(public_id, key, **quote_params(request))
    if found is None:
        raise Http404("These words are not in the transcript, so there is no card for them.")
    response = HttpResponse(card_png(found[0]), content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def oembed(request):
    """oEmbed (https://oembed.com) for quote links: ?url=<a quote link on this site>."""
    url = request.GET.get("url", "")[:2000]
    if request.GET.get("format", "json") != "json":
        return HttpResponse("Only the JSON format is offered.", status=501, content_type="text/plain")
    parts = urlsplit(url)
    if parts.netloc and parts.netloc != request.get_host():
        raise Http404("That address is not on this site.")
    try:
        match = resolve(parts.path or "/")
    except Resolver404:
        raise Http404("That address is not a quote link.") from None
    if match.url_name not in QUOTE_VIEWS:
        raise Http404("That address is not a quote link.")
    params = dict(parse_qsl(parts.query))
    found = card_for(
        match.kwargs["public_id"],
        match.kwargs.get("key", ""),
        **{k: v[:2000] for k, v in params.items() if k in ("text", "prefix", "suffix", "t", "end")},
    )
    if found is None:
        raise Http404("These words are not in the transcript.")
    card, resolved = found
    link = absolute(request, resolved.link_path)
    return json_response(
        {
            "version": "1.0",
            "type": "rich",
            "provider_name": "Verbatim",
            "provider_url": absolute(request, "/"),
            "title": f"“{card.words}”",
            "author_name": card.speaker,
            "html": embed_html(card, link),
            "width": 600,
            "height": None,
            "thumbnail_url": absolute(request, resolved.path_to("card.png")),
            "thumbnail_width": WIDTH,
            "thumbnail_height": HEIGHT,
        }
    )
