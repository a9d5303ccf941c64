"""Shared fixtures. The settings are archive/test_settings.py (see pytest.ini)."""

import contextlib
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.database import DirectoryBasedExampleDatabase

ROOT = Path(__file__).resolve().parent.parent
# The sample panel the project was built from ships in its demo archive, with its metadata
# (topics, organiser) beside it in transcripts/demo/metadata/.
SAMPLES = ROOT / "transcripts" / "demo" / "transcripts"
SAMPLE = SAMPLES / "cfr-2022-02-17-combating-human-trafficking.txt"
SAMPLE_METADATA = ROOT / "transcripts" / "demo" / "metadata" / (SAMPLE.name + ".json")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


# The real third-party transcripts with their ground truth sit beside the project, read in
# place and never copied in. Only the corpus tests read them (through `corpus_path`); every other
# test runs on what ships in the project.
CORPUS = ROOT.parent / "shared" / "corpus"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def corpus_path(name: str = "") -> Path:
    """The corpus (or one file of it). Missing, the test skips loudly on a laptop and fails in CI,
    where a green run must mean the corpus tests ran."""
    path = CORPUS / name
    if not path.exists():
        message = f"the real-transcript corpus is not at {path}; the corpus tests did not run"
        if IN_CI:
            pytest.fail(f"CI=true and {message}.", pytrace=False)
        pytest.skip(f"SKIPPED LOUDLY: {message}.")
    return path


# Hypothesis: in CI every run draws the same examples (a fixed seed), so a red or green build
# means the code changed, not the dice; a failing example is kept in .hypothesis/ci (cache it
# between CI runs) and printed as a reproduce_failure blob. Elsewhere each run draws afresh,
# so the examples tried keep growing. `mutation` is for tools/mutation.py: fixed, and no database.
CI_SEED = 20_240_917
settings.register_profile(
    "ci",
    derandomize=False,  # the seed is fixed instead (pytest_configure), which keeps the database in use
    database=DirectoryBasedExampleDatabase(ROOT / ".hypothesis" / "ci"),
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", deadline=None)
settings.register_profile("mutation", derandomize=True, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if IN_CI else "dev"))


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config):
    """In CI, the fixed seed, unless the command line gives one (before Hypothesis's plugin reads it)."""
    if IN_CI and config.getoption("hypothesis_seed", None) is None:
        config.option.hypothesis_seed = CI_SEED


@pytest.fixture
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture
def sample_event(db, sample_text):
    """The sample panel imported and published, with the topics from its metadata file."""
    import json

    from transcripts.operations.imports import import_transcript

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
