"""The label grammar on small inputs: every label shape the parser reads, rare labels by
shape, the review API (rejected labels, choices, warnings) and roles stated by the text."""

import io
import json

import pytest
from django.core.management import call_command

from transcripts.parsing import (
    HOST,
    OPERATOR,
    OTHER,
    PANELIST,
    PRESIDER,
    QUESTION,
    QUESTIONER,
    LabelChoices,
    parse_transcript,
)


def labels(text, **kwargs):
    return [t.label for t in parse_transcript(text, **kwargs).turns]


def paragraphs(*parts):
    return "\n\n".join(parts) + "\n"


def test_names_with_initials():
    text = paragraphs(
        "George HW Bush: Hello.",
        "Kent C. Dodds: Hi.",
        "James Q Quick: Hey.",
        "George HW Bush: Bye.",
        "Kent C. Dodds: Bye.",
        "James Q Quick: Bye.",
    )
    result = parse_transcript(text)
    assert [t.label for t in result.turns] == ["George HW Bush", "Kent C. Dodds", "James Q Quick"] * 2
    assert {p.name for p in result.participants} == {"George HW Bush", "Kent C. Dodds", "James Q Quick"}


def test_rare_labels_sharing_the_documents_shape_are_speakers():
    """Every paragraph opens with a mixed-case name: a name said once is a speaker too,
    and so is a role label with lower-case words."""
    text = paragraphs(
        "Edwin Newman: Good evening.",
        "Gerald R Ford: Thank you.",
        "Edwin Newman: Governor?",
        "Jimmy E Carter: Thanks.",
        "Announcer offscreen: We have lost the audio.",
        "Audience questioner: What about taxes?",
        "Edwin Newman: Mr. President: go on.",
        "Gerald R Ford: Well.",
        "Jimmy E Carter: Yes.",
    )
    result = parse_transcript(text)
    assert [t.label for t in result.turns] == [
        "Edwin Newman",
        "Gerald R Ford",
        "Edwin Newman",
        "Jimmy E Carter",
        "Announcer offscreen",
        "Audience questioner",
        "Edwin Newman",
        "Gerald R Ford",
        "Jimmy E Carter",
    ]
    roles = {p.label: p.role for p in result.participants}
    assert roles["Audience questioner"] == QUESTIONER and roles["Announcer offscreen"] == OTHER
    assert result.turns[6].text == "Mr. President: go on."  # a colon inside speech is speech


def test_a_rare_mixed_label_in_a_capitals_transcript_stays_speech_and_is_reported():
    text = paragraphs("ADAMS: Welcome.", "BAKER: Thanks.", "ADAMS: Now then.\nGood Morning: a greeting.", "BAKER: Yes.")
    result = parse_transcript(text)
    assert [t.label for t in result.turns] == ["ADAMS", "BAKER", "ADAMS", "BAKER"]
    assert result.turns[2].text == "Now then. Good Morning: a greeting."
    rejected = result.to_dict()["rejected_labels"]
    assert rejected == [{"label": "Good Morning", "count": 1, "example": "Good Morning: a greeting.", "line_no": 6}]


@pytest.mark.parametrize("gap", ["\u00a0", "\u00a0 ", "     ", "\t"])
def test_labels_followed_by_no_break_or_several_spaces(gap):
    assert labels(paragraphs(f"ANN LEE:{gap}Hello.", f"BO PARK:{gap}Hi.")) == ["ANN LEE", "BO PARK"]


def test_q_and_a_without_colon_and_a_label_written_once_without_colon():
    text = paragraphs(
        "MS. SCURRY: We won.",
        "Q\u00a0\u00a0\u00a0Did you?",
        "MS. SCURRY:  Yes.",
        "PARTICIPANT:  Great.",
        "PARTICIPANT  Win stuff.",
        "MS. SCURRY: Indeed.",
        "NOTE  this line has no colon and no colon label",
    )
    result = parse_transcript(text)
    assert [t.label for t in result.turns] == [
        "MS. SCURRY",
        "Q",
        "MS. SCURRY",
        "PARTICIPANT",
        "PARTICIPANT",
        "MS. SCURRY",
    ]
    assert result.turns[1].kind == QUESTION and result.turns[1].text == "Did you?"
    assert result.turns[-1].text.endswith("NOTE  this line has no colon and no colon label")


def test_mc_de_capitals_and_curly_apostrophes():
    text = paragraphs("MR. McNALLY: One.", "Mr. DeLAY: Two.", "MS. O’HARA: Three.", "LIAM McLAUGHLIN: Four.")
    assert labels(text) == ["MR. McNALLY", "Mr. DeLAY", "MS. O’HARA", "LIAM McLAUGHLIN"]


