from django.urls import path

from transcripts.reports import views

urlpatterns = [
    path("t/<slug:public_id>/report/", views.report_problem, name="turn_report"),
]
