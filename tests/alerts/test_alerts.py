"""Alerts: saved searches, the Atom feed, sign-up with double opt-in, unsubscribe, manage."""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.core import mail
from django.test import Client
from search_helpers import make_event, process_queue, search_engine, search_index, searchable_sample  # noqa: F401

from archive.email import email_settings
from transcripts.alerts import tokens
from transcripts.alerts.models import Alert, AlertRequest
from transcripts.alerts.queries import SavedSearch

ATOM = "{http://www.w3.org/2005/Atom}"
QUERY = "q=cobalt"


def entries(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content).findall(f"{ATOM}entry")


def follow(client, email="reader@example.org", query=QUERY, frequency="immediate"):
    return client.post("/alerts/follow/", {"email": email, "query": query, "frequency": frequency})


def confirm_link(message) -> str:
    return re.search(r"http://testserver(/alerts/confirm/[^\s/]+/)", message.body).group(1)


# Saved searches -------------------------------------------------------------------------------


def test_a_saved_search_keeps_the_words_and_filters_but_not_sort_or_page(db):
    make_event("Mines", date=datetime.date(2021, 1, 1), turns=[("Siddharth Kara", "panelist", "Cobalt.")])
    saved = SavedSearch.from_string("q=%20cobalt%20%20mines%20&speaker=siddharth-kara&sort=oldest&page=3")
    assert saved.query_string() == "q=cobalt+mines&speaker=siddharth-kara"
    assert saved.describe() == "“cobalt mines” by Siddharth Kara"
    assert SavedSearch.from_string("speaker=siddharth-kara").describe() == "Everything said by Siddharth Kara"
    assert SavedSearch.from_string("sort=newest").is_empty


# The feed -----------------------------------------------------------------------------------


@pytest.mark.usefixtures("search_engine")
def test_feed_lists_matching_published_turns_with_speaker_event_date_and_permalink(client, searchable_sample):
    found = entries(client.get(f"/alerts/feed/?{QUERY}"))
    assert len(found) == 1
    entry = found[0]
    turn = searchable_sample.turns.get(text__icontains="cobalt")
    assert entry.find(f"{ATOM}title").text == f"Siddharth Kara at {searchable_sample.title}"
    assert entry.find(f"{ATOM}link").get("href") == (
        f"http://testserver/events/{searchable_sample.slug}/?q=cobalt#t-{turn.public_id}"
    )
    summary = entry.find(f"{ATOM}summary").text
    assert "<strong>Siddharth Kara</strong>" in summary and "17 February 2022" in summary
    assert "<mark>cobalt</mark>" in summary


@pytest.mark.usefixtures("search_engine")
def test_feed_is_newest_first_and_never_shows_drafts(client, search_index):
    make_event("Old panel", date=datetime.date(2019, 5, 1), turns=[("Ann Old", "panelist", "Lithium matters.")])
    make_event("New panel", date=datetime.date(2023, 5, 1), turns=[("Bo New", "panelist", "Lithium again.")])
    make_event(
        "Draft panel",
        date=datetime.date(2024, 5, 1),
        status="draft",
        turns=[("Cy Draft", "panelist", "Lithium secret.")],
    )
    process_queue()
    titles = [e.find(f"{ATOM}title").text for e in entries(client.get("/alerts/feed/?q=lithium"))]
    assert titles == ["Bo New at New panel", "Ann Old at Old panel"]


def test_feed_escapes_what_speakers_said(client, search_index):
    make_event(
        "Hostile",
        date=datetime.date(2023, 1, 1),
        turns=[("Eve Hacker", "panelist", "Zebra <script>alert(1)</script> & <b>bold</b>")],
    )
    process_queue()
    summary = entries(client.get("/alerts/feed/?q=zebra"))[0].find(f"{ATOM}summary").text
    assert "<script>" not in summary and "<b>" not in summary
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in summary


