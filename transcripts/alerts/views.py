"""Alert pages: follow (sign up), confirm, unsubscribe, manage. No account, no JavaScript:
signed links in mails are the only keys."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from transcripts.alerts import actions, tokens
from transcripts.alerts.forms import FrequencyForm, ManageLinkForm, SubscribeForm
from transcripts.alerts.matching import feed_hits
from transcripts.alerts.models import Alert, Frequency
from transcripts.alerts.queries import SavedSearch
from transcripts.search.api import SearchUnavailable

EMPTY_SEARCH = "There is nothing to follow yet: search for some words, or pick a speaker or a topic, then follow that."


def _page(request, template: str, context: dict, status: int = 200):
    return render(request, f"alerts/{template}.html", context, status=status)


def _bad_link(request, exc):
    return _page(
        request,
        "message",
        {"title": "That link does not work", "message": str(exc), "manage_form": ManageLinkForm()},
        status=400,
    )


@require_http_methods(["GET", "POST"])
def follow(request):
    """GET: the sign-up form for the search in the query string. POST: sign up."""
    if request.method == "GET":
        saved = SavedSearch.from_params(request.GET)
        form = SubscribeForm(initial={"query": saved.query_string()})
        problem = EMPTY_SEARCH if saved.is_empty else " ".join(saved.messages)
        return _page(request, "follow_page", {"form": form, "saved": saved, "problem": problem})
    form = SubscribeForm(request.POST)
    saved = SavedSearch.from_string(request.POST.get("query") or "")
    problem = EMPTY_SEARCH if saved.is_empty else " ".join(saved.messages)
    if not form.is_valid() or problem:
        return _page(request, "follow_page", {"form": form, "saved": saved, "problem": problem}, status=400)
    email = form.cleaned_data["email"]
    try:
        outcome = actions.subscribe(email, saved, form.cleaned_data["frequency"], request)
    except actions.TooManyRequests as exc:
        return _page(request, "follow_page", {"form": form, "saved": saved, "problem": str(exc)}, status=429)
    if outcome.problem:
        return _page(request, "follow_page", {"form": form, "saved": saved, "problem": outcome.problem}, status=503)
    return _page(
        request,
        "message",
        {
            "title": "Check your inbox",
            "message": f"We sent a mail to {email}. Follow the link in it to start the alert for "
            f"{saved.describe()}. Nothing is sent until you do.",
        },
    )


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET shows one button (a mail scanner that fetches every link in a mail must not
    switch an alert on for a stranger); POST, from that button, confirms."""
    try:
        alert_id = tokens.alert_from_confirm_token(token)
    except tokens.BadToken as exc:
        return _bad_link(request, exc)
    alert = Alert.objects.filter(pk=alert_id).first()
    if alert is not None and request.method == "POST":
        alert = actions.confirm(alert_id)
    if alert is None:
        return _page(
            request,
            "message",
            {
                "title": "This alert no longer exists",
                "message": "It was deleted or unsubscribed. Follow the search again to start a new one.",
            },
            status=404,
        )
    saved = SavedSearch.from_string(alert.query)
    if alert.confirmed_at is None:
        return _page(request, "confirm", {"alert": alert, "what": saved.describe()})
    return _page(
        request,
        "message",
        {
            "title": "Your alert is on",
            "message": f"We will mail {alert.email} when new passages match {saved.describe()} "
            f"({alert.get_frequency_display().lower()}).",
            "manage_url": reverse("alerts:manage", args=[tokens.manage_token(alert.email)]),
        },
    )


