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
from transcripts.parsing.labels import label_shape, match_label_line, normalise_timestamp, timestamp_seconds


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


# --- Text layouts and label shapes of real transcripts (small fixtures, not corpus copies) ---


def test_name_colon_text_with_no_space_and_an_operator_who_announces_a_speaker_used_once():
    text = paragraphs(
        "Operator:Good day. I would now like to hand the call over to Ann Lee from Acme.",
        "Ann Lee:Thank you. Joining me is Bo Park.",
        "Bo Park:Thanks, Ann. Revenue grew.",
        "Operator:Our first question comes from Cy Diaz.",
        "Cy Diaz:Congratulations. What about margins?",
        "Bo Park:Margins grew too.",
        "Operator:Thank you.",
    )
    result = parse_transcript(text)
    assert [t.label for t in result.turns] == [
        "Operator",
        "Ann Lee",
        "Bo Park",
        "Operator",
        "Cy Diaz",
        "Bo Park",
        "Operator",
    ]
    assert result.turns[1].text == "Thank you. Joining me is Bo Park."
    assert result.label_candidates == []


def test_a_name_used_once_and_never_announced_stays_speech_and_is_listed():
    text = paragraphs(
        "Ann Lee: Hello.",
        "Bo Park: Hi. I read a lot of old books.",
        "They made me laugh.",
        "Some were long.",
        "Some were short.",
        "One line stayed with me.",
        "Mark Twain: Quit while you are ahead.",
        "I never did.",
        "Ann Lee: Ha.",
        "Bo Park: Indeed.",
    )
    result = parse_transcript(text)
    assert [t.label for t in result.turns] == ["Ann Lee", "Bo Park", "Ann Lee", "Bo Park"]
    assert result.turns[1].paragraphs[5].text == "Mark Twain: Quit while you are ahead."
    assert [(r.label, r.count) for r in result.label_candidates] == [("Mark Twain", 1)]


def test_record_fields_and_glossary_entries_are_not_speakers():
    text = paragraphs(
        "URL: https://example.org/call",
        "Characters: 66435",
        "ARR (Annual Recurring Revenue): a metric.",
        "ANN LEE: Welcome.",
        "BO PARK: Thanks.",
    )
    result = parse_transcript(text)
    assert [t.label for t in result.turns] == ["ANN LEE", "BO PARK"]
    assert {r.label for r in result.label_candidates} == {"URL", "Characters", "ARR"}


def test_full_width_colon_labels_alone_on_their_line_in_a_script_without_case():
    text = paragraphs(
        "主持人许波：",
        "    观众朋友们，欢迎收看。",
        "记者龚小夏：",
        "    郭先生，您好。",
        "郭文贵：",
        "    你好。",
        "记者龚小夏：请问您在哪里？",
        "刘亚星：",
        "    我在纽约。",
        "主持人许波：谢谢。",
    )
    result = parse_transcript(text)
    assert [t.label for t in result.turns] == [
        "主持人许波",
        "记者龚小夏",
        "郭文贵",
        "记者龚小夏",
        "刘亚星",
        "主持人许波",
    ]
    assert result.turns[3].text == "请问您在哪里？"
    assert result.turns[4].text == "我在纽约。"


def test_bold_name_then_a_bracketed_timestamp():
    text = paragraphs(
        "**Emma** [0:00] Today we talk.",
        "**Kelly** [0:18] Welcome. I'm Kelly.",
        "**Emma** [0:20] I'm Emma.",
        "**Kelly** [1:07] Bye.",
        "**Emma** [1:10] Bye.",
        "**Kelly** [1:12] Really, bye.",
    )
    result = parse_transcript(text)
    assert [(t.label, t.timestamp) for t in result.turns][:3] == [
        ("Emma", "00:00:00"),
        ("Kelly", "00:00:18"),
        ("Emma", "00:00:20"),
    ]
    assert result.turns[1].text == "Welcome. I'm Kelly."


def test_a_bold_phrase_used_once_is_not_a_speaker():
    text = paragraphs("ANN LEE: Hello.", "**Key point** this matters.", "BO PARK: Yes.")
    result = parse_transcript(text)
    assert [t.label for t in result.turns] == ["ANN LEE", "BO PARK"]
    assert "**Key point** this matters." in result.turns[0].text


