from django.urls import include, path

# Each concern owns its routes: reader pages (events, people, topics, quotes, feeds)
# and search (page and JSON API).
urlpatterns = [
    path("", include("transcripts.reader_urls")),
    path("", include("transcripts.search.urls")),
]
