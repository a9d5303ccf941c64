"""Checking a quote, what speakers talk about, comparing two, reporting a problem and the
quote's embed, in a real browser: each page draws without overflowing a phone, has no
serious accessibility violation (axe-core, light and dark), and works without JavaScript."""

import json

import pytest
from test_reader_browser import ARTIFACTS, axe_source, indexed_sample, kara_first_turn  # noqa: F401

from transcripts.reader.quotes import quote_key

pytestmark = pytest.mark.browser

SENTENCE = "And I’ll give you two case studies in brief that I think put this in very clear focus."
PAGES = {
    "check-empty": "/check/",
    "check-differs": "/check/?q=traffickers+are+the+first+rescuers+in+that+scenario",
    "check-someone-else": "/check/?q=traffickers+are+the+first+responders&speaker=Mark+Lagon",
    "terms": "/people/siddharth-kara/terms/",
    "compare": "/compare/?a=siddharth-kara&b=mark-lagon&q=trafficking",
    "report": "/t/{turn}/report/",
    "quote": "/q/{turn}/{key}/",
    "cite-embed": "/q/{turn}/{key}/cite/",
}


def url(live_server, event, name):
    return live_server.url + PAGES[name].format(turn=kara_first_turn(event).public_id, key=quote_key(SENTENCE))


def serious_violations(page, options="{resultTypes: ['violations']}"):
    page.evaluate(axe_source())  # through DevTools: the site's CSP rightly forbids inline scripts
    results = page.evaluate(f"axe.run(document, {options})")
    return [
        {"rule": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:5]]}
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_new_pages_have_no_serious_violations_and_fit_a_phone(browser, live_server, indexed_sample, scheme):
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (1280, 390):
        context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 900})
        page = context.new_page()
        for name in PAGES:
            response = page.goto(url(live_server, indexed_sample, name))
            assert response.status == 200, name
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), (name, width)
            if width == 1280:
                assert not serious_violations(page), json.dumps([name, serious_violations(page)], indent=1)
            page.screenshot(path=str(ARTIFACTS / f"features-{name}-{scheme}-{width}.png"), full_page=True)
        context.close()


def test_checking_a_quote_without_javascript(browser, live_server, indexed_sample):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Check a quote").click()
    page.get_by_label("The quote").fill("traffickers are the first responders in that scenario")
    page.get_by_role("button", name="Check").click()
    assert page.get_by_role("heading", name="Said, word for word").is_visible()
    page.get_by_role("link", name="Open the passage, highlighted").click()
    assert page.locator("mark").first.inner_text().startswith("traffickers are the first responders")
    context.close()


def test_reporting_a_problem_from_a_turn_without_javascript(browser, live_server, indexed_sample):
    from transcripts.reports.models import ProblemReport

    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    turn = kara_first_turn(indexed_sample)
    page.goto(f"{live_server.url}/events/{indexed_sample.slug}/")
    page.locator(f"#t-{turn.public_id} .report-link").click()
    page.get_by_label("Wrong speaker").check()
    page.get_by_label("What should it say? (optional)").fill("This was Lagon speaking.")
    page.get_by_role("button", name="Send the report").click()
    assert page.get_by_role("heading", name="Thank you").is_visible()
    report = ProblemReport.objects.get()
    assert (report.turn_public_id, report.kind, report.note) == (turn.public_id, "speaker", "This was Lagon speaking.")
    context.close()