def test_whisper_lines_with_timestamps_numbered_speakers_and_lower_case_handles():
    text = "\n".join(
        [
            "[00:16] SPEAKER_06: Happy birthday.",
            "[00:20] **kushti**: Cheers.",
            "[00:26] **qx()**: Six years.",
            "[00:29] **qx()**: Quite a feat.",
            "[00:34] kushti: Still a baby.",
            "[00:40] SPEAKER_06: Indeed.",
        ]
    )
    result = parse_transcript(text + "\n")
    assert [t.label for t in result.turns] == ["SPEAKER_06", "kushti", "qx()", "qx()", "kushti", "SPEAKER_06"]
    assert result.turns[2].start_seconds == 26.0


def test_a_lower_case_word_before_a_colon_is_speech_without_markup_or_timestamp():
    text = paragraphs("ANN LEE: Remember this.", "note: it was raining.", "note: it still is.", "BO PARK: Yes.")
    assert labels(text) == ["ANN LEE", "BO PARK"]


def test_voice_tags_in_plain_text_open_turns_even_mid_line():
    text = "\n\n".join(
        [
            "00:00:00 <v Michael Kennedy>Hello and welcome.",
            "00:00:05 <v Brian Okken>Hi. It is raining <v Michael Kennedy>outside, yes.",
            "00:00:09 <v Brian Okken>Indeed.",
        ]
    )
    result = parse_transcript(text + "\n")
    assert [(t.label, t.text) for t in result.turns] == [
        ("Michael Kennedy", "Hello and welcome."),
        ("Brian Okken", "Hi. It is raining"),
        ("Michael Kennedy", "outside, yes."),
        ("Brian Okken", "Indeed."),
    ]
    assert result.turns[1].timestamp == "00:00:05"


def test_a_page_with_lost_line_breaks_is_split_at_labels_set_off_by_spaces():
    words = " ".join(["Sitzung"] * 200)  # the run-on line is a whole page long
    line = (
        f"  Alterspräsident Dr. Heinz Riesenhuber:   Guten Morgen. {words} – Herr Kauder.  "
        "Volker Kauder (CDU/CSU):   Herr Alterspräsident, ich schlage vor.(Beifall)  "
        "Alterspräsident Dr. Heinz Riesenhuber:   Kollege Thierse?  "
        "Dr. h. c. Wolfgang Thierse (SPD):   Ja, ich nehme die Wahl an.  "
        "Alterspräsident Dr. Heinz Riesenhuber:   Danke."
    )
    result = parse_transcript("Deutscher Bundestag\n\n" + line + "\n")
    assert [t.label for t in result.turns] == [
        "Alterspräsident Dr. Heinz Riesenhuber",
        "Volker Kauder (CDU/CSU)",
        "Alterspräsident Dr. Heinz Riesenhuber",
        "Dr. h. c. Wolfgang Thierse (SPD)",
        "Alterspräsident Dr. Heinz Riesenhuber",
    ]
    assert result.turns[1].text == "Herr Alterspräsident, ich schlage vor.(Beifall)"
    assert result.turns[0].text.endswith("– Herr Kauder.")


def test_offices_with_the_holder_in_parentheses_wrapped_labels_and_articles():
    text = "\n".join(
        [
            "An Cathaoirleach: I call the Minister of State.",
            "Minister of State at the Department of Agriculture, Food and the Marine (Deputy",
            "Martin Heydon): I thank the Senator for raising this",
            "important issue.",
            "Senator Tim Lombard: I thank the Minister of State.",
            "Deputy Martin Heydon: It is important to state this.",
            "An Cathaoirleach: I welcome the Taoiseach.",
            "The Taoiseach: Thank you.",
            "Acting Chairperson (Senator Tim Lombard): Order.",
            "The Taoiseach: Indeed.",
        ]
    )
    result = parse_transcript(text + "\n")
    assert [t.label for t in result.turns] == [
        "An Cathaoirleach",
        "Minister of State at the Department of Agriculture, Food and the Marine (Deputy Martin Heydon)",
        "Senator Tim Lombard",
        "Deputy Martin Heydon",
        "An Cathaoirleach",
        "The Taoiseach",
        "Acting Chairperson (Senator Tim Lombard)",
        "The Taoiseach",
    ]
    assert result.turns[1].text == "I thank the Senator for raising this important issue."


