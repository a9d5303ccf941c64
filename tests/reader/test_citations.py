"""Citations: the three styles for an event, a turn and a quote, and the cite pages."""

import datetime

import pytest

from transcripts.reader.citations import CitationSource, apa, bibtex, chicago, initials_name, inverted_name

EVENT = {
    "event_title": "Combating Human Trafficking and Modern Slavery",
    "event_date": datetime.date(2022, 2, 17),
    "organiser": "Council on Foreign Relations",
    "url": "https://verbatim.example/events/x/",
    "accessed": datetime.date(2025, 5, 3),
}
TURN = dict(EVENT, url="https://verbatim.example/events/x/#t-abc", speaker_name="Siddharth Kara", role="panelist")
QUOTE = dict(TURN, url="https://verbatim.example/q/abc/?text=two+case+studies", quote="two case studies in brief")


def test_names_are_inverted_for_bibliographies():
    assert inverted_name("Siddharth Kara") == "Kara, Siddharth"
    assert inverted_name("Mark P. Lagon Jr.") == "Lagon, Mark P., Jr."
    assert inverted_name("Operator") == "Operator"
    assert initials_name("Shirin Tahir-Kheli") == "Tahir-Kheli, S."
    assert initials_name("Jean-Paul Sartre") == "Sartre, J.-P."


def test_chicago_for_event_turn_and_quote():
    assert chicago(CitationSource(**EVENT)).text == (
        "Council on Foreign Relations. “Combating Human Trafficking and Modern Slavery.” Panel discussion transcript, "
        "February 17, 2022. Verbatim. Accessed May 3, 2025. https://verbatim.example/events/x/."
    )
    assert chicago(CitationSource(**TURN)).text == (
        "Kara, Siddharth (panelist). Remarks at “Combating Human Trafficking and Modern Slavery,” Council on Foreign "
        "Relations, February 17, 2022. Transcript, Verbatim. Accessed May 3, 2025. https://verbatim.example/events/x/#t-abc."
    )
    quote = chicago(CitationSource(**QUOTE)).text
    assert quote.startswith("Kara, Siddharth (panelist). “two case studies in brief.” Remarks at “Combating")
    assert quote.endswith("https://verbatim.example/q/abc/?text=two+case+studies.")


def test_apa_italicises_the_event_title_in_html_only():
    event = apa(CitationSource(**EVENT))
    assert event.text == (
        "Council on Foreign Relations. (2022, February 17). Combating Human Trafficking and Modern Slavery "
        "[Panel discussion transcript]. Verbatim. Retrieved May 3, 2025, from https://verbatim.example/events/x/"
    )
    assert "<i>Combating Human Trafficking and Modern Slavery</i>" in event.html
    quote = apa(CitationSource(**QUOTE))
    assert quote.text.startswith(
        "“two case studies in brief” (Kara, 2022)\n\nKara, S. (2022, February 17). Remarks, panelist. In "
    )


def test_bibtex_entry_has_the_fields_and_escapes_specials():
    entry = bibtex(CitationSource(**dict(QUOTE, event_title="Profits & Losses: 100% of {it}"))).text
    assert entry.startswith("@misc{kara2022profits,\n")
    assert "author       = {Kara, Siddharth}," in entry
    assert r"title        = {Remarks at ``Profits \& Losses: 100\% of \{it\}''}," in entry
    assert "date         = {2022-02-17}," in entry
    assert "note         = {Speaking as panelist. Quoted passage: ``two case studies in brief''}," in entry
    assert "Accessed" not in entry  # the access date is urldate's alone
    assert "url          = {https://verbatim.example/q/abc/?text=two+case+studies}," in entry
    assert entry.endswith("urldate      = {2025-05-03}\n}")
    event_entry = bibtex(CitationSource(**EVENT)).text
    assert "author       = {{Council on Foreign Relations}}," in event_entry
    assert "note" not in event_entry  # nothing to note about a whole event: no empty field


def test_an_undated_event_says_no_date():
    source = CitationSource(**dict(TURN, event_date=None))
    assert "n.d." in chicago(source).text and "(n.d.)" in apa(source).text and "year" not in bibtex(source).text


@pytest.mark.django_db
def test_cite_pages_show_all_three_styles(client, sample_event):
    kara = sample_event.turns.filter(appearance__person__name="Siddharth Kara").order_by("position").first()
    response = client.get(f"/events/{sample_event.slug}/cite/")
    assert response.status_code == 200
    html = response.content.decode()
    for label in ("Chicago", "APA", "BibTeX"):
        assert f">{label}</h2>" in html
    assert (
        "Council on Foreign Relations. “Combating Human Trafficking and Modern Slavery.” Panel discussion transcript"
        in html
    )
    assert 'data-copy="cite-bibtex-text" hidden' in html  # copy buttons appear only with JavaScript

    response = client.get(f"/q/{kara.public_id}/cite/", {"text": "two case studies in brief"})
    html = response.content.decode()
    assert "Kara, Siddharth (panelist). “two case studies in brief.” Remarks at" in html
    assert f"http://testserver/q/{kara.public_id}/two-case-studies-in-brief/" in html  # the short link

    data = client.get(f"/q/{kara.public_id}/cite/", {"format": "json"}).json()
    assert data["citations"]["chicago"].startswith("Kara, Siddharth (panelist). Remarks at “Combating")
    assert data["url"] == f"http://testserver/t/{kara.public_id}/"  # lands on the turn's page, however long the event
    assert set(data["citations"]) == {"chicago", "apa", "bibtex"}


@pytest.mark.django_db
def test_cite_page_for_an_unknown_turn_is_a_friendly_404(client, sample_event):
    response = client.get("/q/nosuchturn1/cite/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()
