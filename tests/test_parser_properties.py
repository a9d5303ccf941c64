"""Property tests: the parser fails only with ParseError, and never loses speech."""
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transcripts.parsing import ParseError, decode_bytes, parse_transcript

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces that exercise the parser's special cases: labels of every shape, timestamps,
# Markdown, stage directions, front-matter fences, furniture markers, odd newlines.
PIECES = st.sampled_from([
    "LAGON:", "Q:", "OPERATOR:", "MR. LEHRER:", "Jane Doe:", "**JANE DOE:**", "**Jane Doe**:",
    "JANE DOE (Acme):", "[00:01:23]", "(00:01:23)", "[01:23]", "(Laughs.)", "(laughs)", "(IREX)",
    "(", ")", "[", "]", "**", "---", "title:", "date:", "participants:", "- name: X", "  label: Y",
    "\n", "\n\n", "\n\n\n", "\r", "\r\n", " ", ":", "Top Stories on CFR", "Related", "©",
    "Our next question will be from Peter Galbraith.", "I'm Mark Lagon.", "invite members",
    "Thursday, February 17, 2022", "REUTERS/Go Nakamura", "\ufeff", "\x00", "\u2028", "ß", "İ",
])
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
