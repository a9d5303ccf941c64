"""Hostile public requests: characters XML cannot carry, NUL, impossible years, outsized
numbers, mail scanners and equivalent spellings of one address. Each gets a clear answer,
never a 500."""

import datetime
import xml.etree.ElementTree as ET
from urllib.parse import unquote

import pytest
from django.core import mail
from search_helpers import make_event, process_queue, search_index  # noqa: F401

from transcripts.alerts import tokens
from transcripts.alerts.addresses import canonical_mailbox
from transcripts.alerts.models import Alert, AlertRequest
from transcripts.models import Event

ATOM = "{http://www.w3.org/2005/Atom}"

pytestmark = pytest.mark.django_db


def atom_entries(response) -> list:
    """The feed's entries; fails unless the response is a well-formed Atom document."""
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content).findall(f"{ATOM}entry")


# Atom feeds -------------------------------------------------------------------------------


@pytest.mark.parametrize("q", ["%01", "%1b", "%EF%BF%BE", "%EF%BF%BF", "%EF%B7%90", "%F0%9F%BF%BF", "cobalt%C2%85"])
def test_search_feed_takes_characters_xml_cannot_carry(client, search_index, q):
    response = client.get(f"/alerts/feed/?q={q}")
    assert atom_entries(response) == []
    unwanted = unquote(q).replace("cobalt", "")
    title = ET.fromstring(response.content).find(f"{ATOM}title").text
    assert unwanted not in response.content.decode() and title.startswith("Verbatim: “")


def test_a_stored_non_character_does_not_break_the_feed_of_an_ordinary_search(client, search_index):
    make_event(
        "Cobalt \uffff hearing",
        date=datetime.date(2024, 3, 1),
        turns=[("Ada \ufffe Lovelace", "panelist", "Cobalt mines \uffff and \U0001ffff more.")],
    )
    process_queue()
    for url in ("/alerts/feed/?q=cobalt", "/feeds/events/"):
        response = client.get(url)
        (entry,) = atom_entries(response)
        assert "Cobalt  hearing" in entry.find(f"{ATOM}title").text
        for bad in ("\uffff", "\ufffe", "\U0001ffff"):
            assert bad.encode() not in response.content


def test_nul_in_the_search_feed_is_refused_plainly(client, db):
    response = client.get("/alerts/feed/?q=%00")
    assert response.status_code == 400 and "NUL character" in response.content.decode()


def test_speaker_feed_after_a_control_character_was_typed_into_the_name(client, db):
    from django.contrib.auth import get_user_model

    from tests.staff.test_admin_support import editors_group

    editor = get_user_model().objects.create_user("ed", password="ed-pass-12345", is_staff=True)
    editor.groups.add(editors_group())
    client.force_login(editor)
    event = make_event("Panel", date=datetime.date(2024, 1, 1), turns=[("Ada Lovelace", "panelist", "Engines.")])
    person = event.appearances.get().person
    response = client.post(
        f"/admin/transcripts/person/{person.pk}/change/",
        {
            "name": "Ada\x07 Love\x1blace",
            "slug": person.slug,
            "bio": "Wrote\x01 notes.",
            "photo_url": "",
            "redirects-TOTAL_FORMS": "0",
            "redirects-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content[:500]
    person.refresh_from_db()
    assert (person.name, person.bio) == ("Ada Lovelace", "Wrote notes.")
    client.logout()
    feed = client.get(f"/alerts/feed/?speaker={person.slug}")
    assert feed.status_code == 200 and "Ada Lovelace" in ET.fromstring(feed.content).find(f"{ATOM}title").text


# NUL, years, Range numbers ----------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/events/?topic=%00",
        "/events/?topic=%00&format=json",
        "/search/?q=a%00b",
        "/people/?x%00=1",
        "/topics/?page=1%00",
    ],
)
def test_nul_in_any_public_parameter_is_a_400_saying_why(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


@pytest.mark.parametrize("year", ["0000", "²０２４", "١٢٣٤"])
@pytest.mark.parametrize("fmt", ["", "&format=json"])
def test_events_of_an_impossible_year_say_so(client, year, fmt):
    make_event("Panel", date=datetime.date(2024, 1, 1), turns=[("Ada Lovelace", "panelist", "Engines.")])
    response = client.get(f"/events/?year={year}{fmt}")
    assert response.status_code == 200
    assert "is not a year, so all years are shown" in response.content.decode()


@pytest.fixture
def served_file(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "panel.mp3").write_bytes(b"ID3" + bytes(997))
    event = make_event("Panel", date=datetime.date(2024, 1, 1), turns=[("Ada Lovelace", "panelist", "Engines.")])
    Event.objects.filter(pk=event.pk).update(media_file="media/panel.mp3")
    return "/media/media/panel.mp3"


@pytest.mark.parametrize("header", ["bytes=" + "9" * 4400 + "-", "bytes=0-" + "9" * 5000, "bytes=-" + "1" * 4301])
def test_a_range_number_thousands_of_digits_long_is_ignored(client, served_file, header):
    response = client.get(served_file, HTTP_RANGE=header)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"ID3" + bytes(997)
    assert client.get(served_file, HTTP_RANGE="bytes=0-9").status_code == 206  # an ordinary range still works


# Served media types -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, content_type, attachment",
    [
        ("media/page.html", "application/octet-stream", True),
        ("media/panel.svg", "application/octet-stream", True),
        ("captions/app.js", "application/octet-stream", True),
        ("media/panel.mp3", "audio/mpeg", False),
        ("captions/panel.vtt", "text/vtt; charset=utf-8", False),
    ],
)
def test_uploaded_files_are_served_only_as_media_or_as_downloads(
    client, settings, tmp_path, name, content_type, attachment
):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / name).parent.mkdir(parents=True)
    (tmp_path / name).write_bytes(b"<script>alert(document.cookie)</script>")
    event = make_event("Panel", date=datetime.date(2024, 1, 1), turns=[("Ada Lovelace", "panelist", "Engines.")])
    field = "captions_file" if name.startswith("captions/") else "media_file"
    Event.objects.filter(pk=event.pk).update(**{field: name})
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert (response.get("Content-Disposition") == "attachment") is attachment


