"""A short run of the load test (`manage.py loadtest`): gunicorn with 4 workers, readers and
an importing editor at once, no 5xx, no lock errors, and the index equal to the database."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_load_smoke_run(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_")) and k != "DATABASE_URL"}
    env.update(DJANGO_DEBUG="1", VERBATIM_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="archive.settings")
    done = subprocess.run([sys.executable, "manage.py", "loadtest", "--seconds", "6", "--readers", "6",
                           "--corpus-turns", "300"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "5xx responses: 0   lock errors: 0   editor errors: 0" in done.stdout
    assert "index matches database: True" in done.stdout and "Load test passed." in done.stdout
    imported = int(done.stdout.split(" transcripts imported")[0].rsplit(" ", 1)[1])
    assert imported >= 1, done.stdout