def test_feed_of_nothing_or_of_a_broken_index_says_what_is_wrong(client, db, monkeypatch):
    response = client.get("/alerts/feed/?sort=newest")
    assert response.status_code == 400 and b"nothing to follow" in response.content
    from transcripts.alerts import views
    from transcripts.search.api import SearchUnavailable

    def broken(saved):
        raise SearchUnavailable("Search is unavailable right now.")

    monkeypatch.setattr(views, "feed_hits", broken)
    response = client.get(f"/alerts/feed/?{QUERY}")
    assert response.status_code == 503 and response.content == b"Search is unavailable right now."


# Follow buttons -------------------------------------------------------------------------------


def test_follow_box_on_search_person_and_topic_pages_carries_their_search(client, searchable_sample):
    page = client.get("/search/?q=cobalt&sort=oldest").content.decode()
    assert 'name="query" value="q=cobalt"' in page and 'href="/alerts/feed/?q=cobalt"' in page
    assert 'action="/alerts/follow/"' in page and "csrfmiddlewaretoken" in page
    page = client.get("/people/siddharth-kara/").content.decode()
    assert 'name="query" value="speaker=siddharth-kara"' in page and "Everything said by Siddharth Kara" in page
    topic = searchable_sample.topics.first()
    page = client.get(f"/topics/{topic.slug}/").content.decode()
    assert f'name="query" value="topic={topic.slug}"' in page and f"Everything said on {topic.name}" in page
    assert "follow-box" not in client.get("/search/").content.decode()  # nothing searched: nothing to follow


# Sign-up, confirm ---------------------------------------------------------------------------


def test_sign_up_mails_a_confirmation_and_only_the_link_turns_the_alert_on(client, searchable_sample):
    response = follow(client, email="  Reader@Example.org ")
    assert response.status_code == 200 and "Check your inbox" in response.content.decode()
    alert = Alert.objects.get()
    assert (alert.email, alert.query, alert.confirmed_at) == ("reader@example.org", "q=cobalt", None)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    # No reader's text in the subject: whoever signs up a stranger cannot write them a subject line.
    assert message.to == ["reader@example.org"] and message.subject == "Confirm your Verbatim alert"
    assert (
        "mail reader@example.org about new passages matching:\n\n    “cobalt”\n\n"
        "How often: as soon as there is something new."
    ) in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(r"<http://testserver/alerts/unsubscribe/[^/]+/>", message.extra_headers["List-Unsubscribe"])
    # Opening the link (as a mail scanner does) shows a button and switches nothing on.
    page = client.get(confirm_link(message)).content.decode()
    assert "Start the alert" in page and '<form method="post">' in page and "Your alert is on" not in page
    alert.refresh_from_db()
    assert alert.confirmed_at is None
    response = client.post(confirm_link(message))
    assert response.status_code == 200 and "Your alert is on" in response.content.decode()
    alert.refresh_from_db()
    assert alert.confirmed_at is not None and alert.checked_at == alert.confirmed_at


def test_sign_up_refuses_bad_input_with_a_message(client, db):
    response = follow(client, email="not-an-address")
    assert response.status_code == 400 and "That is not an email address" in response.content.decode()
    response = follow(client, query="sort=newest")
    assert response.status_code == 400 and "nothing to follow" in response.content.decode()
    response = follow(client, query="q=x&speaker=no%20such%20slug!")
    assert response.status_code == 400 and "is not one Verbatim knows" in response.content.decode()
    response = follow(client, frequency="hourly")
    assert response.status_code == 400 and "Choose how often" in response.content.decode()
    assert not Alert.objects.exists() and not mail.outbox


def test_sign_up_needs_the_csrf_token(db):
    response = follow(Client(enforce_csrf_checks=True))
    assert response.status_code == 403 and not Alert.objects.exists()


