"""{% follow_box %}: the "Follow" panel (Atom feed + email alert) for a search, a person or a topic.

{% load alerts_tags %}{% follow_box %}                       on the search page (its query string)
{% load alerts_tags %}{% follow_box speaker=person.slug %}   on a person page
{% load alerts_tags %}{% follow_box topic=topic.slug %}      on a topic page
"""

from django import template
from django.http import QueryDict
from django.urls import reverse

from transcripts.alerts.forms import SubscribeForm
from transcripts.alerts.queries import SavedSearch

register = template.Library()


@register.inclusion_tag("alerts/follow.html", takes_context=True)
def follow_box(context, speaker="", topic=""):
    if speaker or topic:
        params = QueryDict(mutable=True)
        params.update({"speaker": speaker} if speaker else {"topic": topic})
    else:
        request = context.get("request")
        params = request.GET if request is not None else QueryDict()
    saved = SavedSearch.from_params(params)
    query = saved.query_string()
    return {
        "saved": saved,
        "what": "" if saved.is_empty else saved.describe(),
        "feed_url": f"{reverse('alerts:feed')}?{query}",
        "form": SubscribeForm(initial={"query": query}, auto_id="follow-%s"),
        "csrf_token": context.get("csrf_token"),
    }