def test_the_problem_used_once_with_a_colon_is_speech():
    text = paragraphs("ANN LEE: Hello.", "The Problem: nobody listens.", "BO PARK: True.")
    assert labels(text) == ["ANN LEE", "BO PARK"]


def test_court_examination_q_and_a_with_periods_and_by_headings():
    text = "\n".join(
        [
            "THE COURT: Call your witness.",
            "MR. FINKEL: The government calls Agent Roe.",
            "DIRECT EXAMINATION",
            "BY MR. FINKEL:",
            "Q. Good afternoon.",
            "A. Good afternoon.",
            "Q. Where do you work?",
            "A. At the FBI in New",
            "Haven.",
            "THE COURT: Cross?",
            "BY MS. SHROFF:",
            "Q. Hello.",
            "A. Hi.",
        ]
    )
    result = parse_transcript(text + "\n")
    assert [t.label for t in result.turns] == ["THE COURT", "MR. FINKEL"] + ["Q", "A"] * 2 + ["THE COURT", "Q", "A"]
    assert result.turns[5].text == "At the FBI in New Haven."
    assert [p.text for p in result.turns[1].paragraphs] == [
        "The government calls Agent Roe. DIRECT EXAMINATION",
        "BY MR. FINKEL:",
    ]
    assert {r.label: r.count for r in result.label_candidates} == {"BY MR. FINKEL": 1, "BY MS. SHROFF": 1}


def test_a_single_q_dot_line_is_not_an_examination():
    text = paragraphs("ANN LEE: The letter reads:", "Q. Smith wrote it.", "BO PARK: Yes.")
    result = parse_transcript(text)
    assert [t.label for t in result.turns] == ["ANN LEE", "BO PARK"]
    assert result.turns[0].paragraphs[1].text == "Q. Smith wrote it."


def test_audience_questions_written_q_dash_and_a_dash():
    text = paragraphs(
        "MODERATOR: Questions?", "Q - What about bikes?", "A - We like bikes.", "Q - And cars?", "A - Less."
    )
    assert labels(text) == ["MODERATOR", "Q", "A", "Q", "A"]


def test_q_turns_after_a_by_heading_are_the_examining_lawyers():
    text = "\n".join(
        [
            "THE COURT: Call your witness.",
            "MR. FINKEL: The government calls Agent Roe.",
            "BY MR. FINKEL:",
            "Q. Good afternoon.",
            "A. Good afternoon.",
            "MS. SHROFF: Objection.",
            "THE COURT: Overruled.",
            "Q. Where do you work?",
            "A. At the FBI.",
        ]
    )
    result = parse_transcript(text + "\n")
    finkel = next(p for p in result.participants if p.label == "MR. FINKEL")
    assert [t.speaker == finkel.key for t in result.turns if t.label == "Q"] == [True, True]
    assert not any("no announced questioner" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("header", "title", "confidence", "reason"),
    [
        ("Combating Human Trafficking", "Combating Human Trafficking", "high", ""),
        ("==========\nEarnings Call\n==========", "Earnings Call", "low", "rows of dashes"),
        ("UNITED STATES DISTRICT COURT", "UNITED STATES DISTRICT COURT", "low", "court's case heading"),
        ("Company: Acme\nTicker: ACME", "Company: Acme Ticker: ACME", "low", "list of fields"),
        ("panel_2021-03-04.txt", "panel_2021-03-04.txt", "low", "file name"),
        ("Thursday,", "Thursday,", "low", "single word or looks cut off"),
    ],
)
def test_a_doubtful_title_is_kept_marked_low_and_the_preview_is_told_why(header, title, confidence, reason):
    result = parse_transcript(paragraphs(header, "ANN LEE: Hello.", "BO PARK: Hi."))
    assert (result.title, result.title_confidence) == (title, confidence)
    doubts = [w for w in result.warnings if w.startswith("The title ")]
    assert (reason in doubts[0]) if reason else doubts == []
    assert result.to_dict()["title_confidence"] == confidence


