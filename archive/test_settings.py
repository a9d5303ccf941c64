"""Settings for the test suite: the real settings, with debug on (so no SECRET_KEY is
needed) and a private var/ directory, so a test run never touches `make run`'s database
or search index. Set before archive.settings reads the environment."""

import os
import tempfile

os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("VERBATIM_VAR_DIR", tempfile.mkdtemp(prefix="verbatim-test-"))
# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests
# make around it are still synchronous, so Django's async guard does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from archive.settings import *  # noqa: E402,F403
