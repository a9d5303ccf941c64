"""Shared fixtures. The settings are archive/test_settings.py (see pytest.ini)."""

import contextlib
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The sample panel the project was built from ships in its demo archive, with its metadata
# (topics, organiser) beside it in transcripts/demo/metadata/.
SAMPLES = ROOT / "transcripts" / "demo" / "transcripts"
SAMPLE = SAMPLES / "cfr-2022-02-17-combating-human-trafficking.txt"
SAMPLE_METADATA = ROOT / "transcripts" / "demo" / "metadata" / (SAMPLE.name + ".json")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


SAMPLE_MISSING = f"SAMPLE MISSING: {SAMPLE} is not there (it ships with the project: is the checkout whole?)"
# For tests that read the sample without the fixture (the corpus generator builds on it).
requires_sample = pytest.mark.skipif(not SAMPLE.exists(), reason=SAMPLE_MISSING)


@pytest.fixture
def sample_text() -> str:
    if not SAMPLE.exists():
        pytest.skip(SAMPLE_MISSING)
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture
def sample_event(db, sample_text):
    """The sample panel imported and published, with the topics from its metadata file."""
    import json

    from transcripts.importer import import_transcript

    metadata = json.loads(SAMPLE_METADATA.read_text())
    return import_transcript(sample_text, metadata=metadata, status="published").event


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM:
        pytest.skip("BROWSER TESTS SKIPPED: Debian chromium is not installed (make test installs it when run as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    """A fresh browser page; a screenshot of where it ended is kept in test-artifacts/."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    with contextlib.suppress(Exception):  # a page that already closed has nothing to show
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
