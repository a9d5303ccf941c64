"""Transcript layouts other than CFR's, each on a fixture in tests/fixtures/."""

import codecs
import datetime
from pathlib import Path

import pytest

from tests.conftest import SAMPLE
from transcripts.parsing import (
    DISCUSSION,
    HOST,
    PANELIST,
    PRESIDER,
    PROCEDURAL,
    QA,
    QUESTION,
    QUESTIONER,
    ParseError,
    decode_bytes,
    parse_transcript,
    split_stage_directions,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def load(name):
    return (FIXTURES / name).read_text(encoding="utf-8")


def parse(name):
    return parse_transcript(load(name))


def names(t):
    return {turn.label: t.participant(turn.speaker).name for turn in t.turns if turn.speaker}


def test_honorific_labels():
    t = parse("honorific_labels.txt")
    assert [turn.label for turn in t.turns] == ["MR. LEHRER", "MS. SMITH", "DR. JONES", "MR. LEHRER", "MS. SMITH"]
    # "Mr. Jim Lehrer" in the text; "I'm Amy Jones"; nothing says who Ms. Smith is.
    assert names(t) == {"MR. LEHRER": "Jim Lehrer", "MS. SMITH": "Smith", "DR. JONES": "Amy Jones"}
    assert "Label 'MS. SMITH' could not be matched to a full name; it will be shown as 'Smith'." in t.warnings
    assert t.date == datetime.date(1998, 3, 3) and t.title == "The Future of Public Broadcasting"
    # The hard-wrapped first paragraph is one paragraph.
    assert (
        t.turns[0]
        .paragraphs[0]
        .text.endswith("who know the business. Mr. Lehrer is not the only one with opinions here, of course.")
    )


def test_mixed_case_labels_and_false_positives():
    t = parse("mixed_case_labels.txt")
    assert [turn.label for turn in t.turns] == ["Jane Doe", "Richard Roe", "Jane Doe", "Richard Roe"]
    first = t.turns[0]
    # "Note:", "Question:", "Yes:" inside speech stay speech.
    assert [p.text for p in first.paragraphs] == [
        "Welcome, everyone. Today we talk about maps. Note: this conversation is being recorded.",
        "Question: why do maps matter? That is what we want to know. Yes: and no.",
    ]
    # A mixed-case "label" seen only once is speech, and the parser says so.
    assert "Good Morning: a greeting" in t.turns[1].text
    assert any("'Good Morning:' starts a line only once" in w for w in t.warnings)
    assert names(t) == {"Jane Doe": "Jane Doe", "Richard Roe": "Richard Roe"}
    assert not any("could not be matched" in w for w in t.warnings)


def test_mixed_case_label_known_from_front_matter_counts_once():
    text = "---\nparticipants:\n  - name: Ann Lee\n    role: presider\n---\nBOB KING: Hello.\n\nAnn Lee: Welcome.\n"
    t = parse_transcript(text)
    assert [turn.label for turn in t.turns] == ["BOB KING", "Ann Lee"]
    assert t.participant(t.turns[1].speaker).role == PRESIDER


def test_labels_with_affiliation():
    t = parse("affiliation_labels.txt")
    people = {p.name: p for p in t.participants}
    assert [turn.label for turn in t.turns] == ["JANE DOE", "JOHN ROE", "JANE DOE"]
    assert people["Jane Doe"].affiliation == "Acme Institute"
    assert people["John Roe"].affiliation == "University of Somewhere"
    assert t.turns[0].text == "Good afternoon. Our topic is water."
    assert t.warnings == []


@pytest.mark.parametrize("name", ["markdown_caps.md", "markdown_mixed.md"])
def test_markdown_bold_labels(name):
    t = parse(name)
    assert t.title == "Fusion Energy Outlook"
    assert [t.participant(turn.speaker).name for turn in t.turns][:3] == ["Jane Doe", "John Roe", "Jane Doe"]
    assert not any("**" in turn.label or turn.text.startswith("*") for turn in t.turns)
    assert t.turns[0].text == "Welcome to the discussion on fusion."


def test_markdown_inline_emphasis_is_not_shown_raw_and_note_stays_speech():
    t = parse("markdown_mixed.md")
    assert len(t.turns) == 4
    assert t.turns[1].text == "Glad to be here. Note: this is important to say."


def test_caps_and_mixed_labels_for_one_name_are_one_participant():
    t = parse_transcript("**JANE DOE:** Hi.\n\n**Jane Doe**: Hi again.\n\n**Jane Doe**: Bye.\n\nBOB: Bye.\n")
    assert t.turns[0].speaker == t.turns[1].speaker == "Jane Doe"
    assert len([p for p in t.participants if p.name == "Jane Doe"]) == 1


def test_timestamps():
    t = parse("timestamps.txt")
    assert [(turn.label, turn.timestamp) for turn in t.turns] == [
        ("HOST", "00:00:05"),
        ("GRAY", "00:01:23"),
        ("GREEN", "00:02:10"),
        ("GRAY", "00:03:00"),
        ("GREEN", "00:04:05"),
    ]
    assert t.turns[0].text.startswith("Welcome to the show.")
    assert t.turns[2].text == "Sam, tell us more."
    assert t.turns[4].text == "Thanks."
    # Only timestamps at the label are taken out; one inside speech stays.
    assert t.turns[3].text == "Soil holds water. [03:15] is when I usually say that."
    assert not any("[00:" in turn.text or "(00:" in turn.text for turn in t.turns)
    # HOST introduces herself as Pat Green; GREEN is the same person. The label says host.
    host = t.participant(t.turns[0].speaker)
    assert host.name == "Pat Green" and host.role == HOST and t.turns[2].speaker == host.key
    assert t.participant(t.turns[1].speaker).name == "Sam Gray"


def test_hard_wrapped_lines_and_labels_without_blank_line():
    t = parse("hard_wrapped.txt")
    assert [turn.label for turn in t.turns] == ["ADAMS", "BAKER", "ADAMS"]
    assert [p.text for p in t.turns[0].paragraphs] == [
        "Thanks for joining. I'm Lee Adams, and I'll be presiding over this conversation about heat "
        "in cities, which is getting worse every summer.",
        "We have Kim Baker, who studies urban trees.",
    ]
    assert [p.text for p in t.turns[1].paragraphs] == [
        "Thank you. Trees cool streets by several degrees, and they do it cheaply.",
        "They also need water.",
    ]
    assert t.turns[2].text == "Thanks, Kim."
    assert [(p.name, p.role) for p in t.participants] == [("Lee Adams", PRESIDER), ("Kim Baker", PANELIST)]


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_windows_and_old_mac_line_endings(newline):
    text = load("hard_wrapped.txt")
    assert parse_transcript(text.replace("\n", newline)).to_dict() == parse_transcript(text).to_dict()


def test_front_matter_overrides_header():
    t = parse("front_matter.txt")
    assert t.title == "Combating Human Trafficking"  # not the header line
    assert t.date == datetime.date(2022, 2, 17)
    assert t.organiser == "Council on Foreign Relations"
    assert t.source_url == "https://www.cfr.org/event/combating-human-trafficking"
    assert t.media_url == "https://www.youtube.com/watch?v=example"
    assert t.topics == ["Human trafficking", "Modern slavery"]
    assert t.description == "Panelists examine efforts to combat human trafficking, and how to raise awareness."
    people = [(p.name, p.label, p.role, p.title) for p in t.participants]
    assert people == [
        ("Mark Lagon", "LAGON", PRESIDER, "Chief Policy Officer, Friends of the Global Fight"),
        ("Susan Coppedge", "COPPEDGE", PANELIST, "Senior Counsel, Krevolin & Horst"),
        ("Ann Quiet", "", PANELIST, ""),
    ]
    assert [t.participant(turn.speaker).name for turn in t.turns] == ["Mark Lagon", "Susan Coppedge"]
    assert t.warnings == []


def test_front_matter_unreadable_date_and_comma_topics():
    t = parse("front_matter_bad_date.txt")
    assert t.date is None
    assert "Could not read the date 'next Tuesday'; expected e.g. 2022-02-17." in t.warnings
    assert t.topics == ["Time", "Calendars"]
    assert t.organiser == "Calendar Society" and t.title == "Meeting About Dates"
    assert "Label 'SMITH' could not be matched to a full name; it will be shown as 'Smith'." in t.warnings


@pytest.mark.parametrize(
    "front, line",
    [
        ("---\ntitle: Fine\nthis is not a key\n---\n", 3),
        ("---\ntitle: Fine\nparticipants:\n  - name: A B\n    colour: blue\n---\n", 5),
        ("---\nparticipants:\n  just text\n---\n", 3),
    ],
)
def test_malformed_front_matter_names_the_line(front, line):
    with pytest.raises(ParseError, match=f"Front matter line {line} "):
        parse_transcript(front + "SMITH: Hello.\n")


def test_unclosed_front_matter():
    with pytest.raises(ParseError, match="no closing '---'"):
        parse_transcript("---\ntitle: X\nSMITH: Hello.\n")


def test_front_matter_participant_without_name():
    with pytest.raises(ParseError, match="participant 1 has no 'name:'"):
        parse_transcript("---\nparticipants:\n  - label: SMITH\n---\nSMITH: Hello.\n")


def test_generic_page_furniture():
    t = parse("furniture_generic.txt")
    assert t.turns[-1].text == "Thank you all for coming."
    assert "Dropped 2 paragraphs of page furniture after the last turn, starting 'Related Events'." in t.warnings


def test_heading_after_gap_is_furniture_but_speech_after_gap_is_kept():
    base = "ADAMS: Hello there, everyone.\n\nBAKER: Hi.\n\nADAMS: Goodbye and thanks.\n\n\n"
    cut = parse_transcript(base + "Explore Our Latest Reports\n\nSome teaser text.\n")
    assert cut.turns[-1].text == "Goodbye and thanks."
    assert any(w.startswith("Dropped 2 paragraphs of page furniture") for w in cut.warnings)
    kept = parse_transcript(base + "and one more thing before we go, thank you.\n")
    assert kept.turns[-1].paragraphs[-1].text == "and one more thing before we go, thank you."
    assert not any("Dropped" in w for w in kept.warnings)
    assert any(w.startswith("Possible page furniture kept at the end of the last turn (line 8") for w in kept.warnings)


def test_invitation_announced_for_later_does_not_start_qa():
    t = parse_transcript(
        "ADAMS: Welcome. I'm Lee Adams and I'll be moderating. We will talk with Kim Baker, and then "
        "we'll open it up to questions from members later on.\n\n"
        "BAKER: Thanks, Lee.\n\n"
        "ADAMS: And now let's open it up to questions. Operator?\n\n"
        "OPERATOR: Our first question will be from Robin Cole.\n\n"
        "Q: Hello.\n"
    )
    assert [turn.section for turn in t.turns] == [DISCUSSION, DISCUSSION, QA, QA, QA]


def test_generic_and_role_labels():
    t = parse_transcript(
        "MODERATOR: Good morning, I'm Pat Green. Today: soil.\n\n"
        "SPEAKER 2: Thanks.\n\nAUDIENCE MEMBER: Why soil?\n\nMODERATOR: Good question.\n"
    )
    moderator = t.participant(t.turns[0].speaker)
    assert (moderator.name, moderator.label, moderator.role) == ("Pat Green", "MODERATOR", PRESIDER)
    assert [t.participant(turn.speaker).name for turn in t.turns[1:3]] == ["Speaker 2", "Audience Member"]
    assert "Label 'SPEAKER 2' does not name a person; it will be shown as 'Speaker 2'." in t.warnings


def test_qa_fallback_and_unannounced_question():
    t = parse("qa_fallback.txt")
    assert [turn.section for turn in t.turns] == [DISCUSSION, DISCUSSION, QA, QA, QA, QA, QA]
    assert t.turns[2].kind == QUESTION and t.turns[2].speaker == "Questioner"
    questioner = t.participant("Questioner")
    assert (questioner.role, questioner.label, questioner.generic) == (QUESTIONER, "Q", True)
    assert any(w.startswith("Q turn 3 ('What about the budget?") and "no announced questioner" in w for w in t.warnings)
    robin = t.participant(t.turns[5].speaker)
    assert (robin.name, robin.role, robin.label, robin.affiliation) == ("Robin Cole", QUESTIONER, "Q", "Daily Ledger")
    assert t.turns[4].kind == PROCEDURAL


def test_stage_direction_rule():
    def kinds(text):
        return [(s.kind, s.text) for s in split_stage_directions(text)]

    assert kinds("It’s a—(laughs)—I don’t") == [("speech", "It’s a—"), ("stage", "(laughs)"), ("speech", "—I don’t")]
    for stage in [
        "(Laughs.)",
        "(Laughter.)",
        "(Applause.)",
        "(Inaudible.)",
        "(audio break)",
        "(crosstalk)",
        "(Gives queuing instructions.)",
        "(Off mic.)",
        "(Pause.)",
        "[inaudible]",
        "(Video clip.)",
        "(Technical difficulties.)",
        "(Break in audio.)",
        "(Shows slide.)",
        "(Speaking in Spanish.)",
    ]:
        assert kinds(stage) == [("stage", stage)], stage
    for speech in [
        "(IREX)",
        "(2015–2017)",
        "(Thomas.)",
        "(Acme Institute.)",
        "(sic)",
        "(see above)",
        "[Ed.]",
        "(00:01:23)",
    ]:
        assert kinds("x " + speech) == [("speech", "x " + speech)], speech
    assert kinds("") == [("speech", "")]


def test_stage_only_turn_is_procedural():
    t = parse_transcript("ADAMS: Hello, I'm Lee Adams.\n\nBAKER: (Laughter.)\n\nADAMS: Indeed.\n")
    assert [turn.kind for turn in t.turns] == ["remark", "procedural", "remark"]


def test_no_speaker_turns_is_an_error():
    with pytest.raises(ParseError) as error:
        parse_transcript("Just some prose.\n\nNote: nothing here is a label.\nQuestion: is it?\n")
    assert str(error.value) == (
        "No speaker turns found: the parser looks for lines that start with a speaker label such as "
        "'LAGON:' or 'Jane Doe:'. Check the file is a transcript, or add labels."
    )


@pytest.mark.parametrize("text", ["", "   \n\n\t  ", "\ufeff"])
def test_empty_text_is_an_error(text):
    with pytest.raises(ParseError, match="empty"):
        parse_transcript(text)


# decode_bytes ---------------------------------------------------------------


def test_decode_utf8_with_and_without_bom():
    text = "LAGON: It’s “fine” — really.\n"
    assert decode_bytes(text.encode("utf-8")) == (text, [])
    assert decode_bytes(codecs.BOM_UTF8 + text.encode("utf-8")) == (text, [])


def test_decode_windows_1252_with_warning():
    text = "LAGON: It’s “fine” — really.\n"
    decoded, warnings = decode_bytes(text.encode("cp1252"))
    assert decoded == text
    assert warnings == ["The file is not UTF-8; it was read as Windows-1252. Check curly quotes and dashes."]


def test_decode_utf16_with_bom():
    text = "LAGON: Hello.\n"
    decoded, warnings = decode_bytes(text.encode("utf-16"))
    assert decoded == text and len(warnings) == 1


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"  \n\r\n ", "empty"),
        (b"LAGON: hi\x00\x00there", "NUL bytes"),
        (b"PK\x03\x04\x14\x00\x06\x00word/document.xml", "ZIP archive"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
        (b"{\\rtf1\\ansi hello}", "RTF"),
        (b"LAGON: caf\xc3 \x81\x8d\x8f", "neither UTF-8 nor Windows-1252"),
        (bytes(range(1, 32)) * 20, "binary"),
        (b"\xef\xbb\xbfLAGON: \xff\xfe", "marked as UTF-8"),
    ],
)
def test_decode_rejects_with_a_clear_message(data, message):
    with pytest.raises(ParseError, match=message):
        decode_bytes(data)


def test_decode_then_parse_sample():
    sample = SAMPLE
    text, warnings = decode_bytes(sample.read_bytes())
    assert warnings == [] and len(parse_transcript(text).turns) == 63


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2022-02-17", datetime.date(2022, 2, 17)),
        ("Thursday, February 17, 2022", datetime.date(2022, 2, 17)),
        ("February 17, 2022", datetime.date(2022, 2, 17)),
        ("Feb. 17, 2022", datetime.date(2022, 2, 17)),
        ("17 February 2022", datetime.date(2022, 2, 17)),
        ('"2022-02-17"', datetime.date(2022, 2, 17)),
        ("02/17/2022", None),
        ("next Tuesday", None),
        ("February 30, 2022", None),
    ],
)
def test_front_matter_dates(text, expected):
    t = parse_transcript(f"---\ndate: {text}\n---\nSMITH: Hello.\n")
    assert t.date == expected
    assert any("Could not read the date" in w for w in t.warnings) == (expected is None)
