"""Site-wide protections that Django 5.2 does not ship: a Content Security Policy, the
client address django-axes locks out by (proxy-aware only when configured), and admin
login redirects that never lead off-site or to a missing page."""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpResponse, HttpResponseBadRequest
from django.template import loader
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme

# No inline script anywhere: pages work without JavaScript and load their scripts from
# /static/. JSON-LD blocks are data, not script, and are not executed. The admin's own
# templates still use inline style attributes, hence 'unsafe-inline' for styles only.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: https:",
        "font-src 'self'",
        "connect-src 'self'",
        # The event player: YouTube (privacy-enhanced host) and Vimeo iframes, loaded only
        # after the reader clicks; audio/video files from here or any https URL.
        "frame-src https://www.youtube-nocookie.com https://player.vimeo.com",
        "media-src 'self' https:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


NUL_REFUSED = (
    "The address holds a NUL character (%00), which no page of this site takes. "
    "Remove it from the address and try again."
)


class RefuseNulMiddleware:
    """A 400 for a NUL character anywhere in the path or the query string: PostgreSQL
    cannot store or compare one, so a filter like /events/?topic=%00 raised a 500 there
    (SQLite let it through). One check here covers every public parameter."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            return HttpResponseBadRequest(loader.render_to_string("400.html", {"reason": NUL_REFUSED}))
        return self.get_response(request)


def client_ip(request) -> str | None:
    """The client's address for django-axes (AXES_CLIENT_IP_CALLABLE).

    With VERBATIM_PROXY_COUNT = 0 (the default) it is REMOTE_ADDR: a client can send any
    X-Forwarded-For it likes, so the header is ignored. Behind N reverse proxies that each
    append the address they received from, the client is the N-th address from the right
    of that header; anything to its left was written by the client and is not trusted.
    """
    remote = request.META.get("REMOTE_ADDR")
    count = getattr(settings, "VERBATIM_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    header = request.META.get(getattr(settings, "VERBATIM_PROXY_HEADER", "HTTP_X_FORWARDED_FOR"), "")
    hops = [hop.strip() for hop in header.split(",") if hop.strip()]
    if len(hops) < count:  # did not come through every proxy: only the direct peer is known
        return remote
    try:
        return str(ipaddress.ip_address(hops[-count]))
    except ValueError:
        return remote


def safe_next_login(login_view):
    """Wrap the admin login view so that a `next` that is off-site or leads nowhere is
    dropped: the admin then sends the user to its index, not to a 404."""

    def view(request, *args, **kwargs):
        for name in ("GET", "POST"):
            params = getattr(request, name)
            target = params.get(REDIRECT_FIELD_NAME)
            if target is not None and not _leads_somewhere(request, target):
                params = params.copy()
                del params[REDIRECT_FIELD_NAME]
                setattr(request, name, params)
        return login_view(request, *args, **kwargs)

    return view


def _leads_somewhere(request, target: str) -> bool:
    allowed = {request.get_host()}
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=allowed, require_https=request.is_secure()):
        return False
    try:
        resolve(urlsplit(target).path)
    except Resolver404:
        return False
    return True


def login_locked_out(request, original_response=None, credentials=None):
    """The page django-axes shows for a locked-out username and address (AXES_LOCKOUT_CALLABLE)."""
    minutes = max(1, round(settings.LOGIN_FAILURE_WINDOW / 60))
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    context = {"failure_limit": settings.LOGIN_FAILURE_LIMIT, "username": username, "minutes": minutes}
    return HttpResponse(loader.render_to_string("429.html", context, request), status=429)
