"""Captions reading and the word alignment, without the database."""

import pytest

from tests.conftest import CORPUS, corpus_path
from transcripts.devtools import alignment_harness as harness
from transcripts.media.alignment import align, tokens
from transcripts.media.captions import CaptionsError, TimedWord, decode_captions, parse_cues, read_words
from transcripts.media.timecode import format_clock, parse_clock, parse_offset


@pytest.fixture
def corpus_present():
    """The debate's transcript and captions from the corpus: a loud skip without it, a failure in CI."""
    corpus_path(harness.TRANSCRIPT)
    corpus_path(harness.CAPTIONS)


def test_tokens_drop_case_accents_and_punctuation():
    assert tokens("Don't — St. Louis! Zień's town-hall, $28 billion") == [
        "dont",
        "st",
        "louis",
        "ziens",
        "town",
        "hall",
        "28",
        "billion",
    ]


def test_webvtt_voices_and_zoom_prefixes_give_the_speaker():
    vtt = (
        "WEBVTT\n\n00:00:01.500 --> 00:00:03.000\n<v Ann Lee>Hello there</v>\n\n"
        "00:01:03.250 --> 00:01:04.000\nBob Roe: Good evening\n"
    )
    cues = [cue for cue, _ in parse_cues(vtt)]
    assert [(c.start, c.speaker, c.text) for c in cues] == [
        (1.5, "Ann Lee", "Hello there"),
        (63.25, "Bob Roe", "Good evening"),
    ]


def test_subrip_times_keep_their_milliseconds():
    srt = (
        "1\n00:00:02,250 --> 00:00:04,000\nCHARLES GIBSON: Good evening from\n\n"
        "2\n01:00:00,500 --> 01:00:01,000\nSt. Louis\n"
    )
    words = read_words(srt, "x.srt")
    assert [(w.text, w.start) for w in words] == [
        ("Good", 2.25),
        ("evening", 2.25 + 1.75 / 3),
        ("from", 2.25 + 3.5 / 3),
        ("St.", 3600.5),
        ("Louis", 3600.75),
    ]


def test_youtube_word_timings_and_rolling_lines_give_each_word_once():
    vtt = (
        "WEBVTT\nKind: captions\nLanguage: en\n\n"
        "00:00:01.000 --> 00:00:03.000 align:start position:0%\n"
        "good<00:00:01.400><c> evening</c><00:00:01.900><c> everyone</c>\n\n"
        "00:00:03.000 --> 00:00:03.010 align:start position:0%\ngood evening everyone\n \n\n"
        "00:00:03.010 --> 00:00:05.000 align:start position:0%\ngood evening everyone\n"
        "welcome<00:00:03.500><c> to</c><00:00:03.800><c> st</c><00:00:04.100><c> louis</c>\n"
    )
    words = read_words(vtt, "auto.vtt")
    assert [(w.text, w.start, w.exact) for w in words] == [
        ("good", 1.0, True),
        ("evening", 1.4, True),
        ("everyone", 1.9, True),
        ("welcome", 3.01, True),
        ("to", 3.5, True),
        ("st", 3.8, True),
        ("louis", 4.1, True),
    ]


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "empty"),
        ("WEBVTT\n\nthis has no times at all\n", "no cues"),
        ("1\nnot a time --> at all\nhello\n", "no cues"),
    ],
)
def test_unreadable_captions_say_what_is_wrong(text, message):
    with pytest.raises(CaptionsError, match=message):
        read_words(text, "bad.srt")


def test_binary_and_windows_1252_uploads():
    with pytest.raises(CaptionsError, match="binary"):
        decode_captions(b"\x00\x01\x02WEBVTT")
    windows = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\ncaf\u00e9\n".encode("cp1252")
    assert decode_captions(windows).endswith("caf\u00e9\n")


def test_clock_and_offset_formats():
    assert parse_clock("[01:23:45]") == 5025 and parse_clock("12:34") == 754 and parse_clock("1:02:03.5") == 3723.5
    assert parse_clock("12:75") is None and parse_clock("hello") is None
    assert [parse_offset(v) for v in ("754", "754.5", "12m34s", "1h2m3s", "12:34", "", "-5", "abc", "99999999")] == [
        754,
        754.5,
        754,
        3723,
        754,
        None,
        None,
        None,
        None,
    ]
    assert format_clock(754.9) == "12:34" and format_clock(3723) == "1:02:03" and format_clock(5) == "0:05"


