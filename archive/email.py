"""Email settings from the environment (read by archive/settings.py, which imports no app code).

EMAIL_URL=smtp://user:password@host:587?tls=1 (or smtps://host:465 for implicit TLS,
console:// for the console), else EMAIL_HOST / EMAIL_PORT / EMAIL_HOST_USER /
EMAIL_HOST_PASSWORD / EMAIL_USE_TLS. With nothing set: the console when debugging, else
SMTP to localhost:25 (a local mail relay)."""

from __future__ import annotations

import os
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

SMTP = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE = "django.core.mail.backends.console.EmailBackend"
TRUE = {"1", "true", "yes", "on"}


def _from_url(url: str) -> dict:
    parsed = urlparse(url)
    if parsed.scheme == "console":
        return {"EMAIL_BACKEND": CONSOLE}
    if parsed.scheme not in {"smtp", "smtps"}:
        raise ImproperlyConfigured(
            f"EMAIL_URL scheme {parsed.scheme!r} is not supported; use smtp://, smtps:// or console://."
        )
    options = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
    try:
        port = parsed.port
    except ValueError:
        raise ImproperlyConfigured("EMAIL_URL has a port that is not a number.") from None
    return {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": parsed.hostname or "localhost",
        "EMAIL_PORT": port or (465 if parsed.scheme == "smtps" else 25),
        "EMAIL_HOST_USER": unquote(parsed.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parsed.password or ""),
        "EMAIL_USE_SSL": parsed.scheme == "smtps",
        "EMAIL_USE_TLS": parsed.scheme == "smtp" and options.get("tls", "").lower() in TRUE,
    }


def email_settings(debug: bool, environ=None) -> dict:
    env = os.environ if environ is None else environ
    if env.get("EMAIL_URL"):
        found = _from_url(env["EMAIL_URL"])
    elif env.get("EMAIL_HOST"):
        port = env.get("EMAIL_PORT") or "25"
        if not port.isdigit():
            raise ImproperlyConfigured(f"EMAIL_PORT must be a whole number, not {port!r}.")
        found = {
            "EMAIL_BACKEND": SMTP,
            "EMAIL_HOST": env["EMAIL_HOST"],
            "EMAIL_PORT": int(port),
            "EMAIL_HOST_USER": env.get("EMAIL_HOST_USER", ""),
            "EMAIL_HOST_PASSWORD": env.get("EMAIL_HOST_PASSWORD", ""),
            "EMAIL_USE_TLS": env.get("EMAIL_USE_TLS", "").strip().lower() in TRUE,
        }
    else:
        found = {"EMAIL_BACKEND": CONSOLE if debug else SMTP}
    found["DEFAULT_FROM_EMAIL"] = env.get("DEFAULT_FROM_EMAIL") or "Verbatim alerts <alerts@localhost>"
    found["EMAIL_TIMEOUT"] = 30  # a stuck mail server must not hang send_alerts for ever
    return found
