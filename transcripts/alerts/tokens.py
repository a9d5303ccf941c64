"""Signed links (django.core.signing): whoever holds the mail holds the alert; no password."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

CONFIRM_MAX_AGE = 7 * 24 * 3600  # a confirmation link older than a week is refused
MANAGE_MAX_AGE = 30 * 24 * 3600  # a fresh manage link comes with every alert mail


class BadToken(Exception):
    """The link is damaged, forged or too old. The message is safe to show."""


def _dumps(value, salt: str) -> str:
    return signing.dumps(value, salt=f"verbatim.alerts.{salt}", compress=True)


def _loads(token: str, salt: str, max_age=None, expired: str = ""):
    try:
        return signing.loads(token, salt=f"verbatim.alerts.{salt}", max_age=max_age)
    except signing.SignatureExpired:
        raise BadToken(expired) from None
    except signing.BadSignature:
        raise BadToken(
            "This link is not valid: it may have been cut short when it was copied. "
            "Copy the whole link from the mail, or ask for a new one."
        ) from None


def confirm_token(alert) -> str:
    return _dumps(alert.pk, "confirm")


def alert_from_confirm_token(token: str) -> int:
    return _loads(
        token,
        "confirm",
        CONFIRM_MAX_AGE,
        "This confirmation link is more than a week old. Follow the search again to get a new one.",
    )


def unsubscribe_token(*, alert=None, email: str = "") -> str:
    """For one alert, or (with `email`) for every alert of an address."""
    return _dumps({"alert": alert.pk} if alert is not None else {"email": email}, "unsubscribe")


def read_unsubscribe_token(token: str) -> dict:
    return _loads(token, "unsubscribe")


def manage_token(email: str) -> str:
    return _dumps(email, "manage")


def email_from_manage_token(token: str) -> str:
    return _loads(
        token,
        "manage",
        MANAGE_MAX_AGE,
        "This link to manage your alerts is more than 30 days old. Ask for a new one below.",
    )


def absolute_url(name: str, *args, request=None) -> str:
    """A full URL for mails: from the request when there is one, else from VERBATIM_SITE_URL."""
    path = reverse(name, args=args)
    return request.build_absolute_uri(path) if request is not None else settings.VERBATIM_SITE_URL.rstrip("/") + path