# RFC 8058: mail programs POST "List-Unsubscribe=One-Click" here without a form; the signed token is the key.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET shows one button (link checkers that fetch every link in a mail must not
    unsubscribe anyone); POST, from that button or a mail program, unsubscribes."""
    try:
        target = tokens.read_unsubscribe_token(token)
    except tokens.BadToken as exc:
        return _bad_link(request, exc)
    alert = Alert.objects.filter(pk=target["alert"]).first() if "alert" in target else None
    if request.method == "GET":
        what = SavedSearch.from_string(alert.query).describe() if alert else ""
        return _page(
            request,
            "unsubscribe",
            {
                "alert": alert,
                "what": what,
                "email": target.get("email", ""),
                "gone": "alert" in target and alert is None,
            },
        )
    deleted = actions.unsubscribe(alert_id=target.get("alert"), email=target.get("email", ""))
    if request.POST.get("List-Unsubscribe") == "One-Click":
        return HttpResponse("Unsubscribed.", content_type="text/plain")
    return _page(
        request,
        "message",
        {
            "title": "Unsubscribed",
            "message": "You will get no more mail for this alert." if deleted or alert is None else "",
            "manage_form": ManageLinkForm(),
        },
    )


@require_http_methods(["GET", "POST"])
def request_manage_link(request):
    form = ManageLinkForm(request.POST or None)
    if request.method == "GET" or not form.is_valid():
        return _page(request, "manage_request", {"form": form}, status=200 if request.method == "GET" else 400)
    email = form.cleaned_data["email"]
    try:
        outcome = actions.send_manage_link(email, request)
    except actions.TooManyRequests as exc:
        return _page(request, "manage_request", {"form": form, "problem": str(exc)}, status=429)
    if outcome.problem:
        return _page(request, "manage_request", {"form": form, "problem": outcome.problem}, status=503)
    return _page(
        request,
        "message",
        {
            "title": "Check your inbox",
            "message": f"If {email} follows anything on Verbatim, a mail with a link to manage those alerts "
            "is on its way.",
        },
    )


@require_http_methods(["GET", "POST"])
def manage(request, token):
    try:
        email = tokens.email_from_manage_token(token)
    except tokens.BadToken as exc:
        return _bad_link(request, exc)
    notice = ""
    if request.method == "POST":
        alert_id = _int(request.POST.get("alert"))
        if request.POST.get("action") == "delete_all":
            actions.unsubscribe(email=email)
            notice = "All your alerts are deleted."
        elif request.POST.get("action") == "confirm" and alert_id:
            # The signed link proves the address, as the confirmation mail's link would.
            if Alert.objects.filter(pk=alert_id, email=email).exists():
                actions.confirm(alert_id)
                notice = "The alert is on."
        elif request.POST.get("action") == "delete" and alert_id:
            actions.unsubscribe(alert_id=alert_id, email=email)
            notice = "The alert is deleted."
        else:
            form = FrequencyForm(request.POST)
            if form.is_valid() and alert_id and actions.set_frequency(email, alert_id, form.cleaned_data["frequency"]):
                return redirect(f"{request.path}?saved=1")
            notice = "Nothing was changed: choose how often, then press Save."
    elif request.GET.get("saved"):
        notice = "Saved."
    alerts = [
        {
            "alert": alert,
            "what": SavedSearch.from_string(alert.query).describe(),
            "search_url": f"{reverse('search')}?{alert.query}",
            "feed_url": f"{reverse('alerts:feed')}?{alert.query}",
        }
        for alert in Alert.objects.filter(email=email).order_by("created")
    ]
    return _page(
        request, "manage", {"email": email, "alerts": alerts, "notice": notice, "frequencies": Frequency.choices}
    )


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@require_GET
def feed(request):
    """Atom: the newest published turns matching the search in the query string."""
    from transcripts.alerts.feeds import SearchFeed

    saved = SavedSearch.from_params(request.GET)
    if saved.is_empty:
        return HttpResponse(EMPTY_SEARCH, status=400, content_type="text/plain; charset=utf-8")
    try:
        hits = feed_hits(saved)
    except SearchUnavailable as exc:
        return HttpResponse(
            str(exc), status=503, content_type="text/plain; charset=utf-8", headers={"Retry-After": "60"}
        )
    return SearchFeed(saved, hits)(request)
