"""Discovery: Atom feeds, sitemap.xml, robots.txt and schema.org JSON-LD."""

import datetime
import json
import re
import xml.etree.ElementTree as ET

import pytest

from transcripts.models import Event

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def atom_entries(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    return feed, [(e.find(f"{ATOM}title").text, e.find(f"{ATOM}link").get("href")) for e in feed.iter(f"{ATOM}entry")]


def json_ld(html):
    return [
        json.loads(block) for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]


def test_new_events_feed_lists_published_events_newest_first(client, sample_event):
    Event.objects.create(title="Later Draft", slug="later-draft", date=datetime.date(2023, 1, 1), status="draft")
    feed, entries = atom_entries(client.get("/feeds/events/"))
    assert feed.find(f"{ATOM}title").text == "Verbatim: new events"
    assert entries == [
        ("Combating Human Trafficking and Modern Slavery", f"http://testserver/events/{sample_event.slug}/")
    ]
    categories = [c.get("term") for c in feed.iter(f"{ATOM}category")]
    assert "Human Trafficking" in categories


def test_person_and_topic_feeds(client, sample_event):
    feed, entries = atom_entries(client.get("/people/siddharth-kara/feed/"))
    assert feed.find(f"{ATOM}title").text == "Verbatim: Siddharth Kara"
    assert entries == [
        ("Combating Human Trafficking and Modern Slavery (panelist)", f"http://testserver/events/{sample_event.slug}/")
    ]
    feed, entries = atom_entries(client.get("/topics/modern-slavery/feed/"))
    assert feed.find(f"{ATOM}title").text == "Verbatim: Modern Slavery" and len(entries) == 1
    assert client.get("/people/nobody/feed/").status_code == 404
    assert client.get("/topics/nothing/feed/").status_code == 404


def test_pages_advertise_their_feeds(client, sample_event):
    html = client.get("/people/siddharth-kara/").content.decode()
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Verbatim: Siddharth Kara" '
        'href="/people/siddharth-kara/feed/">' in html
    )
    html = client.get("/topics/human-rights/").content.decode()
    assert 'href="/topics/human-rights/feed/"' in html


def test_sitemap_lists_events_people_and_topics_but_not_drafts(client, sample_event):
    Event.objects.create(title="Hidden", slug="hidden-draft", status="draft")
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    urls = [loc.text for loc in ET.fromstring(response.content).iter(f"{SITEMAP}loc")]
    assert f"http://testserver/events/{sample_event.slug}/" in urls
    assert "http://testserver/people/siddharth-kara/" in urls and "http://testserver/people/jaeduk-seo/" in urls
    assert "http://testserver/topics/supply-chains/" in urls
    assert {
        "http://testserver/",
        "http://testserver/events/",
        "http://testserver/people/",
        "http://testserver/topics/",
    } <= set(urls)
    assert not any("hidden-draft" in u for u in urls)
    assert "http://testserver/people/operator/" not in urls
    assert len(urls) == len(set(urls)) == 4 + 1 + 9 + 4


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines and "Disallow: /admin/" in lines and "Disallow: /search/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_event_page_json_ld_is_an_event_with_its_performers(client, sample_event):
    [data] = json_ld(client.get(f"/events/{sample_event.slug}/").content.decode())
    assert data["@context"] == "https://schema.org" and data["@type"] == "Event"
    assert data["name"] == "Combating Human Trafficking and Modern Slavery" and data["startDate"] == "2022-02-17"
    assert data["organizer"] == {"@type": "Organization", "name": "Council on Foreign Relations"}
    assert [p["name"] for p in data["performer"]] == ["Mark Lagon", "Susan Coppedge", "Siddharth Kara", "Maggy Krell"]
    assert data["performer"][2]["jobTitle"].startswith("British Academy Global Professor")


def test_person_page_json_ld_is_a_person(client, sample_event):
    [data] = json_ld(client.get("/people/siddharth-kara/").content.decode())
    assert data["@type"] == "Person" and data["name"] == "Siddharth Kara"
    assert data["url"] == "http://testserver/people/siddharth-kara/"


def test_json_ld_cannot_break_out_of_its_script(client, sample_event):
    sample_event.title = "Panel </script><script>alert(1)</script>"
    sample_event.save()
    html = client.get(f"/events/{sample_event.slug}/").content.decode()
    assert "</script><script>alert(1)" not in html
    assert json_ld(html)[0]["name"] == "Panel </script><script>alert(1)</script>"


def test_home_page_json_ld_describes_the_site_search(client, sample_event):
    [data] = json_ld(client.get("/").content.decode())
    assert data["@type"] == "WebSite" and data["url"] == "http://testserver/"
    assert data["potentialAction"]["target"] == "http://testserver/search/?q={search_term_string}"
