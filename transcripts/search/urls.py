from django.urls import path

from transcripts.views import search

urlpatterns = [
    path("search/", search.search_page, name="search"),
    path("api/search/", search.search_api, name="api_search"),
]
