"""Site-wide protections that Django 5.2 does not ship: a Content Security Policy and a
throttle on admin logins."""
from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.cache import cache

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


class ThrottledAdminAuthenticationForm(AdminAuthenticationForm):
    """After LOGIN_FAILURE_LIMIT failed logins for one username or from one address
    within LOGIN_FAILURE_WINDOW seconds, refuse further tries until the window passes."""

    def clean(self):
        keys = self._throttle_keys()
        limit = getattr(settings, "LOGIN_FAILURE_LIMIT", 5)
        if any((cache.get(key) or 0) >= limit for key in keys):
            minutes = max(1, getattr(settings, "LOGIN_FAILURE_WINDOW", 900) // 60)
            raise forms.ValidationError(
                f"Too many failed logins. Wait {minutes} minutes and try again, or ask an administrator to reset your password.",
                code="throttled",
            )
        try:
            return super().clean()
        except forms.ValidationError:
            window = getattr(settings, "LOGIN_FAILURE_WINDOW", 900)
            for key in keys:
                cache.add(key, 0, window)
                try:
                    cache.incr(key)
                except ValueError:  # expired between add and incr
                    cache.set(key, 1, window)
            raise

    def _throttle_keys(self):
        username = (self.data.get("username") or "").strip().casefold()
        address = self.request.META.get("REMOTE_ADDR", "") if self.request else ""
        return [f"login-fail:user:{username}", f"login-fail:addr:{address}"]
