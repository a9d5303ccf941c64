"""Staff review of what the parser did not take as a speaker, in a real browser:
upload the 1976 debate with one of James Gannon's turns labelled "Gannon:" (a
one-word label used once, which the parser leaves as text), tick it in "Not taken as
speakers", publish, and find that turn under James Gannon on the event page and in a
`speaker:` search; then upload the St. Louis town hall as a Rev .docx (no title in the
file: the editor types it) and find its speakers on the event page."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from search_helpers import process_queue, reset_search_index

from tests.conftest import corpus_path
from tests.staff.test_admin_review import DEBATE
from tests.staff.test_admin_support import editors_group
from transcripts.models import Event

pytestmark = pytest.mark.browser

DOCX = "services-2004-10-08-st-louis-rev.docx"
FOLLOW_UP = "Mr. President, to follow up a moment"


@pytest.fixture
def logged_in(page, live_server, django_user_model, transactional_db):
    """An editor logged in through the login form (django-axes watches it)."""
    user = django_user_model.objects.create_user("reva", password="reva-pass-12345", is_staff=True)
    user.groups.add(editors_group())
    page.goto(f"{live_server.url}/admin/transcripts/event/upload/")
    expect(page).to_have_url(re.compile(r"/admin/login/"))
    page.fill("#id_username", "reva")
    page.fill("#id_password", "reva-pass-12345")
    page.click("input[type=submit]")
    expect(page.get_by_role("heading", name="Upload transcript")).to_be_visible()
    return page


def upload_file(page, live_server, path: Path, title: str):
    page.goto(f"{live_server.url}/admin/transcripts/event/upload/")
    page.set_input_files("#id_file", str(path))
    page.fill("#id_title", title)
    page.click("input[type=submit][value=Preview]")
    expect(page.get_by_role("heading", name="Review the upload")).to_be_visible()


def publish(page, title: str) -> Event:
    page.check("input[name=status][value=published]")
    page.click(".submit-row button[value=confirm]")
    expect(page.locator(".messagelist")).to_contain_text(f"Stored “{title}” as published")
    return Event.objects.get(title=title)


def test_editor_makes_a_missed_label_a_speaker_and_finds_the_turn(logged_in, live_server, tmp_path):
    page = logged_in
    reset_search_index()
    text = corpus_path(DEBATE).read_text(encoding="utf-8")
    variant = tmp_path / "debate-1976.txt"
    variant.write_text(text.replace(f"\nJames Gannon: {FOLLOW_UP}", f"\nGannon: {FOLLOW_UP}", 1), encoding="utf-8")
    upload_file(page, live_server, variant, "First Ford–Carter Debate")

    gannon_row = page.locator("#speakers tr", has_text="James Gannon")
    expect(gannon_row.locator("td.num").first).to_have_text("6")
    missed = page.locator("#rejected-labels tr.rejected-label", has_text="Gannon")
    expect(missed).to_have_count(1)
    expect(missed).to_contain_text(f"Gannon: {FOLLOW_UP}")
    missed.locator("input[name=make_speaker]").check()
    page.click(".submit-row button[value=preview]")

    expect(page.locator("#rejected-labels")).to_have_count(0)  # nothing left untaken
    expect(page.get_by_text("Not taken as speakers (0)")).to_be_visible()
    gannon_row = page.locator("#speakers tr", has_text="James Gannon")
    expect(gannon_row.locator("td.num").first).to_have_text("7")
    assert Event.objects.count() == 0  # previews store nothing

    event = publish(page, "First Ford–Carter Debate")
    turn = event.turns.get(text__startswith=FOLLOW_UP)
    assert turn.appearance.person.name == "James Gannon"
    assert process_queue() > 0

    page.goto(f"{live_server.url}{event.get_absolute_url()}")
    expect(page.locator(".participants .participant-name", has_text="James Gannon")).to_have_count(1)
    expect(page.locator(f"#t-{turn.public_id}")).to_contain_text("James Gannon")

    page.goto(f"{live_server.url}/search/?q=speaker%3Agannon+follow")
    result = page.locator("li.result", has_text="to follow up a moment")
    expect(result).to_have_count(1)
    expect(result.locator(".result-speaker")).to_have_text("James Gannon")


def test_editor_uploads_a_rev_docx_with_a_typed_title(logged_in, live_server):
    page = logged_in
    upload_file(page, live_server, corpus_path(DOCX), "St. Louis Town Hall Debate")
    expect(page.locator("#speakers tr", has_text="Charles Gibson").locator("td.num").first).to_have_text("68")
    event = publish(page, "St. Louis Town Hall Debate")
    assert event.turns.count() == 162
    page.goto(f"{live_server.url}{event.get_absolute_url()}")
    # The moderator and the candidates are the panel; the town-hall audience are its questioners.
    names = page.locator(".participants .participant-name")
    for name in ("Charles Gibson", "George W Bush", "John F Kerry"):
        expect(names.filter(has_text=name)).to_have_count(1)
    expect(page.locator(".questioners li")).to_have_count(21 - names.count())
    expect(page.locator(".questioners li", has_text="Cheryl Otis")).to_have_count(1)
