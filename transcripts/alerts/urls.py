from django.urls import path

from transcripts.alerts import views

app_name = "alerts"
urlpatterns = [
    path("follow/", views.follow, name="follow"),
    path("feed/", views.feed, name="feed"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("manage/", views.request_manage_link, name="manage_request"),
    path("manage/<str:token>/", views.manage, name="manage"),
]
