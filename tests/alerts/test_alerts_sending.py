"""send_alerts: what is new, what matches, daily vs immediate, never twice, and a run killed
at each step loses nothing and puts no turn in a second mail."""

import datetime
import smtplib
from io import StringIO

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone
from search_helpers import make_event, process_queue, search_engine, search_index  # noqa: F401

from transcripts.alerts import sending
from transcripts.alerts.models import Alert, Delivery, Mailing, TurnSighting
from transcripts.alerts.sending import send_due_alerts
from transcripts.operations import effects
from transcripts.operations.edits import set_status


class Killed(BaseException):
    """Stands in for SIGKILL: not an Exception, so nothing in send_alerts catches it."""


@pytest.fixture
def archive(search_index):
    """One published event already in the archive before anyone follows anything."""
    make_event(
        "Old mines panel",
        date=datetime.date(2020, 3, 1),
        turns=[("Siddharth Kara", "panelist", "Cobalt mines in the Congo.")],
    )
    process_queue()
    send_due_alerts()  # sees what is already there
    return search_index


def follow(query="q=cobalt", email="reader@example.org", frequency="immediate", at=None):
    at = at or timezone.now()
    return Alert.objects.create(email=email, query=query, frequency=frequency, confirmed_at=at, checked_at=at)


def publish(title, text, *, speaker="Ada Speaker", status="published", date=datetime.date(2024, 6, 1)):
    event = make_event(title, date=date, status=status, turns=[(speaker, "panelist", text)])
    process_queue()
    return event


def bodies():
    return [m.body for m in mail.outbox]


@pytest.mark.usefixtures("search_engine")
def test_new_matching_turns_are_mailed_once_with_their_text_and_links(archive, settings):
    settings.VERBATIM_SITE_URL = "https://verbatim.example.org"
    alert = follow()
    publish("New cobalt panel", "Cobalt supply chains are opaque.")
    publish("Unrelated panel", "Fisheries and oceans.")
    report = send_due_alerts()
    assert (report.sent, report.resent, report.unsent) == (1, 0, 0)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Verbatim: 1 new passage for “cobalt”"
    assert "Ada Speaker · New cobalt panel · 1 June 2024\nCobalt supply chains are opaque." in message.body
    assert "Cobalt mines in the Congo" not in message.body  # there before the alert: not new
    assert "https://verbatim.example.org/events/new-cobalt-panel-2024-06-01/?q=cobalt#t-" in message.body
    assert "<mark>Cobalt</mark> supply chains" in message.alternatives[0][0]
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<https://verbatim.example.org/alerts/unsubscribe/")
    assert f"Unsubscribe from this alert (one click): {unsubscribe[1:-1]}" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Delivery.objects.filter(email=alert.email).count() == 1
    assert send_due_alerts().sent == 0 and len(mail.outbox) == 1  # nothing new: nothing sent


@pytest.mark.usefixtures("search_engine")
def test_filters_are_applied_as_on_the_search_page(archive):
    follow(query="speaker=siddharth-kara")
    follow(query="q=cobalt&section=qa", email="qa@example.org")
    publish("Kara again", "Supply chains.", speaker="Siddharth Kara")
    publish("Someone else", "Cobalt too.")
    send_due_alerts()
    assert [m.to for m in mail.outbox] == [["reader@example.org"]]
    assert "Siddharth Kara · Kara again" in mail.outbox[0].body and "Cobalt too" not in mail.outbox[0].body


@pytest.mark.usefixtures("search_engine")
def test_drafts_are_never_mailed_until_published(archive):
    follow()
    event = publish("Secret cobalt draft", "Cobalt draft words.", status="draft")
    send_due_alerts()
    assert mail.outbox == [] and not TurnSighting.objects.filter(public_id__startswith=f"e{event.pk}t").exists()
    set_status([event], "published")
    process_queue()
    send_due_alerts()
    assert len(mail.outbox) == 1 and "Cobalt draft words." in mail.outbox[0].body


@pytest.mark.usefixtures("search_engine")
def test_an_event_unpublished_after_it_was_seen_is_not_mailed(archive):
    alert = follow()
    event = publish("Cobalt briefly", "Cobalt for a moment.")
    TurnSighting.objects.create(public_id=event.turns.get().public_id, first_seen=timezone.now())
    set_status([event], "draft")
    process_queue()
    send_due_alerts()
    assert mail.outbox == [] and not Delivery.objects.filter(email=alert.email).exists()


