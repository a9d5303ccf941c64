"""End to end through a real SMTP server (aiosmtpd on a free local port): sign up, confirm
from the mail, a new transcript is imported and indexed, send_alerts mails it, and the
unsubscribe link in that mail works."""

import re
from urllib.parse import urlparse

import pytest
from search_helpers import process_queue, search_index, searchable_sample  # noqa: F401
from smtp_helpers import LocalSMTPServer, link, text_of

from transcripts.alerts.models import Alert, Delivery
from transcripts.alerts.sending import send_due_alerts
from transcripts.operations.imports import import_transcript

NEW_PANEL = """\
---
title: Cobalt and the Energy Transition
date: March 5, 2024
participants:
  - name: Rosa Ward
    label: WARD
    role: presider
  - name: Chidi Okafor
    label: OKAFOR
    role: panelist
---
WARD: Welcome. Our subject is cobalt mining and the batteries it feeds.

OKAFOR: Artisanal cobalt miners in Kolwezi still work without any protection.

WARD: Thank you both.
"""


@pytest.fixture
def smtp(settings):
    with LocalSMTPServer() as server:
        for name, value in server.settings().items():
            setattr(settings, name, value)
        settings.VERBATIM_SITE_URL = "http://testserver"
        yield server


def path_of(url: str) -> str:
    return urlparse(url).path


def test_follow_confirm_receive_and_unsubscribe_through_a_real_smtp_server(client, searchable_sample, smtp):
    response = client.post(
        "/alerts/follow/", {"email": "reader@example.org", "query": "q=cobalt&role=panelist", "frequency": "immediate"}
    )
    assert response.status_code == 200
    [confirmation] = smtp.wait_for(1)
    assert confirmation["To"] == "reader@example.org"
    assert confirmation["Subject"].strip() == "Confirm your Verbatim alert"
    assert confirmation["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Start the alert" in client.get(path_of(link(confirmation, "confirm"))).content.decode()
    assert "Your alert is on" in client.post(path_of(link(confirmation, "confirm"))).content.decode()

    send_due_alerts()  # the sample's cobalt turn was there before: not new
    assert len(smtp.messages) == 1

    result = import_transcript(NEW_PANEL, metadata={"source_url": "https://example.org/cobalt"}, status="published")
    process_queue()
    report = send_due_alerts()
    assert report.sent == 1
    [_, alert_mail] = smtp.wait_for(2)
    assert alert_mail["Subject"].strip() == "Verbatim: 1 new passage for “cobalt” (panelists)"
    turn = result.event.turns.get(text__contains="Artisanal")
    text = text_of(alert_mail)
    assert "Artisanal cobalt miners in Kolwezi still work without any protection." in text
    assert f"http://testserver/events/{result.event.slug}/?q=cobalt#t-{turn.public_id}" in text
    assert "Welcome. Our subject" not in text  # WARD presides: the role filter holds
    html = alert_mail.get_body(preferencelist=("html",)).get_content()
    assert "Artisanal <mark>cobalt</mark> miners" in html
    assert re.fullmatch(r"<.+@testserver>", alert_mail["Message-ID"])

    header_url = alert_mail["List-Unsubscribe"].strip().strip("<>")
    assert header_url == link(alert_mail, "unsubscribe")
    response = client.post(path_of(header_url), {"List-Unsubscribe": "One-Click"})  # what a mail program does
    assert response.status_code == 200 and not Alert.objects.exists()

    import_transcript(
        NEW_PANEL.replace("Thank you both.", "Cobalt, finally, from the panel.").replace(
            "WARD: Thank", "OKAFOR: Thank"
        ),
        status="published",
    )
    process_queue()
    send_due_alerts()
    assert len(smtp.messages) == 2 and not Delivery.objects.exists()  # unsubscribed: nothing more


def test_the_unsubscribe_link_in_a_mail_works_in_two_steps_for_people(client, searchable_sample, smtp):
    client.post("/alerts/follow/", {"email": "r@example.org", "query": "q=cobalt", "frequency": "daily"})
    [confirmation] = smtp.wait_for(1)
    url = path_of(link(confirmation, "unsubscribe"))
    page = client.get(url).content.decode()
    assert "Stop the alert for <strong>“cobalt”</strong> to r@example.org?" in page
    assert Alert.objects.filter(email="r@example.org").exists()  # a link checker fetching it changes nothing
    assert "Unsubscribed" in client.post(url).content.decode()
    assert not Alert.objects.exists()