def test_a_title_given_in_the_file_header_block_is_trusted_and_no_title_asks_in_staff_words():
    text = "---\ntitle: Rivers\n---\nUNITED STATES DISTRICT COURT\n\nANN LEE: Hello.\n\nBO PARK: Hi.\n"
    result = parse_transcript(text)
    assert (result.title, result.title_confidence) == ("Rivers", "high")
    untitled = parse_transcript(paragraphs("ANN LEE: Hello.", "BO PARK: Hi."))
    assert untitled.title_confidence == "none"
    assert any(w.startswith("No title found") and "front matter" not in w for w in untitled.warnings)


def test_a_speaker_cut_off_by_a_dash_run_and_a_label_used_elsewhere():
    text = (
        "An Cathaoirleach: Order.\n"
        "Senator Ann Lee: I am not being disorderly in pointing out----An Cathaoirleach: No.\n"
        "Senator Ann Lee: Fine.\n"
        "An Cathaoirleach: Thanks -- really.\n"
        "Senator Ann Lee: My view--Mark Twain: said no.\n"
    )
    assert [(t.label, t.text) for t in parse_transcript(text).turns] == [
        ("An Cathaoirleach", "Order."),
        ("Senator Ann Lee", "I am not being disorderly in pointing out----"),
        ("An Cathaoirleach", "No."),
        ("Senator Ann Lee", "Fine."),
        ("An Cathaoirleach", "Thanks -- really."),
        ("Senator Ann Lee", "My view--Mark Twain: said no."),
    ]


def test_labels_ending_in_a_spaced_dash_in_a_document_written_so():
    text = paragraphs("Ann Lee - Welcome.", "Bo Park - Thanks, Ann.", "Ann Lee - So - what now?", "Bo Park - New York.")
    assert [(t.label, t.text) for t in parse_transcript(text).turns] == [
        ("Ann Lee", "Welcome."),
        ("Bo Park", "Thanks, Ann."),
        ("Ann Lee", "So - what now?"),
        ("Bo Park", "New York."),
    ]


def test_dash_lines_in_a_colon_document_stay_speech_and_are_listed():
    text = paragraphs("ANN LEE: Welcome.", "BO PARK: Thanks.", "New York - big.", "New York - again.", "ANN LEE: Ok.")
    result = parse_transcript(text)
    assert [t.label for t in result.turns] == ["ANN LEE", "BO PARK", "ANN LEE"]
    assert [(r.label, r.count) for r in result.label_candidates] == [("New York", 2)]


def test_a_leading_initial_with_or_without_its_period():
    text = paragraphs("J Smith: Hello.", "K. Jones: Hi.", "J Smith: Bye.", "K. Jones: Bye.")
    assert labels(text) == ["J Smith", "K. Jones", "J Smith", "K. Jones"]


def test_audience_questions_written_q_dash_answered_by_named_panellists():
    text = paragraphs(
        "Ann Lee: Questions?", "Q - What about bikes?", "Bo Park: We like bikes.", "Q - And cars?", "Ann Lee: Less."
    )
    assert labels(text) == ["Ann Lee", "Q", "Bo Park", "Q", "Ann Lee"]


def test_a_single_q_dash_line_is_speech():
    text = paragraphs("ANN LEE: The note said", "Q - see above.", "BO PARK: Yes.")
    assert labels(text) == ["ANN LEE", "BO PARK"]


def test_control_characters_from_pdf_copies_are_dropped_so_the_preview_is_what_is_stored():
    result = parse_transcript("Matters\x08 of State\n\nTHE TAOISEACH: Hello\x08 there.\n\nANN LEE: Hi\x1f.\n")
    assert result.title == "Matters of State"
    assert [t.text for t in result.turns] == ["Hello there.", "Hi."]


def test_an_office_label_names_its_holder_and_keeps_the_office_as_title():
    text = "\n".join(
        [
            "An Cathaoirleach: I call the Minister.",
            "Minister for Children, Equality and Youth (Deputy Roderic O’Gorman): I thank the Senator.",
            "An Cathaoirleach: Thank you.",
        ]
    )
    result = parse_transcript(text + "\n")
    minister = result.participant(result.turns[1].speaker)
    assert (minister.name, minister.title) == ("Roderic O’Gorman", "Minister for Children, Equality and Youth")