def test_a_damaged_or_expired_confirm_link_is_refused_plainly(client, db, monkeypatch):
    alert = Alert.objects.create(email="a@example.org", query=QUERY)
    token = tokens.confirm_token(alert)
    response = client.get(f"/alerts/confirm/{token[:-3]}xyz/")
    assert response.status_code == 400 and "This link is not valid" in response.content.decode()
    monkeypatch.setattr(tokens, "CONFIRM_MAX_AGE", -1)
    response = client.get(f"/alerts/confirm/{token}/")
    assert response.status_code == 400 and "more than a week old" in response.content.decode()
    assert Alert.objects.get().confirmed_at is None


def test_sign_ups_are_rate_limited_per_address(client, db, settings):
    settings.ALERTS_REQUESTS_PER_HOUR = 3
    for n in range(3):
        assert follow(client, query=f"q=word{n}").status_code == 200
    response = follow(client, query="q=word4")
    assert response.status_code == 429
    assert "reader@example.org has asked for 3 alert mails in the last hour" in response.content.decode()
    assert len(mail.outbox) == 3 and Alert.objects.count() == 3
    assert follow(client, email="other@example.org").status_code == 200  # another address is not held back
    AlertRequest.objects.update(created=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))
    assert follow(client, query="q=word4").status_code == 200  # an hour later


