"""Production settings come from the environment and pass Django's deployment checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, env_overrides, tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {"DJANGO_DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    }
    env.update({"VERBATIM_VAR_DIR": str(tmp_path)}, **env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides={"SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "verbatim.example.org"},
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_debug_is_off_unless_set_and_then_a_secret_key_is_required(tmp_path):
    result = manage("check", env_overrides={}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_pages_carry_a_content_security_policy_without_inline_script(client, db):
    response = client.get("/events/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"


# --- failed logins (django-axes) and where a login lands --------------------------------

RIGHT = "right-password-123"


def login(client, username, password, address="203.0.113.7", **extra):
    return client.post("/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=address, **extra)


def fail(client, username, times, **kwargs):
    for _ in range(times):
        response = login(client, username, "wrong", **kwargs)
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()


def lock_out(client, username, limit, **kwargs):
    """`limit` failures: the last of them already answers with the lockout page."""
    fail(client, username, limit - 1, **kwargs)
    response = login(client, username, "wrong", **kwargs)
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()


@pytest.fixture
def staff(db):
    return [User.objects.create_superuser(name, f"{name}@example.org", RIGHT) for name in ("boss", "editor")]


def test_a_username_is_locked_out_from_one_address_after_the_limit(client, settings, staff):
    lock_out(client, "boss", settings.LOGIN_FAILURE_LIMIT)
    # Even the right password is refused for that username from that address.
    response = login(client, "boss", RIGHT)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed logins" in page and "locked for 15 minutes" in page and "“boss”" in page
    assert "_auth_user_id" not in client.session


def test_another_user_from_the_same_address_is_not_locked_out(client, settings, staff):
    lock_out(client, "boss", settings.LOGIN_FAILURE_LIMIT)
    response = login(client, "editor", RIGHT)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff[1].pk)


def test_the_same_user_from_another_address_is_not_locked_out(client, settings, staff):
    lock_out(client, "boss", settings.LOGIN_FAILURE_LIMIT)
    assert login(client, "boss", RIGHT, address="198.51.100.20").status_code == 302


def test_a_successful_login_resets_the_count(client, settings, staff):
    fail(client, "boss", settings.LOGIN_FAILURE_LIMIT - 1)
    assert login(client, "boss", RIGHT).status_code == 302
    client.logout()
    fail(client, "boss", settings.LOGIN_FAILURE_LIMIT - 1)
    assert login(client, "boss", RIGHT).status_code == 302


def test_the_lockout_ends_after_the_window(client, settings, staff):
    from axes.models import AccessAttempt
    from django.utils import timezone

    lock_out(client, "boss", settings.LOGIN_FAILURE_LIMIT)
    assert login(client, "boss", RIGHT).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME * 2)
    assert login(client, "boss", RIGHT).status_code == 302


def test_forwarded_for_is_ignored_unless_a_proxy_count_is_configured(client, settings, staff):
    # Without a proxy count a client cannot dodge the lockout by inventing X-Forwarded-For.
    for n in range(settings.LOGIN_FAILURE_LIMIT - 1):
        fail(client, "boss", 1, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert login(client, "boss", "wrong", HTTP_X_FORWARDED_FOR="192.0.2.98").status_code == 429
    assert login(client, "boss", RIGHT, HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429


def test_behind_a_configured_proxy_the_forwarded_address_is_the_client(client, settings, staff):
    settings.VERBATIM_PROXY_COUNT = 1
    proxy = "10.0.0.1"  # every request reaches Django from the proxy
    lock_out(client, "boss", settings.LOGIN_FAILURE_LIMIT, address=proxy, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert login(client, "boss", RIGHT, address=proxy, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429
    # The same user from another office behind the same proxy is a different address.
    assert login(client, "boss", RIGHT, address=proxy, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 302
    # A client-written hop left of the proxy's does not change who it is.
    client.logout()
    spoofed = login(client, "boss", RIGHT, address=proxy, HTTP_X_FORWARDED_FOR="192.0.2.50, 198.51.100.1")
    assert spoofed.status_code == 429


def test_client_ip_counts_proxies_from_the_right():
    from django.test import RequestFactory

    from archive.security import client_ip

    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.9, 10.0.0.1")
    from django.test import override_settings

    assert client_ip(request) == "10.0.0.2"
    with override_settings(VERBATIM_PROXY_COUNT=2):
        assert client_ip(request) == "198.51.100.9"
    with override_settings(VERBATIM_PROXY_COUNT=5):  # fewer hops than proxies: only the peer is known
        assert client_ip(request) == "10.0.0.2"
    bad = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-address")
    with override_settings(VERBATIM_PROXY_COUNT=1):
        assert client_ip(bad) == "10.0.0.2"


def test_login_failure_limit_and_window_come_from_the_environment(tmp_path):
    code = (
        "from django.conf import settings as s; print(s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME.total_seconds(), "
        "s.VERBATIM_PROXY_COUNT)"
    )
    result = manage(
        "shell",
        "-c",
        code,
        tmp_path=tmp_path,
        env_overrides={
            "DJANGO_DEBUG": "1",
            "LOGIN_FAILURE_LIMIT": "3",
            "LOGIN_FAILURE_WINDOW": "120",
            "VERBATIM_PROXY_COUNT": "2",
        },
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["3", "120.0", "2"]


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/nonexistent", "javascript:alert(1)"])
def test_an_unsafe_or_missing_next_lands_on_the_admin_index(client, staff, target):
    page = client.get("/admin/login/", {"next": target})
    assert page.status_code == 200
    assert 'name="next" value="/admin/"' in page.content.decode()
    response = client.post(
        f"/admin/login/?next={target}",
        {"username": "boss", "password": RIGHT, "next": target},
        REMOTE_ADDR="203.0.113.7",
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/"


def test_a_real_next_is_kept(client, staff):
    form = {"username": "boss", "password": RIGHT, "next": "/admin/transcripts/event/"}
    response = client.post("/admin/login/", form, REMOTE_ADDR="203.0.113.7")
    assert response.headers["Location"] == "/admin/transcripts/event/"