# Alert confirmation and sign-up limits ----------------------------------------------------


def test_fetching_the_confirmation_link_does_not_switch_the_alert_on(client, db):
    alert = Alert.objects.create(email="stranger@example.org", query="q=cobalt")
    url = f"/alerts/confirm/{tokens.confirm_token(alert)}/"
    for _ in range(3):  # a mail scanner, a link preview, the reader opening it
        response = client.get(url)
        assert response.status_code == 200 and "Start the alert" in response.content.decode()
    alert.refresh_from_db()
    assert alert.confirmed_at is None
    assert client.post(url).status_code == 200
    alert.refresh_from_db()
    assert alert.confirmed_at is not None


def test_the_confirm_button_needs_the_csrf_token(db):
    from django.test import Client

    alert = Alert.objects.create(email="stranger@example.org", query="q=cobalt")
    response = Client(enforce_csrf_checks=True).post(f"/alerts/confirm/{tokens.confirm_token(alert)}/")
    assert response.status_code == 403
    alert.refresh_from_db()
    assert alert.confirmed_at is None


SPELLINGS = [
    "victim@example.org",
    '"victim"@example.org',
    '"\\victim"@example.org',
    '"v\\ictim"@EXAMPLE.org',
    "VICTIM@example.org",
    "victim@bücher.example",
    "victim@xn--bcher-kva.example",
    "victim@BÜCHER.example",
]


def test_equivalent_spellings_of_one_address_are_one_mailbox():
    assert len({canonical_mailbox(a) for a in SPELLINGS[:5]}) == 1
    assert len({canonical_mailbox(a) for a in SPELLINGS[5:]}) == 1
    assert canonical_mailbox("victim@example.org") != canonical_mailbox("victim2@example.org")


def test_sign_ups_to_one_mailbox_spelt_many_ways_are_limited_together(client, settings):
    settings.ALERTS_REQUESTS_PER_HOUR = 3
    statuses = []
    for n, address in enumerate(SPELLINGS[:5] * 3):
        response = client.post(
            "/alerts/follow/",
            {"email": address, "query": f"q=Buy+pills+now+{n}", "frequency": "immediate"},
            REMOTE_ADDR=f"198.51.100.{n}",  # a new client every time: the mailbox limit holds alone
        )
        statuses.append(response.status_code)
    assert statuses.count(200) == 3 and statuses.count(429) == 12
    assert len(mail.outbox) == 3
    assert {m.subject for m in mail.outbox} == {"Confirm your Verbatim alert"}  # no attacker text


def test_one_client_is_limited_across_many_mailboxes(client, settings):
    settings.ALERTS_REQUESTS_PER_HOUR = 100
    settings.ALERTS_REQUESTS_PER_CLIENT_PER_HOUR = 4
    statuses = [
        client.post(
            "/alerts/follow/", {"email": f"person{n}@example.org", "query": "q=cobalt", "frequency": "daily"}
        ).status_code
        for n in range(6)
    ]
    assert statuses == [200] * 4 + [429] * 2
    response = client.post("/alerts/follow/", {"email": "x@example.org", "query": "q=cobalt", "frequency": "daily"})
    assert "You have asked for 4 alert mails in the last hour" in response.content.decode()
    assert AlertRequest.objects.count() == 4
    other = client.post(
        "/alerts/follow/",
        {"email": "x@example.org", "query": "q=cobalt", "frequency": "daily"},
        REMOTE_ADDR="203.0.113.9",
    )
    assert other.status_code == 200


def test_a_long_non_latin_search_and_long_filters_can_be_followed(client, db):
    words = " ".join(["расследование"] * 40)[:480]  # 480 of the 500 characters a search may have
    query = f"q={words}&speaker={'s' * 200}&event={'e' * 200}&topic={'t' * 200}&from=2001-01-01&to=2020-12-31"
    response = client.post("/alerts/follow/", {"email": "reader@example.org", "query": query, "frequency": "daily"})
    assert response.status_code == 200, response.content.decode()[:2000]
    alert = Alert.objects.get()
    assert len(alert.query) > 1000 and "speaker=" + "s" * 200 in alert.query
    again = client.post("/alerts/follow/", {"email": "reader@example.org", "query": query, "frequency": "daily"})
    assert again.status_code == 200 and Alert.objects.count() == 1  # the same search is the same alert