def test_period_labels_with_a_place_and_a_presiding_officers_parenthetical():
    text = paragraphs(
        "  Mr. BROWN of Ohio. Mr. President, I rise today.",
        "  The PRESIDING OFFICER (Mr. Graham). The Senator from Ohio.",
        "  Mr. BROWN of Ohio. Thank you.",
        "  Mr. Chairman, this paragraph continues Mr. Brown.",
        "  Mr. REED addressed the Chair.",
        "  The PRESIDING OFFICER. The Senator from Rhode Island.",
        "  Mr. REED. Thank you.",
    )
    result = parse_transcript(text)
    assert [t.label for t in result.turns] == [
        "Mr. BROWN of Ohio",
        "The PRESIDING OFFICER",
        "Mr. BROWN of Ohio",
        "The PRESIDING OFFICER",
        "Mr. REED",
    ]
    assert [p.text for p in result.turns[2].paragraphs] == [
        "Thank you.",
        "Mr. Chairman, this paragraph continues Mr. Brown.",
        "Mr. REED addressed the Chair.",
    ]
    assert result.turns[2].paragraphs[2].segments[0].kind == "stage"
    officer = result.participant(result.turns[1].speaker)
    assert (officer.name, officer.role) == ("The Presiding Officer", PRESIDER)


def test_forced_and_refused_labels():
    text = paragraphs(
        "ADAMS: Welcome.", "BAKER: Thanks.", "Good Morning: a greeting.", "NOTE: not a person.", "ADAMS: Bye."
    )
    assert labels(text) == ["ADAMS", "BAKER", "NOTE", "ADAMS"]
    chosen = labels(text, choices=LabelChoices(force={"Good Morning"}, refuse={"NOTE"}))
    assert chosen == ["ADAMS", "BAKER", "Good Morning", "ADAMS"]
    result = parse_transcript(text, choices=LabelChoices(refuse={"NOTE"}))
    assert result.turns[1].text == "Thanks.\n\nGood Morning: a greeting.\n\nNOTE: not a person."
    assert {r.label for r in result.label_candidates} == {"Good Morning", "NOTE"}


def test_one_speaker_holding_most_words_with_many_unread_labels_is_warned_about():
    # The names start lines inside HOST's paragraph, not paragraphs, so they are not taken.
    text = (
        "HOST: "
        + "words " * 200
        + "".join(f"\n{name}: a line." for name in ("Ann Lee", "Bo Park", "Cy Dunn", "Di Ewe", "Ed Fox", "Flo Gee"))
        + "\n"
    )
    result = parse_transcript(text)
    assert labels(text) == ["HOST"]
    assert any(
        w.startswith("'HOST' holds 100% of the words, and 6 label-like line starts were not read as speakers")
        for w in result.warnings
    )
    assert len(result.label_candidates) == 6


def test_a_label_starting_only_one_turn_is_warned_about_in_a_long_transcript():
    turns = [f"{'ADAMS' if i % 2 else 'BAKER'}: line {i}." for i in range(12)] + ["COLE: Once."]
    result = parse_transcript(paragraphs(*turns))
    assert any(w.startswith("These labels start only one turn each: 'COLE'.") for w in result.warnings)
    short = parse_transcript(paragraphs("ADAMS: Hi.", "COLE: Once."))
    assert not any("only one turn" in w for w in short.warnings)  # in a short exchange that is normal


def test_roles_come_only_from_what_the_text_says():
    result = parse_transcript(
        paragraphs(
            "HOST: Welcome to the show, I'm your host.",
            "MODERATOR: Thanks.",
            "DIRECTOR YOUNG: An answer.",
            "OPERATOR: Next caller.",
            "Q: A question?",
            "AUDIENCE MEMBER: Another?",
            "HOST: Bye.",
        )
    )
    roles = {p.label: p.role for p in result.participants}
    assert roles == {
        "HOST": HOST,
        "MODERATOR": PRESIDER,
        "OPERATOR": OPERATOR,
        "AUDIENCE MEMBER": QUESTIONER,
        "DIRECTOR YOUNG": PANELIST,
        "Q": QUESTIONER,  # the unnamed questioner, a speaker of this event only
    }
    podcast = parse_transcript(
        paragraphs(
            "Jerod Santo: I'm Jerod Santo, your host.", "Adam Argyle: Hi.", "Jerod Santo: Bye.", "Adam Argyle: Bye."
        )
    )
    assert HOST not in {p.role for p in podcast.participants}  # "your host" in speech is too weak


