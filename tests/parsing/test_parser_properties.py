"""Property tests: the parser fails only with ParseError, and never loses speech."""

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transcripts.parsing import LabelChoices, ParseError, decode_bytes, parse_transcript, read_upload

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces that exercise the parser's special cases: labels of every shape, timestamps,
# Markdown, stage directions, front-matter fences, furniture markers, odd newlines.
PIECES = st.sampled_from(
    [
        "LAGON:",
        "Q:",
        "OPERATOR:",
        "MR. LEHRER:",
        "Jane Doe:",
        "**JANE DOE:**",
        "**Jane Doe**:",
        "JANE DOE (Acme):",
        "[00:01:23]",
        "(00:01:23)",
        "[01:23]",
        "(Laughs.)",
        "(laughs)",
        "(IREX)",
        "(",
        ")",
        "[",
        "]",
        "**",
        "---",
        "title:",
        "date:",
        "participants:",
        "- name: X",
        "  label: Y",
        "\n",
        "\n\n",
        "\n\n\n",
        "\r",
        "\r\n",
        " ",
        ":",
        "Top Stories on CFR",
        "Related",
        "©",
        "Our next question will be from Peter Galbraith.",
        "I'm Mark Lagon.",
        "invite members",
        "Thursday, February 17, 2022",
        "REUTERS/Go Nakamura",
        "\ufeff",
        "\x00",
        "\u2028",
        "ß",
        "İ",
        # The layouts and label shapes of the real-transcript corpus.
        "  Mr. BROWN of Ohio.",
        "  The PRESIDING OFFICER (Mr. Graham).",
        "Mr. REED addressed the Chair.",
        "Q\u00a0\u00a0",
        "\u00a0",
        "\u00a0\u00a0\n",
        "\f",
        "       1      ",
        "      12             ",
        "MS. O’HARA:",
        "Mr. DeLAY:",
        "Gerald R Ford:",
        "Announcer offscreen:",
        "**Break:**",
        "**Break**:",
        "\\[00:04:22.21\\]",
        "\\*",
        "\\_",
        "WEBVTT\n\n",
        "00:00:01.000 --> 00:00:02.000\n",
        "1\n00:00:01,000 --> 00:00:02,000\n",
        "<v Ann Lee>",
        "</v>",
        "<html><body><pre>",
        "</pre>",
        "<p>",
        "&amp;",
        "Ann Lee (00:01:23):",
        "Ann Lee  1:23\n",
        "{Chuckling.}",
        "PRESIDING:",
        "SPEAKERS:",
        "HOST:",
        "Host:",
    ]
)
LABELISH = st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=40).map("".join)


def parses_or_parse_error(text):
    try:
        result = parse_transcript(text)
    except ParseError:
        return None
    keys = {p.key for p in result.participants}
    assert all(turn.speaker is None or turn.speaker in keys for turn in result.turns)
    assert len(keys) == len(result.participants)
    for turn in result.turns:
        for p in turn.paragraphs:
            assert "".join(s.text for s in p.segments) == p.text
    return result


@FAST
@given(st.text(max_size=400))
def test_arbitrary_text_raises_only_parse_error(text):
    parses_or_parse_error(text)


@FAST
@given(LABELISH)
def test_label_soup_raises_only_parse_error(text):
    parses_or_parse_error(text)


@FAST
@given(
    LABELISH,
    st.sets(st.sampled_from(["LAGON", "Q", "Jane Doe", "Break", "The PRESIDING OFFICER"]), max_size=2),
    st.sets(st.sampled_from(["LAGON", "OPERATOR", "Mr. BROWN of Ohio", "Ann Lee"]), max_size=2),
)
def test_label_soup_with_review_choices_raises_only_parse_error(text, force, refuse):
    try:
        result = parse_transcript(text, choices=LabelChoices(force=force, refuse=refuse))
    except ParseError:
        return
    assert not {t.label for t in result.turns} & refuse


