"""Reader pages. Views fetch and hand over; rendering lives in templates."""
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from transcripts.models import Event, Turn


def event_list(request):
    events = Event.objects.published().prefetch_related("topics")
    page = Paginator(events, 25).get_page(request.GET.get("page"))
    return render(request, "transcripts/event_list.html", {"page": page})


def event_detail(request, slug):
    event = get_object_or_404(Event.objects.published().prefetch_related("topics"), slug=slug)
    appearances = list(event.appearances.select_related("person").order_by("order"))
    turns = list(Turn.objects.filter(event=event).select_related("appearance__person").order_by("position"))
    return render(
        request,
        "transcripts/event_detail.html",
        {"event": event, "appearances": appearances, "turns": turns},
    )
