"""Fuzzing with thousands of cases: the parser fails only with ParseError; the search
page, its JSON twin, quote links and list filters answer every query string with a page
(200, 404 or the 503 "unavailable" page), never a 500."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from search_helpers import search_index, searchable_sample  # noqa: F401  (fixtures)

from tests.parsing.test_parser_properties import LABELISH, parses_or_parse_error

THOUSANDS = settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Each case is a real request through the view, so fewer of them; the sample event is
# read-only here, so one fixture instance can serve every example.
THROUGH_VIEWS = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)


@THOUSANDS
@given(st.one_of(LABELISH, st.text(max_size=600)))
def test_parser_on_thousands_of_inputs_raises_only_parse_error(text):
    parses_or_parse_error(text)


# The search syntax's own characters and words, mixed with anything at all.
SEARCH_PIECES = st.sampled_from(
    [
        '"',
        "'",
        "(",
        ")",
        "-",
        "+",
        "*",
        "?",
        "~",
        "^",
        ":",
        "OR",
        "AND",
        "NOT",
        "or",
        " ",
        "  ",
        "speaker:",
        "event:",
        "topic:",
        "from:",
        "to:",
        "trafficking",
        "forced labor",
        "Lagon",
        "kara",
        "\x00",
        "\ufeff",
        "%",
        "\\",
        "/",
        "<script>alert(1)</script>",
        "é",
        "İ",
        "ß",
        "\u202e",
        "2022",
        "-2022-13-45",
        "[",
        "]",
        "{",
        "}",
    ]
)
QUERIES = st.one_of(
    st.lists(st.one_of(SEARCH_PIECES, st.text(max_size=6)), max_size=25).map("".join), st.text(max_size=300)
)
PARAMS = st.fixed_dictionaries(
    {},
    optional={
        "page": st.one_of(st.text(max_size=6), st.integers(-5, 10**12).map(str)),
        "from": st.one_of(st.text(max_size=12), st.dates().map(str)),
        "to": st.one_of(st.text(max_size=12), st.dates().map(str)),
        "speaker": st.text(max_size=20),
        "topic": st.text(max_size=20),
        "event": st.text(max_size=20),
        "role": st.text(max_size=10),
        "section": st.text(max_size=10),
        "sort": st.text(max_size=10),
    },
)


def _sendable(value: str) -> str:
    # A NUL cannot be sent in a URL by a browser or the test client; everything else can.
    return value.replace("\x00", "")


@THROUGH_VIEWS
@given(query=QUERIES, params=PARAMS)
def test_search_page_and_api_never_fail(searchable_sample, client, query, params):
    data = {"q": _sendable(query), **{k: _sendable(v) for k, v in params.items()}}
    page = client.get("/search/", data, follow=True)  # a page number it does not show redirects to the one it does
    assert page.status_code == 200, (data, page.status_code)
    api = client.get("/api/search/", data)
    assert api.status_code == 200 and "total" in api.json(), data


@THROUGH_VIEWS
@given(
    text=st.text(max_size=200),
    prefix=st.text(max_size=60),
    suffix=st.text(max_size=60),
    public_id=st.one_of(st.just("turn"), st.from_regex(r"[a-z0-9-]{1,20}", fullmatch=True)),
)
def test_quote_links_never_fail(searchable_sample, client, text, prefix, suffix, public_id):
    if public_id == "turn":
        public_id = searchable_sample.turns.order_by("position")[5].public_id
    response = client.get(
        f"/q/{public_id}/", {"text": _sendable(text), "prefix": _sendable(prefix), "suffix": _sendable(suffix)}
    )
    assert response.status_code in (200, 302, 404), response.status_code


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(year=st.text(max_size=10), topic=st.text(max_size=20), page=st.text(max_size=8), q=st.text(max_size=50))
def test_list_filters_never_fail(sample_event, client, year, topic, page, q):
    for url in ("/events/", "/people/"):
        response = client.get(
            url,
            {"year": _sendable(year), "topic": _sendable(topic), "page": _sendable(page), "q": _sendable(q)},
            follow=True,
        )
        assert response.status_code in (200, 404), (url, response.status_code)


@pytest.mark.django_db
def test_nul_in_a_query_string_is_not_a_500(client):
    assert client.get("/search/?q=trade%00fair").status_code in (200, 400)