@FAST
@given(st.binary(max_size=300), st.sampled_from(["t.txt", "t.docx", "t.vtt", "t.srt", "t.html", "t.md", "t.pdf", ""]))
def test_read_upload_raises_only_parse_error(data, name):
    try:
        text, warnings = read_upload(data, name)
    except ParseError:
        return
    assert isinstance(text, str) and all(isinstance(w, str) for w in warnings)


@FAST
@given(st.binary(max_size=300))
def test_decode_bytes_raises_only_parse_error(data):
    try:
        text, warnings = decode_bytes(data)
    except ParseError:
        return
    assert isinstance(text, str) and text.strip() and all(isinstance(w, str) for w in warnings)


# A generated transcript: speakers with ALL-CAPS labels, paragraphs of plain words.
# Words are lower case (a line of them can never look like a label), with some
# punctuation; paragraphs may be hard-wrapped; blank lines and newline styles vary.
WORD = st.builds(
    lambda word, mark: word + mark,
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=9),
    st.sampled_from(["", "", "", ",", ".", ";", "?", "!"]),
)
PARAGRAPH = st.lists(st.lists(WORD, min_size=1, max_size=8), min_size=1, max_size=3)  # lines of words
TURN = st.tuples(
    st.sampled_from(["LAGON", "KARA", "COPPEDGE", "KRELL", "SMITH", "TAHIR-KHELI", "O'BRIEN", "JANE DOE"]),
    st.lists(PARAGRAPH, min_size=1, max_size=3),
)


@st.composite
def transcripts(draw):
    turns = draw(st.lists(TURN, min_size=1, max_size=8))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    title = draw(st.sampled_from(["", "A Panel About Things" + newline + newline]))
    chunks = []
    for label, paragraphs in turns:
        texts = [newline.join(" ".join(line) for line in para) for para in paragraphs]
        gap = newline * draw(st.integers(2, 3))
        chunks.append(f"{label}: " + gap.join(texts))
    between = draw(st.sampled_from([newline, newline * 2, newline * 3]))
    return title + between.join(chunks) + draw(st.sampled_from(["", newline])), turns


@FAST
@given(transcripts())
def test_no_spoken_word_is_dropped(case):
    text, turns = case
    result = parse_transcript(text)
    assert len(result.turns) == len(turns)
    for (label, paragraphs), turn in zip(turns, result.turns):
        assert turn.label == label
        expected = [word for para in paragraphs for line in para for word in line]
        assert re.findall(r"\S+", turn.text) == expected
        assert len(turn.paragraphs) == len(paragraphs)


# The same transcripts in the other layouts: mixed-case names (one of them said once,
# in a document where every paragraph opens with a name), no-break spaces after the
# label, NBSP-only lines between paragraphs, or a WebVTT file with one cue per line.
NAMES = ["Ann Lee", "Bo Park", "Gerald R Ford", "Kat Zień", "Norma-Jean Laurent", "Matthew O'Brien"]


@st.composite
def mixed_case_transcripts(draw):
    body = draw(st.lists(st.lists(PARAGRAPH, min_size=1, max_size=1), min_size=2, max_size=8))
    names = [NAMES[i % 2] for i in range(len(body))]
    names[-1] = draw(st.sampled_from(NAMES))  # possibly a speaker said only once
    gap = draw(st.sampled_from([": ", ":\u00a0 ", ":   "]))
    blank = draw(st.sampled_from(["\n\n", "\n\u00a0 \n", "\n\u00a0\u00a0\u00a0\n"]))
    chunks = [name + gap + "\n".join(" ".join(line) for line in paras[0]) for name, paras in zip(names, body)]
    return blank.join(chunks) + "\n", list(zip(names, body))


@FAST
@given(mixed_case_transcripts())
def test_no_spoken_word_is_dropped_with_mixed_case_names_and_nbsp_layouts(case):
    text, turns = case
    result = parse_transcript(text)
    assert [t.label for t in result.turns] == [name for name, _ in turns]
    for (_, paragraphs), turn in zip(turns, result.turns):
        assert re.findall(r"\S+", turn.text) == [w for para in paragraphs for line in para for w in line]