def test_header_says_who_hosts():
    result = parse_transcript("Rivers Podcast\n\nHost: Ann Lee\n\nANN LEE: Welcome.\n\nBO PARK: Hi.\n")
    roles = {p.name: p.role for p in result.participants}
    assert roles["Ann Lee"] == HOST and roles["Bo Park"] != HOST


def test_command_takes_review_choices_and_prints_the_new_fields(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text(paragraphs("ADAMS: Welcome.", "BAKER: Thanks.", "Good Morning: a greeting.", "ADAMS: Bye."))
    out = io.StringIO()
    call_command("parse_transcript", str(path), "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert [t["label"] for t in data["turns"]] == ["ADAMS", "BAKER", "ADAMS"]
    assert data["rejected_labels"][0]["label"] == "Good Morning"
    assert [t["start_seconds"] for t in data["turns"]] == [None, None, None]
    out = io.StringIO()
    call_command(
        "parse_transcript", str(path), "--json", "--speaker", "Good Morning", "--not-speaker", "BAKER", stdout=out
    )
    data = json.loads(out.getvalue())
    assert [t["label"] for t in data["turns"]] == ["ADAMS", "Good Morning", "ADAMS"]
    assert data["turns"][0]["paragraphs"][1]["text"] == "BAKER: Thanks."


def test_one_word_labels_need_several_paragraph_starts():
    text = paragraphs(
        "Interviewer: Hi.",
        "Smith: Hello.",
        "Interviewer: So?",
        "Smith: Well.",
        "Interviewer: Bye.",
        "Smith: Bye.\nSenate: a wrapped line, not a label.",
    )
    result = parse_transcript(text)
    assert [t.label for t in result.turns] == ["Interviewer", "Smith"] * 3
    assert result.turns[-1].text == "Bye. Senate: a wrapped line, not a label."
    assert {p.label: p.role for p in result.participants}["Interviewer"] == PRESIDER
    numbered = paragraphs(
        "Speaker 1: Hi.",
        "Speaker 2: Hello.",
        "Speaker 1: So?",
        "Speaker 2: Well.",
        "Speaker 1: Bye.",
        "Speaker 2: Bye.",
    )
    assert labels(numbered) == ["Speaker 1", "Speaker 2"] * 3
    assert labels(paragraphs("ADAMS: Hi.", "Smith: Hello.", "ADAMS: Bye.", "Smith: Bye.")) == ["ADAMS", "ADAMS"]


def test_npr_name_and_role_labels_then_surnames():
    result = parse_transcript(
        paragraphs(
            "STEVE INSKEEP, HOST: Good morning, I'm Steve Inskeep.",
            "(SOUNDBITE OF MUSIC)",
            "INSKEEP: Our reporter is Jane Roe.",
            "JANE ROE, BYLINE: Thanks, Steve.",
            "INSKEEP: Bye.",
        )
    )
    assert [t.label for t in result.turns] == ["STEVE INSKEEP, HOST", "INSKEEP", "JANE ROE, BYLINE", "INSKEEP"]
    host = result.participant(result.turns[0].speaker)
    assert (host.name, host.role) == ("Steve Inskeep", HOST) and result.turns[1].speaker == host.key
    assert result.participant(result.turns[2].speaker).name == "Jane Roe"


def test_a_time_in_parentheses_is_a_timestamp_not_an_affiliation():
    result = parse_transcript(paragraphs("ANN LEE (00:01:23): Hello.", "BO PARK (Acme Institute) [00:02:00]: Hi."))
    assert [(t.label, t.start_seconds) for t in result.turns] == [("ANN LEE", 83.0), ("BO PARK", 120.0)]
    assert [p.affiliation for p in result.participants] == ["", "Acme Institute"]


def test_deposition_q_and_a_with_a_period_and_two_spaces():
    text = paragraphs("MR. SMITH: Let us begin.", "Q.  Where were you?", "A.  At home.", "Q.  Alone?", "A.  Yes.")
    result = parse_transcript(text)
    assert [t.label for t in result.turns] == ["MR. SMITH", "Q", "A", "Q", "A"]
    assert [t.kind for t in result.turns[1:]] == [QUESTION, "remark", QUESTION, "remark"]


def test_record_capitals_after_mc_and_de_are_title_cased_in_names():
    text = paragraphs(
        "  Mr. McCONNELL. Mr. President, I rise.",
        "  Mr. DeLAY. I yield.",
        "  Mr. McCONNELL. Thanks.",
        "  Mr. DeLAY. Indeed.",
    )
    assert [p.name for p in parse_transcript(text).participants] == ["McConnell", "DeLay"]