def test_mail_server_down_at_sign_up_gives_a_message_not_an_error(client, db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2  # nothing listens there
    response = follow(client)
    assert response.status_code == 503 and "could not be sent just now" in response.content.decode()
    assert Alert.objects.count() == 1  # kept: signing up again resends the link


def test_following_again_when_already_confirmed_mails_the_manage_link(client, db):
    Alert.objects.create(
        email="reader@example.org", query=QUERY, confirmed_at="2024-01-01T00:00Z", checked_at="2024-01-01T00:00Z"
    )
    assert follow(client).status_code == 200
    assert Alert.objects.count() == 1 and mail.outbox[0].subject == "Your Verbatim alerts"
    assert "/alerts/manage/" in mail.outbox[0].body


# Unsubscribe, manage ------------------------------------------------------------------------


def test_unsubscribe_link_shows_a_button_and_the_button_deletes_the_alert(client, db):
    alert = Alert.objects.create(email="a@example.org", query=QUERY)
    url = f"/alerts/unsubscribe/{tokens.unsubscribe_token(alert=alert)}/"
    page = client.get(url).content.decode()
    assert "Stop the alert for <strong>“cobalt”</strong> to a@example.org?" in page and Alert.objects.exists()
    response = client.post(url)
    assert response.status_code == 200 and "Unsubscribed" in response.content.decode()
    assert not Alert.objects.exists()
    assert "no longer exists" in client.get(url).content.decode()


def test_rfc8058_one_click_post_from_a_mail_program_needs_no_csrf_token(db):
    alert = Alert.objects.create(email="a@example.org", query=QUERY)
    Alert.objects.create(email="a@example.org", query="q=other")
    response = Client(enforce_csrf_checks=True).post(
        f"/alerts/unsubscribe/{tokens.unsubscribe_token(alert=alert)}/", {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200 and response.content == b"Unsubscribed."
    assert list(Alert.objects.values_list("query", flat=True)) == ["q=other"]


def test_manage_link_by_mail_then_change_frequency_and_delete(client, db):
    mine = Alert.objects.create(email="a@example.org", query=QUERY, confirmed_at="2024-01-01T00:00Z")
    Alert.objects.create(email="a@example.org", query="q=lithium")
    theirs = Alert.objects.create(email="b@example.org", query=QUERY)
    response = client.post("/alerts/manage/", {"email": "A@example.org"})
    assert response.status_code == 200 and "If a@example.org follows anything" in response.content.decode()
    url = re.search(r"http://testserver(/alerts/manage/[^\s/]+/)", mail.outbox[0].body).group(1)
    assert "“cobalt”" in mail.outbox[0].body and "“lithium”" in mail.outbox[0].body
    page = client.get(url).content.decode()
    assert "Alerts for a@example.org" in page and page.count('class="alert-item"') == 2
    response = client.post(url, {"alert": mine.pk, "frequency": "daily", "action": "frequency"}, follow=True)
    assert "Saved." in response.content.decode()
    mine.refresh_from_db()
    assert mine.frequency == "daily"
    client.post(url, {"alert": theirs.pk, "frequency": "daily", "action": "frequency"})
    client.post(url, {"alert": theirs.pk, "action": "delete"})
    theirs.refresh_from_db()  # another address's alert is untouched
    assert theirs.frequency == "immediate"
    client.post(url, {"alert": theirs.pk, "action": "confirm"})
    theirs.refresh_from_db()
    assert theirs.confirmed_at is None
    client.post(url, {"alert": mine.pk, "action": "delete"})
    lithium = Alert.objects.get(email="a@example.org")
    assert lithium.query == "q=lithium" and lithium.confirmed_at is None
    assert "The alert is on." in client.post(url, {"alert": lithium.pk, "action": "confirm"}).content.decode()
    lithium.refresh_from_db()
    assert lithium.confirmed_at is not None
    client.post(url, {"action": "delete_all"})
    assert list(Alert.objects.values_list("email", flat=True)) == ["b@example.org"]


def test_asking_for_a_manage_link_without_alerts_sends_nothing_and_says_the_same(client, db):
    response = client.post("/alerts/manage/", {"email": "nobody@example.org"})
    assert "If nobody@example.org follows anything" in response.content.decode() and not mail.outbox
    response = client.post("/alerts/manage/", {"email": "bad"})
    assert response.status_code == 400 and "That is not an email address" in response.content.decode()


def test_a_forged_manage_link_is_refused(client, db):
    response = client.get("/alerts/manage/forged-token/")
    assert response.status_code == 400 and "This link is not valid" in response.content.decode()


# Settings -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "environ, expected",
    [
        ({}, {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}),
        (
            {"EMAIL_URL": "smtp://me%40x.org:p%3Ass@mail.x.org:587?tls=1"},
            {
                "EMAIL_HOST": "mail.x.org",
                "EMAIL_PORT": 587,
                "EMAIL_HOST_USER": "me@x.org",
                "EMAIL_HOST_PASSWORD": "p:ss",
                "EMAIL_USE_TLS": True,
                "EMAIL_USE_SSL": False,
            },
        ),
        ({"EMAIL_URL": "smtps://mail.x.org"}, {"EMAIL_PORT": 465, "EMAIL_USE_SSL": True, "EMAIL_USE_TLS": False}),
        (
            {"EMAIL_HOST": "relay", "EMAIL_PORT": "2525", "EMAIL_USE_TLS": "yes", "DEFAULT_FROM_EMAIL": "v@x.org"},
            {"EMAIL_HOST": "relay", "EMAIL_PORT": 2525, "EMAIL_USE_TLS": True, "DEFAULT_FROM_EMAIL": "v@x.org"},
        ),
    ],
)
def test_email_settings_from_the_environment(environ, expected):
    found = email_settings(debug=True, environ=environ)
    assert {key: found[key] for key in expected} == expected


def test_bad_email_settings_say_what_is_wrong():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL scheme 'http' is not supported"):
        email_settings(debug=False, environ={"EMAIL_URL": "http://x"})
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT must be a whole number"):
        email_settings(debug=False, environ={"EMAIL_HOST": "x", "EMAIL_PORT": "twenty"})
    assert email_settings(debug=False, environ={})["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"


def test_follow_page_says_what_is_wrong_with_the_search_it_was_given(client, db):
    page = client.get("/alerts/follow/?q=cobalt&role=king").content.decode()
    assert "There is no role called “king”; that filter was ignored." in page
    assert 'name="query" value="q=cobalt"' in page
    assert "nothing to follow yet" in client.get("/alerts/follow/").content.decode()