@FAST
@given(st.lists(st.tuples(st.sampled_from(NAMES[:3]), st.lists(WORD, min_size=1, max_size=6)), min_size=1, max_size=12))
def test_no_spoken_word_is_dropped_from_captions(cues):
    lines = ["WEBVTT", ""]
    for n, (name, words) in enumerate(cues):
        stamp = f"00:{n // 60:02d}:{n % 60:02d}"
        lines += [f"{stamp}.000 --> {stamp}.900", f"{name}: {' '.join(words)}", ""]
    result = parse_transcript("\n".join(lines))
    spoken = [w for _, words in cues for w in words]
    assert re.findall(r"\S+", " ".join(t.text for t in result.turns)) == spoken
    merged = [name for i, (name, _) in enumerate(cues) if i == 0 or cues[i - 1][0] != name]
    assert [t.label for t in result.turns] == merged


# Nothing is glued silently: transcripts whose lines open with labels of many shapes
# (colon, no space, full-width colon, bold, timestamps before and after, parentheses,
# offices, handles, Q./A., headings), some real speakers and some not. Every line start
# that is label-shaped is either a turn's label or listed as a rejected label, and every
# spoken word is still there, in order.
LABEL_SHAPES = [
    "{name}: ",
    "{name}:",
    "{NAME}: ",
    "**{name}**: ",
    "**{name}:** ",
    "**{name}** [0:{n:02d}] ",
    "[00:{n:02d}] {NAME}: ",
    "{name} (00:{n:02d}:01): ",
    "{name} (SPD): ",
    "Minister for Health ({name}): ",
    "Mr. {last}: ",
    "The {last}: ",
    "{first}： ",
    "[00:{n:02d}] **{handle}**: ",
    "Q. ",
    "A. ",
    "BY MR. {LAST}: ",
    "{name} - ",
    "{first_initial} {last}: ",
    "00:00:{n:02d} <v {name}>",
]
FIRST = st.sampled_from(["Ann", "Bo", "Cy", "Dara", "Émile", "Zoë"])
LAST = st.sampled_from(["Lee", "Park", "Diaz", "O'Brien", "Zień", "Kowalski"])
HANDLE = st.sampled_from(["kushti", "qx()", "dev_ops", "j.doe"])
SPOKEN = st.lists(WORD, min_size=1, max_size=8).map(" ".join)


@st.composite
def label_shaped_lines(draw):
    lines, spoken = [], []
    for n in range(draw(st.integers(2, 12))):
        first, last = draw(FIRST), draw(LAST)
        shape = draw(st.sampled_from(LABEL_SHAPES))
        name = f"{first} {last}"
        prefix = shape.format(
            name=name,
            NAME=name.upper(),
            first=first,
            first_initial=first[0],
            last=last,
            LAST=last.upper(),
            handle=draw(HANDLE),
            n=n,
        )
        words = draw(SPOKEN)
        lines.append(prefix + ("Yes " if prefix.endswith(":") else "") + words)
        spoken.append(words)
    gap = draw(st.sampled_from(["\n", "\n\n"]))
    return "ANN LEE: Welcome.\n\n" + gap.join(lines) + "\n", spoken


@FAST
@given(label_shaped_lines())
def test_every_label_shaped_line_start_is_a_turn_label_or_a_rejected_label(case):
    from transcripts.parsing.labels import match_label_line

    text, spoken = case
    result = parse_transcript(text)
    taken = {t.label for t in result.turns}
    rejected = {r.label for r in result.label_candidates}
    for line in text.splitlines():
        found = match_label_line(line)
        if found is not None:
            assert found.label in taken | rejected, (line, taken, rejected)
    assert all(r.count >= 1 and r.example for r in result.label_candidates)
    said = re.findall(r"\S+", " ".join(t.text for t in result.turns))
    expected = [w for words in spoken for w in words.split()]
    position = 0
    for word in said:  # the spoken words are a subsequence of the turns' text
        if position < len(expected) and word == expected[position]:
            position += 1
    assert position == len(expected), (expected[position:], said)
