"""Search text analysis, query syntax and highlighting: pure functions, no database."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transcripts.search.api import highlight_html, query_terms
from transcripts.search.highlight import snippet
from transcripts.search.syntax import MAX_QUERY_CHARS, parse_query, quoted
from transcripts.search.text import fold, term_set, terms


def test_stemming_folds_word_forms_together():
    assert term_set("trafficker") == term_set("trafficking") == term_set("Traffickers") == {"traffick"}
    assert term_set("survivors") == term_set("survivor")


def test_case_accents_and_quotes_are_ignored():
    assert fold("Ñandú") == "nandu"
    assert term_set("CAFÉ") == term_set("cafe") == term_set("cafe\u0301")  # composed, plain, decomposed
    assert term_set("world’s") == term_set("world's") == {"world"}
    assert term_set("Øresund") == {"oresund"}


def test_common_words_are_dropped_and_offsets_kept():
    text = "The trafficker and the victims"
    found = list(terms(text))
    assert [t.text for t in found] == ["traffick", "victim"]
    assert text[found[0].start : found[0].end] == "trafficker"


def test_query_words_phrases_exclusions_or_and_speaker():
    parsed = parse_query("cobalt “debt bondage” -congo mica OR lithium speaker:kara")
    assert [[t.text for t in g] for g in parsed.groups] == [["cobalt"], ["debt bondage"], ["mica", "lithium"]]
    assert [t.text for t in parsed.excluded] == ["congo"]
    assert [t.text for t in parsed.speakers] == ["kara"]
    assert parsed.messages == []
    assert query_terms('cobalt "debt bondage" -congo speaker:kara NOT mica') == ["cobalt", "debt bondage"]


def test_quoted_speaker_and_hyphenated_words():
    parsed = parse_query('speaker:"Siddharth Kara" sex-trafficking')
    assert [t.words for t in parsed.speakers] == [("Siddharth", "Kara")]
    assert parsed.groups[0][0].words == ("sex", "trafficking")  # searched as a phrase


@pytest.mark.parametrize(
    "query, message",
    [
        ('"unbalanced', "quotation mark was not closed"),
        ("AND OR NOT", "OR needs a word on each side"),
        ("*", "Wildcards"),
        ("speaker:", "speaker: needs a name"),
        ("the of", "Very common words"),
        ("x" * 5000, f"first {MAX_QUERY_CHARS} characters"),
    ],
)
def test_bad_queries_become_messages(query, message):
    parsed = parse_query(query)
    assert any(message in m for m in parsed.messages), parsed.messages


def test_unbalanced_quote_searches_the_words():
    assert parse_query('"debt bondage').positive_terms() == ["debt", "bondage"]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_parses_into_a_wellformed_query(text):
    parsed = parse_query(text)
    assert len(parsed.raw) <= MAX_QUERY_CHARS
    for group in parsed.groups:
        assert group and all(term.words for term in group)
    parsed.to_sq()  # builds without raising


def test_highlight_is_stem_aware_and_escapes():
    html = highlight_html("The traffickers <script>alert(1)</script> trafficking ring", "trafficker")
    assert html == ("The <mark>traffickers</mark> &lt;script&gt;alert(1)&lt;/script&gt; <mark>trafficking</mark> ring")


def test_highlight_marks_phrases_as_one_span_and_not_excluded_terms():
    html = highlight_html("They end up in debt bondage, and debt grows. Cobalt too.", '"debt bondage" -cobalt')
    assert html == "They end up in <mark>debt bondage</mark>, and debt grows. Cobalt too."


def test_highlight_escapes_the_query_too():
    assert highlight_html("a <b> tag", "<b>") == "a &lt;<mark>b</mark>&gt; tag"


def test_snippet_is_around_the_match_escaped_and_bounded():
    text = ("Opening remarks. " * 40) + "The trafficker & his <em>victims</em> met here." + (" Closing." * 40)
    html = snippet(text, "trafficker")
    assert "<mark>trafficker</mark> &amp; his &lt;em&gt;victims&lt;/em&gt;" in html
    assert html.startswith("… ") and html.endswith(" …")
    assert len(html) < 450


def test_snippet_without_a_match_is_the_start():
    assert snippet("Short text.", "cobalt") == "Short text."


def test_or_alternatives_are_capped_with_a_message():
    from transcripts.search.syntax import MAX_ALTERNATIVES

    parsed = parse_query(" OR ".join(f"cobalt{n}x" for n in range(30)))
    assert [len(group) for group in parsed.groups] == [MAX_ALTERNATIVES] == [8]
    assert parsed.positive_terms() == [f"cobalt{n}x" for n in range(8)]
    assert f"Only the first {MAX_ALTERNATIVES} words joined by OR were used." in parsed.messages


def test_a_long_phrase_is_cut_to_its_first_words_with_a_message():
    from transcripts.search.syntax import MAX_PHRASE_WORDS

    words = [f"mica{n}x" for n in range(40)]
    parsed = parse_query('"' + " ".join(words) + '" cobalt')
    assert parsed.positive_terms() == [" ".join(words[:MAX_PHRASE_WORDS]), "cobalt"]
    assert f"Only the first {MAX_PHRASE_WORDS} words of a quoted phrase were used." in parsed.messages


def test_many_terms_are_capped_at_max_terms():
    from transcripts.search.syntax import MAX_TERMS

    parsed = parse_query(" ".join(f"lithium{n}x" for n in range(100)))
    assert len(parsed.groups) == MAX_TERMS
    assert f"Only the first {MAX_TERMS} words or phrases were used." in parsed.messages


def test_snippet_window_is_the_one_with_most_distinct_terms():
    from transcripts.search.highlight import snippet

    text = "cobalt " * 50 + "filler " * 60 + "cobalt and mica together " + "filler " * 60
    extract = snippet(text, parse_query("cobalt mica"))
    assert "<mark>cobalt</mark> and <mark>mica</mark> together" in extract
    assert extract.startswith("… ")


def _best_window_by_scanning(spans, size, lead=70):
    """The quadratic definition the one-pass window must agree with."""
    best_start, best_score = 0, -1
    for i, span in enumerate(spans):
        start = max(0, span.start - lead)
        keys = {s.key for s in spans[i:] if s.end <= start + size}
        if len(keys) > best_score:
            best_start, best_score = start, len(keys)
    return best_start


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 40), st.integers(1, 15), st.sampled_from("abc")), max_size=40),
    st.integers(10, 200),
)
def test_one_pass_best_window_agrees_with_the_scan(gaps, size):
    from transcripts.search.highlight import LEAD_CHARS, Span, _best_window

    spans, pos = [], 0
    for gap, length, key in gaps:  # sorted, non-overlapping, as match_spans returns them
        spans.append(Span(pos + gap, pos + gap + length, key))
        pos += gap + length
    assert _best_window("", spans, size) == _best_window_by_scanning(spans, size, LEAD_CHARS)


def sq_shape(node):
    """An SQ tree as plain data: (connector, negated, children), each leaf (field, input kind,
    text, clean flag), so a test can say exactly what the engine is asked."""
    if isinstance(node, tuple):
        field, value = node
        return (field, type(value).__name__, value.query_string, value.kwargs.get("clean"))
    return (node.connector, node.negated, [sq_shape(child) for child in node.children])


def test_the_engine_is_asked_for_exactly_the_parsed_query():
    query = parse_query('Cobalt "Supply Chain" OR mica OR tin -child -"forced labour" speaker:Kara by:"Mark Lagon"')
    assert sq_shape(query.to_sq()) == (
        "AND",
        False,
        [
            ("content", "Clean", "cobalt", None),
            (
                "OR",
                False,
                [
                    ("content", "Exact", "supply chain", True),
                    ("content", "Clean", "mica", None),
                    ("content", "Clean", "tin", None),
                ],
            ),
            ("speaker", "Clean", "kara", None),
            ("speaker", "Exact", "mark lagon", True),
            ("AND", True, [("content", "Clean", "child", None)]),
            ("AND", True, [("content", "Exact", "forced labour", True)]),
        ],
    )


def test_control_characters_in_a_query_separate_words():
    assert parse_query("cobalt\x07mine\u200bchild").positive_terms() == ["cobalt", "mine", "child"]


def test_signs_exclude_and_include_only_when_they_touch_a_word():
    query = parse_query("Xenophobia +cobalt !mica - child -z")
    assert query.positive_terms() == ["Xenophobia", "cobalt", "child"]
    assert [term.text for term in query.excluded] == ["mica", "z"]


@pytest.mark.parametrize(
    "typed,replacements,suggested",
    [
        ("Cobalt minning", {"minning": "mining"}, "Cobalt mining"),  # other words as typed
        ("MINNING cobalt", {"minning": "mining"}, "mining cobalt"),  # matched folded
        ('cobalt "debt bondadge" -congo', {"bondadge": "bondage"}, 'cobalt "debt bondage" -congo'),
        ('"debt   bondage', {}, "debt bondage"),  # the quotation mark never closed is dropped
        ('cobalt "debt bondage" "forced', {"forced": "force"}, 'cobalt "debt bondage" force'),
        ("cobalt  mica", {}, "cobalt mica"),
    ],
)
def test_did_you_mean_swaps_only_the_words_corrected(typed, replacements, suggested):
    assert parse_query(typed).with_words_replaced(replacements) == suggested


@pytest.mark.parametrize(
    "query,shown",
    [
        ("forced labor", "“forced labor”"),
        ('"forced labor"', '"forced labor"'),  # one pair of quotes, not “"forced labor"”
        ("“forced labor”", "“forced labor”"),
        ("cobalt ”", "cobalt ”"),
        ("X-ray", "“X-ray”"),
    ],
)
def test_a_query_is_shown_in_one_pair_of_quotes(query, shown):
    assert quoted(query) == shown


UNCLOSED = "A quotation mark was not closed, so those words were searched separately."
NO_NAME = "speaker: needs a name after it, as in speaker:kara."
WILDCARD = "Wildcards such as * are not needed: word endings are matched already."
LONELY_OR = "OR needs a word on each side, as in cobalt OR mica."
LONELY_NOT = "NOT needs a word after it, as in NOT cobalt."
EMPTY_QUOTES = "Empty quotation marks were left out: put the words of a phrase between them."


def shape(query: str):
    """What a query asks for, in plain data: the groups (OR within, AND between), the words
    left out, the speakers, and every message, word for word as the reader sees them."""
    parsed = parse_query(query)
    return (
        [[term.text for term in group] for group in parsed.groups],
        [term.text for term in parsed.excluded],
        [term.text for term in parsed.speakers],
        parsed.messages,
    )


@pytest.mark.parametrize(
    "query,groups,excluded,speakers,messages",
    [
        ('"debt bondage', [["debt"], ["bondage"]], [], [], [UNCLOSED]),
        ("speaker: cobalt", [["cobalt"]], [], [], [NO_NAME]),
        ("cobalt *", [["cobalt"]], [], [], [WILDCARD]),
        ("cobalt XX", [["cobalt"], ["XX"]], [], [], []),  # letters are words, never wildcards
        ("OR cobalt", [["cobalt"]], [], [], [LONELY_OR]),
        ("cobalt OR", [["cobalt"]], [], [], [LONELY_OR]),
        ("NOT cobalt OR mica", [["mica"]], ["cobalt"], [], [LONELY_OR]),  # OR after NOT: no left side
        ("cobalt NOT", [["cobalt"]], [], [], [LONELY_NOT]),
        ('"" cobalt', [["cobalt"]], [], [], [EMPTY_QUOTES]),  # the words after empty quotes still count
        ("the of cobalt of", [["cobalt"]], [], [], ["Very common words are left out of searches: “the”, “of”."]),
        ("speaker:the cobalt", [["cobalt"]], [], [], ["Very common words are left out of searches: “the”."]),
        ("cobalt -", [["cobalt"]], [], [], []),  # a sign touching nothing, at the very end
        ("cobalt !", [["cobalt"]], [], [], []),
        ('"debt bondage"cobalt', [["debt bondage"], ["cobalt"]], [], [], []),
        ('speaker:"Mark Lagon"cobalt', [["cobalt"]], [], ["Mark Lagon"], []),
        ('speaker:"Mark Lagon" "debt bondage"', [["debt bondage"]], [], ["Mark Lagon"], []),
        ('speaker:kara"debt bondage"', [["debt bondage"]], [], ["kara"], []),
        ('cobalt speaker:"Mark Lagon', [["cobalt"]], [], ["Mark Lagon"], []),  # never closed: to the end
        ('by:"" cobalt', [["cobalt"]], [], [], [NO_NAME]),
    ],
)
def test_each_query_asks_for_exactly_this_and_says_exactly_this(query, groups, excluded, speakers, messages):
    assert shape(query) == (groups, excluded, speakers, messages)


def test_the_limits_hold_at_their_edges():
    assert parse_query("x" * MAX_QUERY_CHARS).messages == []
    assert parse_query("x" * (MAX_QUERY_CHARS + 1)).messages == [
        f"Your search was long, so only its first {MAX_QUERY_CHARS} characters were used."
    ]
    eight = " ".join(f"mica{n}x" for n in range(8))
    assert shape(f'"{eight}"') == ([[eight]], [], [], [])


def test_the_query_as_typed_is_kept_with_its_spacing_made_one():
    assert parse_query("  Cobalt \t “debt   bondage” ").raw == 'Cobalt "debt bondage"'
    assert parse_query(None).raw == parse_query("").raw == "" and not parse_query(None).has_positive
