from django import template
from django.utils.html import format_html_join

from transcripts.parsing import split_stage_directions

register = template.Library()


@register.filter
def paragraph_html(text: str):
    """A paragraph with its stage directions set apart; everything escaped."""
    return format_html_join(
        "",
        '<span class="{}">{}</span>',
        (("stage" if seg.kind == "stage" else "speech", seg.text) for seg in split_stage_directions(text)),
    )
