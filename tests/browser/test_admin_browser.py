"""An editor's upload in a real browser (Debian chromium via Playwright): log in, upload
the sample, fix a speaker's name in the preview, publish, read it on the public page,
search for a phrase and land on the turn."""

import re

import pytest
from playwright.sync_api import expect
from search_helpers import process_queue, reset_search_index

from tests.conftest import ARTIFACTS
from tests.conftest import SAMPLE as SAMPLE_PATH
from tests.staff.test_admin_support import editors_group
from transcripts.models import Event, Person

pytestmark = pytest.mark.browser

SAMPLE = str(SAMPLE_PATH)
PHRASE = "dynamic moment here for the Communications Decency Act"


@pytest.fixture
def editor_login(django_user_model, transactional_db):
    user = django_user_model.objects.create_user("edwina", password="edwina-pass-12345", is_staff=True)
    user.groups.add(editors_group())
    return "edwina", "edwina-pass-12345"


def test_editor_uploads_fixes_a_name_publishes_and_finds_the_turn(page, live_server, editor_login):
    reset_search_index()
    username, password = editor_login
    page.goto(f"{live_server.url}/admin/transcripts/event/upload/")
    expect(page).to_have_url(re.compile(r"/admin/login/"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    expect(page.get_by_role("heading", name="Upload transcript")).to_be_visible()

    page.set_input_files("#id_file", SAMPLE)
    page.click("input[type=submit][value=Preview]")
    expect(page.get_by_role("heading", name="Review the upload")).to_be_visible()
    expect(page.locator(".target")).to_contain_text("creates a new event")
    assert Event.objects.count() == 0  # a preview stores nothing

    krell = page.locator("#speakers tr", has_text="KRELL")
    expect(krell.locator("input[name$='-name']")).to_have_value("Maggy Krell")
    krell.locator("input[name$='-name']").fill("Margaret Krell")
    page.click(".submit-row button[value=preview]")
    krell = page.locator("#speakers tr", has_text="KRELL")
    expect(krell.locator("input[name$='-name']")).to_have_value("Margaret Krell")
    expect(krell.locator(".mapping")).to_contain_text("New person")
    page.check("input[name=status][value=published]")
    page.click("button[value=confirm]")
    expect(page.locator(".messagelist")).to_contain_text(
        "Stored “Combating Human Trafficking and Modern Slavery” as published"
    )

    event = Event.objects.get()
    assert not Person.objects.filter(name="Maggy Krell").exists()
    assert process_queue() > 0  # the index consumer's work, done now

    page.goto(f"{live_server.url}{event.get_absolute_url()}")
    names = page.locator(".participants .participant-name")
    expect(names).to_have_text(["Mark Lagon", "Susan Coppedge", "Siddharth Kara", "Margaret Krell"])

    page.goto(f"{live_server.url}/search/?q=%22{PHRASE.replace(' ', '+')}%22")
    result = page.locator("li.result").first
    expect(result.locator(".result-speaker")).to_have_text("Margaret Krell")
    result.locator(".result-link a").click()
    turn = event.turns.get(text__contains=PHRASE)
    expect(page).to_have_url(re.compile(rf"/events/{event.slug}/.*#t-{turn.public_id}$"))
    target = page.locator(f"#t-{turn.public_id}")
    expect(target).to_contain_text(PHRASE)
    expect(target).to_contain_text("Margaret Krell")


def test_admin_pages_fit_a_1280_px_window_and_hide_empty_error_notes(page, live_server, editor_login, sample_event):
    """No empty red box on the upload form; the event page no wider than the
    window, its buttons clear of a long title."""
    sample_event.title = "Combating Human Trafficking and Modern Slavery: " + "A Very Long Title " * 6
    sample_event.save()
    username, password = editor_login
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/transcripts/event/upload/")
    note = page.locator("#upload_form .errornote")
    expect(note).to_have_count(1)  # the size check's note, made by the script, empty
    expect(note).to_be_hidden()
    page.goto(f"{live_server.url}/admin/transcripts/event/{sample_event.pk}/change/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    title = page.locator("#content h2").first.bounding_box()
    tools = page.locator(".object-tools").bounding_box()
    assert tools["y"] >= title["y"] + title["height"], (title, tools)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "admin-event-1280.png"))


def test_enter_in_a_paginated_speaker_table_updates_the_preview(page, live_server, editor_login):
    """The page buttons come before "Update preview" in the form: Enter must not pick them."""
    username, password = editor_login
    firsts = ("ALMA", "BRUNO", "CLARA", "DMITRI", "EDITH", "FELIX", "GRETA", "HUGO", "IRIS", "JONAS")
    lasts = ("MORROW", "PEAKE", "QUILL", "RENWICK", "STAVE", "TORRANCE")
    names = [f"{first} {last}" for last in lasts for first in firsts]  # 60 people ("SPEAKER 7" would be nobody's)
    text = "---\ntitle: The Long Hearing\ndate: 2022-03-01\n---\n\n" + "\n".join(
        f"{name}: My statement, number {i}, is on the record.\n" for i, name in enumerate(names)
    )
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/transcripts/event/upload/")
    page.fill("#id_text", text)
    page.click("input[type=submit][value=Preview]")
    expect(page.locator("nav.speaker-pages").first).to_contain_text("Speakers 1–50 of 60")
    first = page.locator("#speakers input[name$='-name']").first
    first.fill("Ada Byron")
    first.press("Enter")
    expect(page.locator("nav.speaker-pages strong").first).to_have_text("1")
    expect(page.locator("#speakers input[name$='-name']").first).to_have_value("Ada Byron")
    page.locator(".speaker-pages button[value='page:2']").first.click()
    expect(page.locator("#speakers tbody tr")).to_have_count(10)
    page.click(".submit-row button[value=confirm]")
    expect(page.locator(".messagelist")).to_contain_text("Stored “The Long Hearing”")
    assert Person.objects.filter(name="Ada Byron").count() == 1 and Person.objects.count() == 60
