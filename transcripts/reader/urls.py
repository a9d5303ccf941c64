from django.contrib.sitemaps.views import sitemap
from django.urls import path

from transcripts.reader.feeds import NewEventsFeed, PersonFeed, TopicFeed
from transcripts.reader.sitemaps import SITEMAPS
from transcripts.reader.views import cards, check, discovery, pages, quotes, search, talk

urlpatterns = [
    path("", pages.home, name="home"),
    path("events/", pages.event_list, name="events"),
    path("events/<slug:slug>/", pages.event_detail, name="event"),
    path("events/<slug:slug>/cite/", quotes.event_cite, name="event_cite"),
    path("people/", pages.people_index, name="people"),
    path("people/<slug:slug>/", pages.person_detail, name="person"),
    path("people/<slug:slug>/feed/", PersonFeed(), name="person_feed"),
    path("people/<slug:slug>/terms/", talk.person_terms, name="person_terms"),
    path("events/<slug:slug>/terms/", talk.event_terms, name="event_terms"),
    path("compare/", talk.compare, name="compare"),
    path("topics/", pages.topics_index, name="topics"),
    path("topics/<slug:slug>/", pages.topic_detail, name="topic"),
    path("topics/<slug:slug>/feed/", TopicFeed(), name="topic_feed"),
    # Quote links: a turn's public id, the quoted words in ?text=, context in ?prefix=&suffix=.
    path("q/<slug:public_id>/", quotes.quote, name="quote"),
    path("q/<slug:public_id>/cite/", quotes.quote_cite, name="quote_cite"),
    # Short quote links: the key is the passage's first and last words (transcripts.reader.quotes.quote_key).
    path("q/<slug:public_id>/<str:key>/", quotes.quote, name="quote_key"),
    path("q/<slug:public_id>/<str:key>/cite/", quotes.quote_cite, name="quote_key_cite"),
    # A quote's card (its Open Graph image) and its oEmbed: never for words no revision held.
    path("q/<slug:public_id>/card.png", cards.quote_card, name="quote_card"),
    path("q/<slug:public_id>/<str:key>/card.png", cards.quote_card, name="quote_key_card"),
    path("oembed/", cards.oembed, name="oembed"),
    path("t/<slug:public_id>/", quotes.turn_link, name="turn"),
    path("feeds/events/", NewEventsFeed(), name="events_feed"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("search/", search.search_page, name="search"),
    path("api/search/", search.search_api, name="api_search"),
    path("check/", check.check_page, name="check"),
    path("api/check/", check.check_api, name="api_check"),
    path("robots.txt", discovery.robots_txt, name="robots"),
    path("favicon.ico", discovery.favicon, name="favicon"),
]