# --- Label shapes and label lines, one decision each (labels.py's public functions) ---


@pytest.mark.parametrize(
    ("label", "shape"),
    [
        ("LAGON", "caps"),
        ("TAHIR-KHELI", "caps"),
        ("LIAM McLAUGHLIN", "caps"),
        ("DVS DIRECTOR McDONOUGH", "caps"),
        ("SPEAKER_06", "caps"),
        ("GENX ANALYST", "caps"),  # not "GEN" (an honorific) with an X
        ("J SMITH", "caps"),
        ("Q", "caps"),
        ("A", "caps"),
        ("Q.", "caps"),
        ("B", None),  # single letters only as Q and A
        ("B.", None),
        ("USA.", "caps"),
        ("U.S.", None),  # an abbreviation, not a name
        (".NET", None),
        ("BY MR. FINKEL", "heading"),
        ("ALSO PRESENT", "heading"),
        # Up to five words, and a number after them.
        ("SPEAKER 2", "caps"),
        ("ONE TWO THREE FOUR FIVE 6", "caps"),
        ("ONE TWO THREE FOUR FIVE SIX", None),
        ("ONE TWO THREE FOUR FIVE SIX 7", None),
        ("2", None),
        ("1 2", None),
        ("Speaker 2 3", None),
        # A title and a name, any case, with degrees and initials.
        ("MR. LEHRER", "honorific"),
        ("MS. O’HARA", "honorific"),
        ("Dr. Jones", "honorific"),
        ("Dr. Ng", "honorific"),
        ("Mr Smith", "honorific"),
        ("Mr. DeLAY", "honorific"),
        ("Mr. P. Smith", "honorific"),
        ("Dr. J. Smith", "honorific"),
        ("Mr. Smith 2", "honorific"),
        ("Dr. h. c. Wolfgang Thierse", "honorific"),
        ("Dr. Jones.", None),
        ("Dr. jones", None),
        ("Mr. jones Smith", None),
        ("Dr. JONES Smith", None),  # capitals and mixed case: two labels run together
        ("Senator Sue Serino OPENING BY", None),
        ("Mr", "single"),
        # Mixed-case names.
        ("Jane Doe", "mixed"),
        ("Jane Doe 2", "mixed"),
        ("Jan van Dijk", "mixed"),
        ("Jan van der Berg", "mixed"),
        ("Gerald R Ford", "mixed"),
        ("George HW Bush", "mixed"),
        ("Kent C. Dodds", "mixed"),
        ("J Smith", "mixed"),
        ("J. Smith", "mixed"),
        ("Ann Lee Bo Park", "mixed"),
        ("Ann Lee Bo Park Cy", None),
        ("Ann Lee B", None),  # an initial only inside a name or first
        ("Ann B lee", None),
        ("JJ Smith", None),
        ("J smith", None),
        ("Ann LEE", None),
        ("van Dijk", None),
        ("Jane Doe.", None),
        ("jane Doe", None),
        ("Note", None),  # a word that opens sentences
        # A capitalised word, then lower-case words.
        ("Announcer offscreen", "role"),
        ("Audience member questioner", "role"),
        ("Audience member back row", None),
        ("Announcer offscreen now", None),
        ("AUDIENCE member", None),
        ("OBrien speaking", None),
        ("Announcer Offscreen", "mixed"),
        # An article and capitalised words.
        ("The Taoiseach", "title"),
        ("An Cathaoirleach", "title"),
        ("The Acting CHAIRMAN", "title"),
        ("The Acting Chairman Pro", "title"),
        ("The Acting Chairman Of State", None),
        ("The acting Chairman", None),
        # One word.
        ("Interviewer", "single"),
        ("Speaker 2", "single"),
        ("McIlroy", "single"),
        ("O'Brien", "single"),
        ("MacDonald", "single"),
        ("MCs", None),
        ("iPhone", None),
        ("kushti", "handle"),
        ("qx()", "handle"),
        # A script without letter case: up to twelve characters in up to three words.
        ("主持人许波", "uncased"),
        ("主持人许波主持人许波主持", "uncased"),
        ("主持人许波主持人许波主持人", None),
        ("主持 人 许", "uncased"),
        ("主 持 人 许", None),
    ],
)
def test_label_shape(label, shape):
    assert label_shape(label) == shape


