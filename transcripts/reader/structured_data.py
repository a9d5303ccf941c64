"""schema.org JSON-LD for search engines and link previews: Event, Person, Quotation.

Builders return plain dicts; the `json_ld` template tag writes them into a
<script type="application/ld+json"> with the characters that could end the script escaped.
"""

from __future__ import annotations

from django.utils.html import strip_tags

CONTEXT = "https://schema.org"


def person_ld(person, url: str, *, job_title: str = "") -> dict:
    data = {"@type": "Person", "name": person.name, "url": url}
    if job_title:
        data["jobTitle"] = job_title
    if person.photo_url:
        data["image"] = person.photo_url
    return data


def event_ld(event, url: str, performers: list[dict]) -> dict:
    data = {
        "@context": CONTEXT,
        "@type": "Event",
        "name": event.title,
        "url": url,
        "eventStatus": "https://schema.org/EventScheduled",
        "performer": performers,
    }
    if event.date:
        data["startDate"] = event.date.isoformat()
    if event.description_html:
        data["description"] = strip_tags(event.description_html).strip()
    if event.organiser:
        data["organizer"] = {"@type": "Organization", "name": event.organiser}
    if event.language:
        data["inLanguage"] = event.language  # schema.org takes the IETF tag, of which ISO 639-1 is one
    return data


def person_page_ld(person, url: str, bio_html: str = "") -> dict:
    data = {"@context": CONTEXT, **person_ld(person, url)}
    if bio_html:
        data["description"] = strip_tags(bio_html).strip()
    return data


def quotation_ld(text: str, url: str, speaker: dict | None, event, event_url: str) -> dict:
    data = {
        "@context": CONTEXT,
        "@type": "Quotation",
        "text": text,
        "url": url,
        "isPartOf": {"@type": "Event", "name": event.title, "url": event_url},
    }
    if event.date:
        data["dateCreated"] = event.date.isoformat()
        data["isPartOf"]["startDate"] = event.date.isoformat()
    if speaker:
        data["creator"] = speaker
    return data


def website_ld(home_url: str, search_url: str) -> dict:
    """The site itself, with its search box (lets search engines offer a search field)."""
    return {
        "@context": CONTEXT,
        "@type": "WebSite",
        "name": "Verbatim",
        "url": home_url,
        "potentialAction": {
            "@type": "SearchAction",
            "target": f"{search_url}?q={{search_term_string}}",
            "query-input": "required name=search_term_string",
        },
    }
