"""Atom feeds: new events, a person's appearances, a topic's events.

Only what readers may see: published events, and people and topics named by one.
"""

import re

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from transcripts.models import Appearance, Event, Person, Topic

FEED_LENGTH = 30
# Characters XML 1.0 forbids (one of them in any field made the feed unserialisable, a 500),
# the C1 controls it discourages, and Unicode non-characters (U+FDD0-U+FDEF and the last two
# code points of every plane, U+FFFE, U+FFFF, U+1FFFE ...): a feed reader's parser refuses
# a document holding one, so the whole feed was unreadable.
XML_ILLEGAL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}" for plane in range(0, 0x110000, 0x10000))
    + "]"
)


def xml_safe(value):
    """`value` with XML-illegal characters removed; lists (categories) cleaned item by item."""
    if isinstance(value, str):
        return XML_ILLEGAL.sub("", value)
    if isinstance(value, (list, tuple)):
        return type(value)(xml_safe(v) for v in value)
    return value


class XmlSafeAtomFeed(Atom1Feed):
    """Atom whose every text field, feed-level or per entry, is cleaned of XML-illegal characters,
    whatever the database holds."""

    def __init__(self, *args, **kwargs):
        super().__init__(*[xml_safe(a) for a in args], **{k: xml_safe(v) for k, v in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*[xml_safe(a) for a in args], **{k: xml_safe(v) for k, v in kwargs.items()})


class EventFeedItems:
    """Feed items that are events (or appearances at them): title, summary, dates."""

    def item_title(self, event):
        return event.title

    def item_description(self, event):
        return event.description_html

    def item_link(self, event):
        return event.get_absolute_url()

    def item_pubdate(self, event):
        return event.created

    def item_updateddate(self, event):
        return event.updated

    def item_categories(self, event):
        return [t.name for t in event.topics.all()]


class NewEventsFeed(EventFeedItems, Feed):
    feed_type = XmlSafeAtomFeed
    title = "Verbatim: new events"
    subtitle = "Transcripts newly added to the Verbatim archive."

    def link(self):
        return reverse("events")

    def items(self):
        return Event.objects.published().prefetch_related("topics").order_by("-created")[:FEED_LENGTH]


class ObjectFeed(Feed):
    """A feed about one person or topic, looked up by the slug in the URL."""

    feed_type = XmlSafeAtomFeed
    model = None

    def get_object(self, request, slug):
        return get_object_or_404(self.model.objects.public(), slug=slug)

    def title(self, obj):
        return f"Verbatim: {obj}"

    def link(self, obj):
        return obj.get_absolute_url()


class PersonFeed(ObjectFeed):
    model = Person

    def subtitle(self, person):
        return f"Events where {person.name} spoke."

    def items(self, person):
        return (
            Appearance.objects.filter(person=person, event__in=Event.objects.published())
            .select_related("event")
            .order_by("-event__date", "-event_id")[:FEED_LENGTH]
        )

    def item_title(self, appearance):
        return f"{appearance.event.title} ({appearance.get_role_display().lower()})"

    def item_description(self, appearance):
        return appearance.event.description_html

    def item_link(self, appearance):
        return appearance.event.get_absolute_url()

    def item_pubdate(self, appearance):
        return appearance.event.created

    def item_updateddate(self, appearance):
        return appearance.event.updated


class TopicFeed(EventFeedItems, ObjectFeed):
    model = Topic

    def subtitle(self, topic):
        return f"Events about {topic.name}."

    def items(self, topic):
        return topic.events.published().prefetch_related("topics").order_by("-created")[:FEED_LENGTH]
