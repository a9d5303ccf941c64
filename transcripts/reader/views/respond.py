"""How a reader page answers: its HTML, or its JSON twin when asked with ?format=json.

Every reader page has a JSON twin so people can build on the archive; the view builds
one `data` callable next to its template context and this module picks which to send.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import urlencode

FORMATS = ("html", "json")


def wants_json(request) -> bool:
    return request.GET.get("format") == "json"


def unknown_format(request) -> HttpResponse | None:
    """A 406 naming the formats there are, for ?format= anything else (None when the format is fine)."""
    fmt = request.GET.get("format", "")
    if fmt in ("", *FORMATS):
        return None
    message = f"There is no “{fmt[:40]}” format. Leave out ?format= for the page, or use ?format=json for its data."
    return HttpResponse(message, status=406, content_type="text/plain; charset=utf-8")


def json_response(payload: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(payload, status=status, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Access-Control-Allow-Origin"] = "*"  # public data, meant to be built on
    return response


def respond(request, template: str, context: dict, data: Callable[[], dict], status: int = 200):
    refused = unknown_format(request)
    if refused:
        return refused
    if wants_json(request):
        return json_response(data(), status=status)
    context.setdefault("json_url", json_twin_url(request))
    return render(request, template, context, status=status)


def json_twin_url(request) -> str:
    params = request.GET.copy()
    params["format"] = "json"
    return f"{request.path}?{params.urlencode()}"


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


def canonical(request, **params) -> str:
    """The page's canonical absolute URL: its path plus only the parameters that change what it shows."""
    kept = {k: v for k, v in params.items() if v and not (k == "page" and str(v) == "1")}
    query = f"?{urlencode(kept)}" if kept else ""
    return request.build_absolute_uri(request.path) + query


def page_number(request) -> str:
    return request.GET.get("page") or "1"


def other_page_redirect(request, shown: int) -> HttpResponseRedirect | None:
    """A redirect to the page actually shown when ?page= asked for another (past the end,
    0, not a number), so the address never says page 999 over page 2. None when it matches."""
    asked = request.GET.get("page")
    if asked is None or asked == str(shown):
        return None
    params = request.GET.copy()
    if shown == 1:
        params.pop("page")
    else:
        params["page"] = str(shown)
    query = params.urlencode()
    return HttpResponseRedirect(f"{request.path}?{query}" if query else request.path)
