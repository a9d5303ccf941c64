"""sitemap.xml: the index pages, every published event, every person who spoke at one
(not the call operators), every topic."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from transcripts.models import Event, Person, Role, Topic


class IndexSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return ["home", "events", "people", "topics"]

    def location(self, name):
        return reverse(name)


class UpdatedSitemap(Sitemap):
    """Pages of records that know when they last changed."""

    changefreq = "monthly"

    def lastmod(self, obj):
        return obj.updated


class EventSitemap(UpdatedSitemap):
    priority = 0.8

    def items(self):
        return Event.objects.published().only("slug", "updated").order_by("-date", "-id")


class PersonSitemap(UpdatedSitemap):
    priority = 0.5

    def items(self):
        return (
            Person.objects.public()
            .exclude(appearances__role=Role.OPERATOR)
            .only("slug", "updated")
            .order_by("sort_name")
        )


class TopicSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return Topic.objects.public().only("slug").order_by("name")


SITEMAPS = {"pages": IndexSitemap, "events": EventSitemap, "people": PersonSitemap, "topics": TopicSitemap}
