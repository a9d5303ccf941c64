"""`make run`'s settings: debug off (VERBATIM_LOCAL=1), a secret generated once into var/,
localhost only, static files served, and the site's own error pages. The server is the
real one `make run` starts, on a free port."""

import os
import socket
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from archive.local import local_secret_key

ROOT = Path(__file__).resolve().parents[2]


def local_env(var_dir: Path) -> dict:
    unset = {"DJANGO_DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    return {**env, "VERBATIM_VAR_DIR": str(var_dir), "VERBATIM_LOCAL": "1", "DJANGO_DEBUG": "0"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, host: str | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_the_secret_key_is_made_once_readable_by_its_owner_and_kept(tmp_path):
    key = local_secret_key(tmp_path)
    assert len(key) >= 50
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    assert local_secret_key(tmp_path) == key
    assert local_secret_key(tmp_path / "fresh") != key


def test_make_run_settings_serve_the_sites_own_404_with_debug_off(tmp_path):
    env = local_env(tmp_path)
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env, capture_output=True, timeout=180
    )
    assert migrate.returncode == 0, migrate.stderr
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    announcer = subprocess.run(
        [sys.executable, "-m", "archive.local", url], cwd=ROOT, env=env, capture_output=True, text=True, timeout=90
    )
    try:
        assert announcer.returncode == 0 and f"Verbatim is at {url}" in announcer.stdout, announcer.stdout
        status, html = fetch(url + "no-such-page/")
        assert status == 404
        assert "We could not find that page" in html  # the site's page, not Django's debug page
        assert "Page not found" not in html and "URLconf" not in html and "DEBUG = True" not in html
        status, css = fetch(url + "static/css/verbatim.css")
        assert status == 200 and "--accent" in css  # whitenoise serves static/ without collectstatic
        status, html = fetch(url)
        assert status == 200 and "No events yet." in html
        assert fetch(url, host="verbatim.example.org")[0] == 400  # localhost only
        assert (tmp_path / "secret_key").exists()
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_announcement_waits_for_an_answer_and_says_when_none_came(tmp_path):
    port = free_port()
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", f"from archive.local import announce_when_up as a; a('http://127.0.0.1:{port}/', 1.5)"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert time.monotonic() - started >= 1.5
    assert "Nothing answered at" in result.stdout and "Verbatim is at" not in result.stdout
