"""/t/<turn id>/report/: a reader reports a problem with a turn. No account; a honeypot
field and a per-client, per-address hourly limit keep robots and floods out; nothing a
reader sends is shown publicly."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from archive.security import client_ip
from transcripts.models import Event, Turn
from transcripts.reports import actions
from transcripts.reports.forms import ReportForm


def _turn_or_404(public_id: str) -> Turn:
    turn = (
        Turn.objects.filter(public_id=public_id, event__in=Event.objects.published())
        .select_related("event", "appearance__person")
        .first()
    )
    if turn is None:
        raise Http404("There is no such passage in a published transcript.")
    return turn


@require_http_methods(["GET", "POST"])
def report_problem(request, public_id):
    turn = _turn_or_404(public_id)
    form = ReportForm(request.POST if request.method == "POST" else None)
    context = {"turn": turn, "event": turn.event, "form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["website"]:  # only a robot fills the hidden field: thank it, keep nothing
            return render(request, "reports/thanks.html", context)
        try:
            actions.file_report(
                turn,
                kind=data["kind"],
                note=data["note"],
                name=data["name"],
                email=data["email"],
                client=client_ip(request) or "",
            )
        except actions.TooManyReports as exc:
            context["refusal"] = str(exc)
            return render(request, "reports/report.html", context, status=429)
        return render(request, "reports/thanks.html", context)
    return render(request, "reports/report.html", context, status=400 if form.is_bound else 200)
