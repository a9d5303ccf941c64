"""The Atom feed of a saved search: no account needed, any feed reader can follow it."""

import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.html import format_html

from transcripts.reader.feeds import XmlSafeAtomFeed


class SearchFeed(Feed):
    feed_type = XmlSafeAtomFeed

    def __init__(self, saved, hits):
        super().__init__()
        self.saved, self.hits = saved, hits

    def get_object(self, request, *args, **kwargs):
        self.request = request  # for absolute ids

    def title(self):
        return f"Verbatim: {self.saved.describe()}"

    def subtitle(self):
        return "New passages matching this search, newest first. Only published transcripts."

    def link(self):
        return f"{reverse('search')}?{self.saved.query_string()}"

    def feed_url(self):
        return f"{reverse('alerts:feed')}?{self.saved.query_string()}"

    def items(self):
        return self.hits

    def item_title(self, hit):
        return f"{hit.speaker_name} at {hit.event_title}"

    def item_description(self, hit):
        # snippet_html is already escaped, with <mark> around matches; the feed escapes it again as Atom requires.
        date = hit.event_date.strftime("%-d %B %Y") if hit.event_date else "undated"
        return format_html(
            "<p><strong>{}</strong> · {} · {}</p><p>{}</p>", hit.speaker_name, hit.event_title, date, hit.snippet_html
        )

    def item_link(self, hit):
        return hit.permalink

    def item_guid(self, hit):
        # The turn itself, whatever search found it: its lasting quote link.
        return self.request.build_absolute_uri(reverse("quote", args=[hit.public_id]))

    item_guid_is_permalink = False

    def item_author_name(self, hit):
        return hit.speaker_name

    def item_pubdate(self, hit):
        if hit.event_date is None:
            return None
        return datetime.datetime.combine(hit.event_date, datetime.time(), tzinfo=datetime.UTC)
