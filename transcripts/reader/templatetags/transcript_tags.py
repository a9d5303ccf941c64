import json
from urllib.parse import urlsplit

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from transcripts.reader.turn_html import appearance_list_html, transcript_html

register = template.Library()

# The characters that could close a <script> element or open a comment inside it.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data):
    """A schema.org JSON-LD block (no inline code: a data block is allowed by a strict CSP)."""
    if not data:
        return ""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """The current URL with another page number, other filters kept."""
    params = context["request"].GET.copy()
    params["page"] = number
    params.pop("format", None)
    return "?" + params.urlencode()


@register.filter
def thousands(value):
    """1234567 -> "1,234,567" (no django.contrib.humanize needed)."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return value


@register.simple_tag
def transcript_turns(turns):
    """Every turn of a transcript as <article>s (see transcripts/reader/turn_html.py for why in Python)."""
    return transcript_html(turns)


@register.simple_tag
def appearance_items(appearances):
    """A person's appearances as <li>s (see transcripts/reader/turn_html.py for why in Python)."""
    return appearance_list_html(appearances)


@register.filter
def in_context(hit):
    """A search hit's "read in context" link through /t/<id>/, which finds the turn's page of a
    long transcript (a #t- anchor alone cannot), keeping the permalink's highlighting query."""
    query = urlsplit(hit.permalink).query
    return reverse("turn", args=[hit.public_id]) + (f"?{query}" if query else "")