def fields(found):
    if found is None:
        return None
    names = ("label", "shape", "affiliation", "timestamp", "rest", "ending", "bold", "indent", "seconds")
    return tuple(getattr(found, name) for name in names)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("LAGON: Thank you.", ("LAGON", "caps", "", "", "Thank you.", "colon", False, 0, None)),
        ("  Jane Doe:  Hello there.", ("Jane Doe", "mixed", "", "", "Hello there.", "colon", False, 2, None)),
        ("\tANN LEE: Hi.", ("ANN LEE", "caps", "", "", "Hi.", "colon", False, 1, None)),
        ("Ann\tLee:\u00a0Hi.", ("Ann Lee", "mixed", "", "", "Hi.", "colon", False, 0, None)),
        ("Ann Lee:Hi there.", ("Ann Lee", "mixed", "", "", "Hi there.", "colon", False, 0, None)),
        ("Ann Lee:42 is the answer", None),
        ("主持人许波：欢迎。", ("主持人许波", "uncased", "", "", "欢迎。", "colon", False, 0, None)),
        ("JANE DOE (Acme Institute): Hi.", ("JANE DOE", "caps", "Acme Institute", "", "Hi.", "colon", False, 0, None)),
        (
            "Petra Pau (DIE LINKE): Tag.",
            ("Petra Pau (DIE LINKE)", "mixed", "DIE LINKE", "", "Tag.", "colon", False, 0, None),
        ),
        ("BY MR. FINKEL (Continued):", ("BY MR. FINKEL", "heading", "Continued", "", "", "colon", False, 0, None)),
        ("**JANE DOE:** Hi.", ("JANE DOE", "caps", "", "", "Hi.", "colon", True, 0, None)),
        ("**Jane Doe**: Hi.", ("Jane Doe", "mixed", "", "", "Hi.", "colon", True, 0, None)),
        ("**Jane Doe: Hi.", None),  # unbalanced bold
        ("Jane Doe:** Hi.", None),
        ("STEVE INSKEEP, NEWS HOST: Hi.", ("STEVE INSKEEP, NEWS HOST", "caps", "", "", "Hi.", "colon", False, 0, None)),
        ("Steve Inskeep, HOST: Hi.", None),  # NPR's role goes with a name in capitals
        ("U.S.: trade", None),
        ("note: lower case", None),
        ("[00:20] **kushti**: Cheers.", ("kushti", "handle", "", "00:00:20", "Cheers.", "colon", True, 0, 20.0)),
        ("ANN LEE [01:23.45]: Hi.", ("ANN LEE", "caps", "", "00:01:23", "Hi.", "colon", False, 0, 83.45)),
        ("ANN LEE: [1:02:03,5] Hi.", ("ANN LEE", "caps", "", "01:02:03", "Hi.", "colon", False, 0, 3723.5)),
        ("(0:05) ANN LEE: Hi.", ("ANN LEE", "caps", "", "00:00:05", "Hi.", "colon", False, 0, 5.0)),
        # An office, then its holder in parentheses.
        (
            "Minister for Finance (Senator Tim Lombard): I thank.",
            (
                "Minister for Finance (Senator Tim Lombard)",
                "office",
                "Senator Tim Lombard",
                "",
                "I thank.",
                "colon",
                False,
                0,
                None,
            ),
        ),
        ("Minister for things (Deputy Martin Heydon): x", None),
        ("Minister for Finance (the minister): x", None),
        # Bold names and names before a timestamp, with no colon.
        ("**Emma** [0:18] Welcome.", ("Emma", "single", "", "00:00:18", "Welcome.", "colon", False, 0, 18.0)),
        ("[0:05] **Emma** Hi", ("Emma", "single", "", "00:00:05", "Hi", "colon", False, 0, 5.0)),
        ("**Ann  Lee**", ("Ann Lee", "mixed", "", "", "", "colon", False, 0, None)),
        ("**Emma** says hello", None),  # bold with speech after it and no time: emphasis
        ("**APPEARANCES**", None),  # a heading
        ("Ann Lee [0:18] Welcome.", ("Ann Lee", "mixed", "", "00:00:18", "Welcome.", "colon", False, 0, 18.0)),
        ("Ann Lee (0:18) Welcome.", ("Ann Lee", "mixed", "", "00:00:18", "Welcome.", "colon", False, 0, 18.0)),
        # A WebVTT voice tag in plain text.
        ("00:00:12 <v Brian Okken>Text", ("Brian Okken", "voice", "", "00:00:12", "Text", "colon", True, 0, 12.0)),
        ("<v.loud Brian  Okken> Text", ("Brian Okken", "voice", "", "", "Text", "colon", True, 0, None)),
        ("Said <v Ann>x", None),
        # A name, then a spaced dash.
        ("Jane Doe - Thanks.", ("Jane Doe", "mixed", "", "", "Thanks.", "dash", False, 0, None)),
        ("Jane Doe – Thanks.", ("Jane Doe", "mixed", "", "", "Thanks.", "dash", False, 0, None)),
        ("Jane Doe — Thanks.", ("Jane Doe", "mixed", "", "", "Thanks.", "dash", False, 0, None)),
        ("Jane Doe\u00a0-\u00a0Thanks.", ("Jane Doe", "mixed", "", "", "Thanks.", "dash", False, 0, None)),
        ("[00:05] ANN LEE - Hi.", ("ANN LEE", "caps", "", "00:00:05", "Hi.", "dash", False, 0, 5.0)),
        ("Mr. Lee - Hi.", ("Mr. Lee", "honorific", "", "", "Hi.", "dash", False, 0, None)),
        ("Interviewer - Hi.", ("Interviewer", "single", "", "", "Hi.", "dash", False, 0, None)),
        ("主持人 - 欢迎。", ("主持人", "uncased", "", "", "欢迎。", "dash", False, 0, None)),
        ("The Problem - it is.", None),
        ("Announcer offscreen - hi", None),
        ("jane doe - thanks", None),
        # The Congressional Record's period labels: indented, or "The …".
        (
            "  Mr. BROWN of Ohio. Mr. President.",
            ("Mr. BROWN of Ohio", "honorific", "", "", "Mr. President.", "period", False, 2, None),
        ),
        (
            "  The PRESIDING OFFICER (Mr. Graham). The Senator.",
            ("The PRESIDING OFFICER", "title", "", "", "The Senator.", "period", False, 2, None),
        ),
        (
            "The SPEAKER pro tempore. The gentleman.",
            ("The SPEAKER pro tempore", "title", "", "", "The gentleman.", "period", False, 0, None),
        ),
        ("Mr. BROWN. I rise.", None),  # not indented: a sentence about Mr. Brown
        ("  Mr. koo. no", None),
        # Examinations, audience questions, and labels set off by spaces.
        ("Q. Where?", ("Q", "caps", "", "", "Where?", "examination", False, 0, None)),
        ("  A.  Home.", ("A", "caps", "", "", "Home.", "examination", False, 2, None)),
        ("Q - Bikes?", ("Q", "caps", "", "", "Bikes?", "audience", False, 0, None)),
        ("A – Yes.", ("A", "caps", "", "", "Yes.", "audience", False, 0, None)),
        ("Q   Mr. President, why?", ("Q", "caps", "", "", "Mr. President, why?", "space", False, 0, None)),
        ("  PARTICIPANT\u00a0Win stuff.", ("PARTICIPANT", "caps", "", "", "Win stuff.", "space", False, 2, None)),
        ("Participant  Win stuff.", None),
        ("X  marks the spot", None),
    ],
)
def test_match_label_line(line, expected):
    assert fields(match_label_line(line)) == expected


@pytest.mark.parametrize(
    ("raw", "timestamp", "seconds"),
    [
        ("1:23", "00:01:23", 83.0),
        ("0:05", "00:00:05", 5.0),
        ("01:02:03", "01:02:03", 3723.0),
        ("1:23.5", "00:01:23", 83.5),
        ("1:02:03,25", "01:02:03", 3723.25),
        ("12:00:00.125", "12:00:00", 43200.125),
    ],
)
def test_timestamps_keep_their_fractions_in_seconds_only(raw, timestamp, seconds):
    assert normalise_timestamp(raw) == timestamp
    assert timestamp_seconds(raw) == seconds