@pytest.mark.usefixtures("search_engine")
def test_a_turn_not_yet_indexed_is_mailed_once_the_index_has_it_not_lost(archive):
    follow()
    make_event("Cobalt pending", date=datetime.date(2024, 1, 1), turns=[("Ada Speaker", "panelist", "Cobalt later.")])
    send_due_alerts()  # the index queue has not run: the turn is not searchable yet
    assert mail.outbox == []
    process_queue()
    send_due_alerts()
    assert len(mail.outbox) == 1 and "Cobalt later." in mail.outbox[0].body


def test_one_address_never_gets_a_turn_twice_even_from_two_alerts_or_a_corrected_import(archive):
    follow(query="q=cobalt")
    follow(query="q=supply")
    event = publish("Cobalt supply", "Cobalt supply matters.")
    send_due_alerts()
    assert len(mail.outbox) == 1
    # Turns recreated under the same public id (as a corrected import does) are not new.
    turn = event.turns.get()
    public_id, turn_id = turn.public_id, turn.pk
    turn.delete()
    make_turn = event.turns.create(
        position=1, label="X", paragraphs=["Cobalt supply matters, corrected."], public_id=public_id
    )
    assert make_turn.pk != turn_id
    effects.queue_index(events=[event])  # rows rewritten by hand: their index work said here
    process_queue()
    send_due_alerts()
    assert len(mail.outbox) == 1
    assert Delivery.objects.filter(email="reader@example.org", public_id=public_id).count() == 1


def hours_pass(hours):
    """Move every recorded moment back, as if `hours` had passed since."""
    delta = datetime.timedelta(hours=hours)
    Alert.objects.update(confirmed_at=F("confirmed_at") - delta, checked_at=F("checked_at") - delta)
    TurnSighting.objects.update(first_seen=F("first_seen") - delta)


def test_daily_alerts_send_at_most_once_a_day_and_miss_nothing(archive):
    follow(frequency="daily")
    publish("Cobalt one", "Cobalt first.")
    hours_pass(2)
    send_due_alerts()
    assert mail.outbox == []  # not a day yet
    publish("Cobalt two", "Cobalt second.")
    hours_pass(22.1)
    send_due_alerts()
    assert len(mail.outbox) == 1 and "2 new passages" in mail.outbox[0].subject
    publish("Cobalt three", "Cobalt third.")
    hours_pass(3)
    send_due_alerts()
    assert len(mail.outbox) == 1
    hours_pass(21.1)
    send_due_alerts()
    assert len(mail.outbox) == 2 and "Cobalt third." in mail.outbox[1].body and "Cobalt first" not in bodies()[1]


def test_unconfirmed_alerts_get_nothing(archive):
    Alert.objects.create(email="maybe@example.org", query="q=cobalt")
    publish("Cobalt news", "Cobalt.")
    send_due_alerts()
    assert mail.outbox == []


# Killed mid-run -----------------------------------------------------------------------------


class FlakyBackend(EmailBackend):
    """Sends like locmem; `kill_on` makes the n-th send die before or after the server took it."""

    calls = 0
    kill_on: int | None = None
    after_accepting = False

    def send_messages(self, messages):
        FlakyBackend.calls += 1
        if FlakyBackend.calls == FlakyBackend.kill_on and not FlakyBackend.after_accepting:
            raise Killed()
        sent = super().send_messages(messages)
        if FlakyBackend.calls == FlakyBackend.kill_on:
            raise Killed()
        return sent


@pytest.fixture
def flaky():
    FlakyBackend.calls, FlakyBackend.kill_on, FlakyBackend.after_accepting = 0, None, False
    yield FlakyBackend


def three_alerts_with_news():
    for name in ("a", "b", "c"):
        follow(email=f"{name}@example.org")
    publish("Cobalt news", "Cobalt in the news.")


def assert_each_address_got_the_turn_once():
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["a@example.org", "b@example.org", "c@example.org"]
    assert Delivery.objects.count() == 3 and not Mailing.objects.exclude(status="sent").exists()


def test_killed_before_the_mail_server_took_the_mail_the_next_run_sends_it(archive, flaky):
    three_alerts_with_news()
    flaky.kill_on = 2
    with pytest.raises(Killed):
        send_due_alerts(connection=flaky())
    assert [m.to for m in mail.outbox] == [["a@example.org"]]
    assert list(Mailing.objects.values_list("alert__email", "status")) == [
        ("a@example.org", "sent"),
        ("b@example.org", "pending"),
    ]
    report = send_due_alerts()
    assert (report.resent, report.sent) == (1, 1)
    assert_each_address_got_the_turn_once()