def _words(text: str, start: float, step: float = 0.5) -> list[TimedWord]:
    return [TimedWord(w, start + i * step, False) for i, w in enumerate(text.split())]


def test_misheard_words_and_missing_stretches():
    first = "thank you all for coming tonight to this discussion of the river barge anchorages"
    second = "the barges would anchor near the palisades and residents worry about noise and light at night"
    third = "we will now take questions from the audience starting with the gentleman in the front row"
    # The captions mishear two words of the first turn, lose the second turn entirely, then go on.
    captions = _words(first.replace("coming", "combing").replace("anchorages", "anchor ages"), 10.0)
    captions += _words(third, 40.0)
    result = align([[first], [second], [third]], captions)
    assert result.turn_starts[0] == pytest.approx(10.0)
    assert result.turn_starts[1] is None  # nothing near it in the captions: no time rather than a wrong one
    assert result.turn_starts[2] == pytest.approx(40.0, abs=0.5)  # its first word is guessed from the next


def test_first_word_misheard_is_interpolated_from_its_neighbours():
    one = "and so the committee recommends that the board approve the budget as presented today"
    two = "objection noted the clerk will record the vote of each member present in the chamber"
    captions = _words(one, 0.0) + _words("abjection " + " ".join(two.split()[1:]), 8.0)
    result = align([[one], [two]], captions)
    assert result.turn_starts[1] == pytest.approx(8.0, abs=0.6)


def test_paragraph_starts_and_stage_only_paragraphs():
    result = align(
        [["alpha beta gamma delta epsilon zeta", "", "eta theta iota kappa lambda mu"]],
        _words("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu", 100.0),
    )
    assert result.paragraph_starts == [[100.0, None, 103.0]]
    assert result.turn_starts == [100.0]


@pytest.mark.usefixtures("corpus_present")
@pytest.mark.parametrize("seed", [13, 7])
def test_corpus_debate_aligned_to_noisy_captions(seed):
    """The St. Louis debate's plain transcript aligned to recogniser-like captions made from
    its Zoom export (lower case, no punctuation, ~7% of words misheard or lost, one minute
    missing): at least 95% of the 162 turns start within 2 s of the truth, in under 2 s."""
    result = harness.run(CORPUS, seed=seed)
    assert result.turns == 162
    assert 5.0 <= result.changed_or_dropped_percent <= 10.0
    assert result.within_2s / result.turns >= 0.95, result
    assert result.align_seconds < 2.0, result


@pytest.mark.usefixtures("corpus_present")
def test_benchmark_alignment_rows(tmp_path):
    from transcripts.devtools.benchmark import alignment_rows

    rows = {row.name: row for row in alignment_rows(CORPUS, repeat=2)}
    assert len(rows["alignment: turns within 2 s of the truth"].samples) == 2
    assert rows["alignment: turns within 2 s of the truth"].median >= 95
    assert rows["alignment: align a 111-minute event"].median < 2000
    assert rows["alignment: turns timed (noisy captions)"].extra["turns"] == 162
    assert alignment_rows(tmp_path, repeat=2) == []  # no corpus: no rows, no error


@pytest.mark.usefixtures("corpus_present")
@pytest.mark.parametrize(
    "export", ["services-2004-10-08-st-louis-captions.srt", "services-2004-10-08-st-louis-teams.vtt"]
)
def test_real_caption_exports_time_every_debate_turn(export):
    """The same debate's SubRip and Teams WebVTT exports (other cue cuts, speakers as
    `NAME:` prefixes or <v> voices) time each plain-transcript turn at the Zoom truth."""
    turns = harness.read_plain_turns((CORPUS / harness.TRANSCRIPT).read_text(encoding="utf-8"))
    truth = harness.true_starts((CORPUS / harness.CAPTIONS).read_text(encoding="utf-8"))
    result = align([[text] for _, text in turns], read_words(corpus_path(export).read_text(encoding="utf-8"), export))
    errors = [abs(got - want) for got, (_, want) in zip(result.turn_starts, truth) if got is not None]
    assert len(errors) == 162 and max(errors) <= 2.0
