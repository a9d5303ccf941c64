"""The search page's results are drawn in Python (transcripts.reader.views.search.results_html),
the same HTML the per-hit template include gave."""

import datetime

from django.utils.safestring import SafeString

from transcripts.reader.views.search import results_html
from transcripts.search.api import TurnHit


def _hit(**changes):
    fields = {
        "turn_id": 1,
        "public_id": "abc123",
        "event_slug": "an-event",
        "event_title": "Slavery & <Supply> Chains",
        "event_date": datetime.date(2022, 2, 17),
        "speaker_name": "Jane Doe",
        "speaker_slug": "jane-doe",
        "role": "panelist",
        "section": "main",
        "snippet_html": SafeString("about <mark>trafficking</mark>"),
        "score": 1.0,
        "permalink": "/events/an-event/?q=trafficking#t-abc123",
    }
    fields.update(changes)
    return TurnHit(**fields)


def test_a_hit_with_a_known_speaker():
    assert results_html([_hit()]) == (
        '<li class="result">\n  <p class="result-meta">\n'
        '    <a class="result-speaker" href="/people/jane-doe/">Jane Doe</a>\n'
        '    <span class="badge role-panelist">Panelist</span>\n'
        '    <span class="sep" aria-hidden="true">·</span>\n'
        '    <a href="/events/an-event/">Slavery &amp; &lt;Supply&gt; Chains</a>, '
        '<time datetime="2022-02-17">17 Feb 2022</time>\n  </p>\n'
        '  <p class="snippet">about <mark>trafficking</mark></p>\n'
        '  <p class="result-link"><a href="/t/abc123/?q=trafficking">Read in context'
        '<span class="visually-hidden">: Jane Doe at Slavery &amp; &lt;Supply&gt; Chains</span> →</a></p>\n'
        "</li>\n"
    )


def test_unknown_speaker_undated_event_and_question_time():
    html = results_html(
        [
            _hit(
                speaker_slug="",
                speaker_name="Q",
                role="other",
                section="qa",
                event_date=None,
                permalink="/events/an-event/#t-abc123",
            ),
            _hit(speaker_slug="", speaker_name=""),
        ]
    )
    assert '<span class="result-speaker">Q</span>' in html
    assert '<span class="result-speaker">Unknown speaker</span>' in html
    assert (
        '<a href="/events/an-event/">Slavery &amp; &lt;Supply&gt; Chains</a> <span class="badge">Q&amp;A</span>' in html
    )
    assert 'href="/t/abc123/">Read in context' in html  # no query, no "?"
    assert html.count('<li class="result">') == 2 and "<time" in html.split("</li>")[1]
    assert "<time" not in html.split("</li>")[0]
