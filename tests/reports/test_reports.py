"""Report a problem: readers report a wrong speaker or wrong words beside any turn (no
account, honeypot, hourly limits, nothing shown publicly); staff see the reports grouped by
event and accept one as a correction (a version crediting the reporter, a mail to them) or
dismiss it."""

import pytest
from django.core import mail

from tests.staff.test_admin_support import editor, editor_client  # noqa: F401
from transcripts.models import EventRevision, Turn
from transcripts.reports import actions
from transcripts.reports.models import ProblemReport


@pytest.fixture
def kara_turn(sample_event):
    return Turn.objects.filter(event=sample_event, label="KARA").order_by("position").first()


def report_url(turn):
    return f"/t/{turn.public_id}/report/"


def test_every_turn_on_the_event_page_links_to_its_report_form(client, sample_event, kara_turn):
    html = client.get(sample_event.get_absolute_url()).content.decode()
    assert html.count('class="report-link"') == sample_event.turns.count()
    assert f'href="{report_url(kara_turn)}"' in html


def test_a_reader_reports_wrong_words_and_nothing_is_shown_publicly(client, sample_event, kara_turn):
    page = client.get(report_url(kara_turn))
    assert page.status_code == 200 and "Report a problem" in page.content.decode()
    response = client.post(
        report_url(kara_turn),
        {"kind": "words", "note": "He said “ten” not “two”.", "name": "Ada", "email": "Ada@Example.org", "website": ""},
    )
    assert response.status_code == 200 and "Thank you" in response.content.decode()
    report = ProblemReport.objects.get()
    assert (report.turn, report.kind, report.email, report.status) == (kara_turn, "words", "ada@example.org", "open")
    assert "He said" not in client.get(sample_event.get_absolute_url()).content.decode()


def test_the_honeypot_stores_nothing(client, sample_event, kara_turn):
    response = client.post(report_url(kara_turn), {"kind": "words", "website": "http://spam.example"})
    assert response.status_code == 200
    assert ProblemReport.objects.count() == 0


def test_reports_are_limited_per_client_and_per_address(client, sample_event, kara_turn):
    for _ in range(actions.REPORTS_PER_HOUR):
        assert client.post(report_url(kara_turn), {"kind": "other"}).status_code == 200
    refused = client.post(report_url(kara_turn), {"kind": "other"})
    assert refused.status_code == 429 and "at most 5 reports an hour" in refused.content.decode()
    assert ProblemReport.objects.count() == actions.REPORTS_PER_HOUR
    # Another client writing as the same address is limited by the address.
    ProblemReport.objects.update(email="ada@example.org", client_key="someone-else")
    other = client.post(report_url(kara_turn), {"kind": "other", "email": "ADA@example.org"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 429


def test_a_bad_kind_is_refused_with_the_form_again(client, sample_event, kara_turn):
    response = client.post(report_url(kara_turn), {"kind": "nonsense"})
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    assert ProblemReport.objects.count() == 0


def test_drafts_and_unknown_turns_cannot_be_reported(client, sample_event, kara_turn):
    assert client.get("/t/nosuchturn/report/").status_code == 404
    sample_event.status = "draft"
    sample_event.save()
    assert client.get(report_url(kara_turn)).status_code == 404


def test_staff_see_reports_grouped_by_event_and_accept_one_as_a_correction(
    editor_client, sample_event, kara_turn, django_capture_on_commit_callbacks
):
    report = actions.file_report(kara_turn, kind="words", note="typo", name="Ada", email="ada@example.org")
    listing = editor_client.get("/admin/reports/problemreport/")
    assert listing.status_code == 200 and sample_event.title in listing.content.decode()
    page = editor_client.get(f"/admin/reports/problemreport/{report.pk}/change/")
    assert page.status_code == 200 and "Accept as correction" in page.content.decode()
    fixed = "\n\n".join(["Absolutely. And Ambassador Lagon, thank you.", *kara_turn.paragraphs[1:]])
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            f"/admin/reports/problemreport/{report.pk}/change/",
            {"accept": "1", "body": fixed, "speaker": str(kara_turn.appearance_id)},
        )
    assert response.status_code == 302
    report.refresh_from_db()
    kara_turn.refresh_from_db()
    assert report.status == "accepted" and report.revision is not None
    assert kara_turn.paragraphs[0] == "Absolutely. And Ambassador Lagon, thank you."
    revision = EventRevision.objects.filter(event=sample_event).order_by("-number").first()
    assert revision == report.revision and "reported by Ada" in revision.note
    assert [m.to for m in mail.outbox] == [["ada@example.org"]]
    assert "typo" not in mail.outbox[0].subject and "corrected" in mail.outbox[0].subject


def test_staff_dismiss_a_report_and_the_transcript_is_unchanged(
    editor_client, sample_event, kara_turn, django_capture_on_commit_callbacks
):
    report = actions.file_report(kara_turn, kind="speaker", note="not Kara", email="bo@example.org")
    before = list(kara_turn.paragraphs)
    versions = EventRevision.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(f"/admin/reports/problemreport/{report.pk}/change/", {"dismiss": "1"})
    assert response.status_code == 302
    report.refresh_from_db()
    kara_turn.refresh_from_db()
    assert report.status == "dismissed" and kara_turn.paragraphs == before
    assert EventRevision.objects.count() == versions
    assert [m.to for m in mail.outbox] == [["bo@example.org"]] and "looked at" in mail.outbox[0].subject


def test_readers_cannot_reach_the_reports_admin(client, sample_event, kara_turn):
    actions.file_report(kara_turn, kind="words")
    assert client.get("/admin/reports/problemreport/").status_code == 302  # to the login page
