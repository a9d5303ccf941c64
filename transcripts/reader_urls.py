from django.urls import path

from transcripts.views import pages

urlpatterns = [
    path("", pages.event_list, name="home"),
    path("events/", pages.event_list, name="events"),
    path("events/<slug:slug>/", pages.event_detail, name="event"),
    path("people/<slug:slug>/", pages.event_list, name="person"),
    path("topics/<slug:slug>/", pages.event_list, name="topic"),
]