def test_killed_after_the_server_took_the_mail_the_resend_is_the_same_message(archive, flaky):
    three_alerts_with_news()
    flaky.kill_on, flaky.after_accepting = 2, True
    with pytest.raises(Killed):
        send_due_alerts(connection=flaky())
    report = send_due_alerts()
    assert (report.resent, report.sent) == (1, 1)
    to_b = [m for m in mail.outbox if m.to == ["b@example.org"]]
    assert len(to_b) == 2
    first, second = (m.message() for m in to_b)
    for header in ("Message-ID", "Date", "Subject", "List-Unsubscribe"):
        assert first[header] == second[header]
    assert first["Message-ID"] == Mailing.objects.get(alert__email="b@example.org").message_id
    assert to_b[0].body == to_b[1].body and to_b[0].alternatives == to_b[1].alternatives
    assert Delivery.objects.filter(email="b@example.org").count() == 1


def test_killed_while_preparing_a_mail_stores_nothing_and_the_next_run_sends_it(archive, monkeypatch):
    three_alerts_with_news()
    real = Delivery.objects.bulk_create
    calls = []

    def dies_on_second(objs, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise Killed()
        return real(objs, *args, **kwargs)

    monkeypatch.setattr(Delivery.objects, "bulk_create", dies_on_second)
    with pytest.raises(Killed):
        send_due_alerts()
    b = Alert.objects.get(email="b@example.org")
    assert not Mailing.objects.filter(alert=b).exists() and b.checked_at == b.confirmed_at
    monkeypatch.setattr(Delivery.objects, "bulk_create", real)
    send_due_alerts()
    assert_each_address_got_the_turn_once()


def test_mail_server_down_keeps_the_mail_for_the_next_run(archive, settings):
    follow()
    follow(email="second@example.org")
    publish("Cobalt news", "Cobalt in the news.")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2  # nothing listens
    report = send_due_alerts()
    assert (report.sent, report.unsent) == (0, 2)
    assert list(Mailing.objects.values_list("status", "attempts")) == [("pending", 0), ("pending", 0)]
    send_due_alerts()  # still down: still kept, never given up for that
    assert Mailing.objects.filter(status="pending").count() == 2
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    report = send_due_alerts()
    assert (report.resent, report.unsent) == (2, 0)
    assert sorted(m.to[0] for m in mail.outbox) == ["reader@example.org", "second@example.org"]


class RefusesOneAddress(EmailBackend):
    def send_messages(self, messages):
        if messages[0].to == ["bounce@example.org"]:
            raise smtplib.SMTPRecipientsRefused({"bounce@example.org": (550, b"no such user")})
        return super().send_messages(messages)


def test_a_refused_address_is_given_up_after_five_tries_and_holds_nobody_back(archive):
    follow(email="bounce@example.org")
    follow(email="fine@example.org")
    publish("Cobalt news", "Cobalt in the news.")
    report = send_due_alerts(connection=RefusesOneAddress())
    assert (report.sent, report.unsent) == (1, 1) and [m.to for m in mail.outbox] == [["fine@example.org"]]
    for _ in range(4):
        send_due_alerts(connection=RefusesOneAddress())
    refused = Mailing.objects.get(alert__email="bounce@example.org")
    assert (refused.status, refused.attempts) == ("failed", 5) and "no such user" in refused.last_error
    assert send_due_alerts(connection=RefusesOneAddress()).unsent == 0


def test_a_broken_index_skips_the_alert_and_loses_nothing(archive, monkeypatch):
    alert = follow()
    publish("Cobalt news", "Cobalt in the news.")
    from haystack.exceptions import SearchBackendError

    def broken(*args, **kwargs):
        raise SearchBackendError("index gone")

    monkeypatch.setattr(sending.NewTurns, "matching", broken)
    report = send_due_alerts()
    assert report.skipped == [f"alert {alert.pk}: index gone"] and mail.outbox == []
    monkeypatch.undo()
    send_due_alerts()
    assert len(mail.outbox) == 1


def test_a_second_run_while_one_is_running_does_nothing(archive):
    follow()
    publish("Cobalt news", "Cobalt in the news.")
    with sending.run_lock() as acquired:
        assert acquired
        assert send_due_alerts().busy and mail.outbox == []
    assert send_due_alerts().sent == 1


def test_the_command_reports_what_it_did(archive):
    follow()
    publish("Cobalt news", "Cobalt in the news.")
    out = StringIO()
    call_command("send_alerts", stdout=out)
    assert out.getvalue() == (
        "send_alerts: 1 sent, 0 resent from an earlier run, 0 waiting for the mail server "
        "(sent by a later run), 1 turn newly seen.\n"
    )
    assert len(mail.outbox) == 1


def test_an_alert_confirmed_before_send_alerts_ever_ran_gets_only_what_came_after(search_index):
    from transcripts.alerts.actions import confirm

    publish("Old cobalt panel", "Cobalt long ago.")  # no send_alerts run has seen it yet
    alert = Alert.objects.create(email="early@example.org", query="q=cobalt")
    confirm(alert.pk)
    publish("New cobalt panel", "Cobalt today.")
    send_due_alerts()
    assert len(mail.outbox) == 1
    assert "Cobalt today." in mail.outbox[0].body and "Cobalt long ago." not in mail.outbox[0].body


def test_forever_keeps_going_after_a_failed_run(archive, monkeypatch):
    from transcripts.alerts.management.commands import send_alerts as command

    follow()
    publish("Cobalt news", "Cobalt in the news.")
    runs = []

    def first_fails():
        runs.append(1)
        if len(runs) == 1:
            raise RuntimeError("boom")
        return send_due_alerts()

    def sleep(seconds):
        if len(runs) == 2:
            raise Killed()

    monkeypatch.setattr(command, "send_due_alerts", first_fails)
    monkeypatch.setattr(command.time, "sleep", sleep)
    out, err = StringIO(), StringIO()
    with pytest.raises(Killed):
        call_command("send_alerts", "--forever", "--interval", "0", stdout=out, stderr=err)
    assert "this run failed" in err.getvalue() and out.getvalue().startswith("send_alerts: 1 sent")
    assert len(mail.outbox) == 1


def test_unconfirmed_sign_ups_expire_with_their_link(archive):
    from transcripts.alerts.tokens import CONFIRM_MAX_AGE

    stale = Alert.objects.create(email="late@example.org", query="q=cobalt")
    fresh = Alert.objects.create(email="new@example.org", query="q=cobalt")
    Alert.objects.filter(pk=stale.pk).update(created=timezone.now() - datetime.timedelta(seconds=CONFIRM_MAX_AGE + 60))
    confirmed = follow(email="kept@example.org")
    Alert.objects.filter(pk=confirmed.pk).update(created=timezone.now() - datetime.timedelta(days=30))
    send_due_alerts()
    assert set(Alert.objects.values_list("pk", flat=True)) == {fresh.pk, confirmed.pk}


def test_many_followers_of_one_search_cost_one_engine_call_and_each_gets_the_turn(archive, monkeypatch):
    calls = []
    real = sending.NewTurns._search

    def counted(saved, new):
        calls.append(saved.query_string())
        return real(saved, new)

    monkeypatch.setattr(sending.NewTurns, "_search", staticmethod(counted))
    at = timezone.now()  # as after an earlier run checked them all
    for n in range(5):
        follow(email=f"r{n}@example.org", at=at)
    follow(email="r0@example.org", query="q=supply", at=at)
    publish("Cobalt supply", "Cobalt supply matters.")
    assert send_due_alerts().sent == 5
    assert sorted(calls) == ["q=cobalt", "q=supply"]
    assert sorted(m.to[0] for m in mail.outbox) == [f"r{n}@example.org" for n in range(5)]


def test_alert_mail_escapes_what_was_said_and_what_was_searched(archive):
    follow(query="q=zebra+%3Cscript%3E")
    publish("Hostile panel", "Zebra <script>alert(1)</script> & <b>bold</b>")
    send_due_alerts()
    html = mail.outbox[0].alternatives[0][0]
    assert "<script>" not in html and "<b>" not in html
    assert (
        "<mark>Zebra</mark> &lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt; &amp; "
        "&lt;b&gt;bold&lt;/b&gt;"
    ) in html
    assert "“zebra &lt;script&gt;”" in html
    assert "Zebra <script>alert(1)</script> & <b>bold</b>" in mail.outbox[0].body  # plain text, as said
