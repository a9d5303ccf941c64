"""The parser against the real-transcript corpus in ../shared/corpus (read in place,
never copied): the corpus's own scorer, then exact turns and labels per file, then
what each format family makes hard (SOURCES.md)."""

import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import CORPUS, corpus_path
from transcripts.parsing import PRESIDER, QUESTION, ParseError, parse_transcript, read_upload

ROOT = Path(__file__).resolve().parents[2]
# Empty without the corpus, so this module imports anywhere (test_admin_plan reads PASSING);
# every test here then skips loudly, or fails under CI=true (corpus_path).
TRUTH = json.loads((CORPUS / "truth.json").read_text(encoding="utf-8")) if (CORPUS / "truth.json").is_file() else {}


@pytest.fixture(autouse=True)
def corpus_present():
    corpus_path("truth.json")


def test_the_corpus_is_there():
    assert TRUTH, f"{CORPUS / 'truth.json'} names no files"


def parsed(name):
    text, _ = read_upload((CORPUS / name).read_bytes(), name)
    return parse_transcript(text)


_CACHE = {}


def corpus(name):
    if name not in _CACHE:
        _CACHE[name] = parsed(name)
    return _CACHE[name]


# The ratchet. The corpus holds files the parser does not read yet; these are the files it
# reads, by the scorer and exactly (turns and labels). A file on this list must keep passing,
# and a file that starts passing must be added: the list only grows.
PASSING = frozenset(
    {
        "townhall-2021-07-21-biden-cnn-don-lemon.txt",
        "conversation-2022-03-15-harris-uswnt-equal-pay.txt",
        "presscall-2024-03-11-wh-omb-young-cea-bernstein-budget.txt",
        "hearing-2016-10-19-nysenate-hudson-river-barge-anchorages.txt",
        "hearing-2020-01-30-nysenate-joint-budget-human-services.txt",
        "congrecord-2005-07-20-house-foreign-relations-authorization.txt",
        "congrecord-2005-07-20-senate-state-foreign-ops-appropriations.txt",
        "podcast-gotime-97-live-london-gophers-panel.txt",
        "podcast-jsparty-308-frontend-feud.txt",
        "podcast-gotime-191-unpopular-opinions-retro.txt",
        "debate-1976-09-23-philadelphia-ford-carter.txt",
        "debate-2004-10-08-st-louis-bush-kerry-townhall.txt",
        "services-2004-10-08-st-louis-rev.txt",
        "services-2004-10-08-st-louis-otter.txt",
        "services-2004-10-08-st-louis-zoom.vtt",
        "services-2004-10-08-st-louis-teams.vtt",
        "services-2004-10-08-st-louis-captions.srt",
        "services-2004-10-08-st-louis-rev.docx",
        "podcast-2021-01-00-ladybug-62-security-otter.md",
        "podcast-2025-00-00-lenny-knapp-zeratsky.md",
        "committee-ca-2023-09-20-science-research-en.xml",
        "commons-ca-2015-12-04-debats-fr.xml",
        "ukhansard-1976-01-22-commons-ni-security-questions.xml",
        "kokkai-2018-05-30-party-leaders-debate.json",
        "news-2015-04-02-cnn-tonight-lemon.json",
        "podcast-2022-00-00-virtualcoffee-s5e9-season-finale.srt",
        "oralhistory-1989-00-00-condon-unix-mahoney.html",
        "chrg-2010-07-22-house-finserv-monetary-policy.htm",
        "council-2013-02-27-winnipeg-city-council.htm",
        "court-2024-05-24-sdny-us-v-guo-trial.md",
        "earnings-2025-06-04-mongodb-q1fy26.txt",
        "podcast-2019-00-00-ladybug-05-spots-bold-brackets.md",
        "podcast-2025-11-03-pythonbytes-456-inline-voice.txt",
        "bundestag-2009-10-27-konstituierende-sitzung.txt",
        "seanad-2021-11-18-ireland-taoiseach-address.txt",
        "interview-2017-04-19-voa-guo-wengui-zh.md",
    }
)
SCORE_LINE = re.compile(r"^(?P<name>\S+): (?P<verdict>PASS|fail|no JSON)")


@pytest.fixture(scope="module")
def scored():
    """score.py, run as the corpus's owners run it (`manage.py parse_transcript FILE --json`,
    no DJANGO_DEBUG, no SECRET_KEY): {file name: its line}."""
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}}
    result = subprocess.run(
        [sys.executable, str(CORPUS / "score.py")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    lines = {m["name"]: line for line in result.stdout.splitlines() if (m := SCORE_LINE.match(line))}
    assert set(lines) == set(TRUTH), result.stdout + result.stderr[-2000:]
    return lines


def test_the_ratchet_names_only_corpus_files():
    assert set(TRUTH) >= PASSING


def test_score_script_passes_every_file_on_the_ratchet(scored):
    regressed = {name: scored[name] for name in PASSING if ": PASS " not in scored[name]}
    assert not regressed, regressed


def exact_mismatch(name):
    """Why the parse of `name` differs from the ground truth exactly, or "" when it does not."""
    truth = TRUTH[name]
    result = corpus(name)
    pseudo = truth.get("pseudo", {})
    want_turns = truth.get("speaker_turns", truth["turns"])
    if len(result.turns) != want_turns:
        return f"{len(result.turns)} turns, truth {want_turns}"
    # Labels are as written; one is normalised: "ASSEMBLYWOMAN   WRIGHT" has its spaces collapsed.
    labels = [label.casefold() for label in dict.fromkeys(turn.label for turn in result.turns)]
    want = [label.casefold() for label in truth["labels"] if label not in pseudo]
    if labels != want:
        return f"labels {labels[:8]}…, truth {want[:8]}…"
    if "label_counts" in truth:
        counts = Counter(turn.label for turn in result.turns)
        want_counts = Counter({label: n for label, n in truth["label_counts"].items() if label not in pseudo})
        if counts != want_counts:
            return f"label counts differ: {dict(counts - want_counts)} / {dict(want_counts - counts)}"
    if not all(turn.speaker for turn in result.turns if turn.label != "Q"):
        return "a turn with a label but no speaker"
    return ""


@pytest.mark.parametrize("name", list(TRUTH) or ["truth.json"])
def test_every_corpus_file_parses_or_is_refused_with_a_message(name):
    """No file crashes the parser: it parses, or it is refused with a ParseError saying why."""
    try:
        corpus(name)
    except ParseError as error:
        assert str(error).strip() and name not in PASSING, str(error)


@pytest.mark.parametrize("name", sorted(PASSING))
def test_turns_and_labels_match_the_ground_truth_exactly(name):
    assert exact_mismatch(name) == ""


@pytest.mark.parametrize("name", sorted(set(TRUTH) - PASSING) if TRUTH else ["truth.json"])
def test_a_file_off_the_ratchet_that_now_passes_is_added_to_it(name, scored):
    try:
        mismatch = exact_mismatch(name)
    except ParseError as error:
        mismatch = f"refused: {error}"
    passes = not mismatch and ": PASS " in scored[name]
    assert not passes, f"{name} now passes the scorer and the ground truth exactly: add it to PASSING"


# --- A. White House -----------------------------------------------------------------------------------------------


def test_white_house_nbsp_paragraphs_q_without_colon_and_wrapped_senate_line():
    result = corpus("townhall-2021-07-21-biden-cnn-don-lemon.txt")
    questions = [t for t in result.turns if t.label == "Q"]
    assert len(questions) == 21 and all(t.kind == QUESTION for t in questions)
    assert max(len(t.paragraphs) for t in result.turns) > 3  # NBSP-only lines split paragraphs
    assert any("Senate: You shake your hand." in t.text for t in result.turns)  # a wrapped line, not a label
    assert {r.label: r.count for r in result.label_candidates}["Senate"] == 1  # listed for review, not taken
    assert result.title == "Remarks by President Biden in a CNN Town Hall with Don Lemon"


def test_white_house_curly_apostrophe_and_label_without_colon():
    result = corpus("conversation-2022-03-15-harris-uswnt-equal-pay.txt")
    assert [t.label for t in result.turns].count("MS. O’HARA") == 5
    interjection = next(t for t in result.turns if t.text.startswith("Win stuff."))
    assert interjection.label == "PARTICIPANT"


def test_white_house_press_call_roles_and_wrapped_yaml_title():
    result = corpus("presscall-2024-03-11-wh-omb-young-cea-bernstein-budget.txt")
    roles = {p.label: p.role for p in result.participants}
    assert roles["MODERATOR"] == PRESIDER and roles["OPERATOR"] == "operator"
    assert roles["CHAIR BERNSTEIN"] != PRESIDER  # a job title, not the chair of the call
    assert result.title == (
        "On-the-Record Press Call with OMB Director Shalanda Young and Council of Economic "
        "Advisers Chair Jared Bernstein on the President’s Budget"
    )


# --- B. Court reporter ----------------------------------------------------------------------------------------------


def test_court_reporter_header_is_not_speakers_and_presider_comes_from_the_header():
    result = corpus("hearing-2016-10-19-nysenate-hudson-river-barge-anchorages.txt")
    labels = {t.label for t in result.turns}
    assert not labels & {"PRESIDING", "PRESENT", "SPEAKERS", "OPENING BY"}
    murphy = next(p for p in result.participants if p.label == "SENATOR MURPHY")
    assert (murphy.name, murphy.role) == ("Terrence Murphy", PRESIDER)
    assert result.turns[0].text.startswith("I pledge allegiance to")
    # Line numbers, page numbers and form feeds never reach the text; paragraphs come from the indent.
    assert [p.text for p in result.turns[1].paragraphs[:2]] == ["Thank you, Mayor.", "[ Applause ]"]
    applause = [s for t in result.turns for p in t.paragraphs for s in p.segments if s.text == "[ Applause ]"]
    assert applause and all(s.kind == "stage" for s in applause)


def test_court_reporter_varying_turn_indent_and_brace_notes():
    result = corpus("hearing-2020-01-30-nysenate-joint-budget-human-services.txt")
    assert [t.label for t in result.turns].count("ASSEMBLYWOMAN WRIGHT") == 19
    stages = {s.text for t in result.turns for p in t.paragraphs for s in p.segments if s.kind == "stage"}
    assert "{Chuckling.}" in stages and "(Laughter.)" in stages
    # The reporter's wide gaps inside sentences are single spaces.
    assert result.turns[1].paragraphs[0].text.startswith("Sure. Actually I'm joined by the sitting-in ranker")


# --- C. Congressional Record ----------------------------------------------------------------------------------------


def test_congressional_record_narration_quoted_hearing_and_presiding_officer():
    result = corpus("congrecord-2005-07-20-senate-state-foreign-ops-appropriations.txt")
    assert "<pre>" not in "".join(t.text for t in result.turns)
    narration = [p for t in result.turns for p in t.paragraphs if p.text == "Mr. REED addressed the Chair."]
    assert len(narration) == 1 and [s.kind for s in narration[0].segments] == ["stage"]
    assert "The Chairman" not in {t.label for t in result.turns}  # Warner's quoted hearing stays in his speech
    officer = next(p for p in result.participants if p.label == "The PRESIDING OFFICER")
    assert officer.role == PRESIDER
    assert {r.label for r in result.label_candidates} >= {"The Chairman"}


def test_congressional_record_acting_chairman_typo_and_mixed_case_names():
    result = corpus("congrecord-2005-07-20-house-foreign-relations-authorization.txt")
    labels = Counter(t.label for t in result.turns)
    assert labels["The Acting CHAIRMAN"] == 129 and labels["The Acting Chairman"] == 1
    assert labels["Mr. DeLAY"] == 1 and labels["Miss McMORRIS"] == 1 and labels["Mr. SMITH of New Jersey"] == 18
    issa = next(p for p in result.participants if p.label == "Mr. ISSA")
    assert issa.name == "Issa"  # never a neighbour from a roll call ("Israel" above "Issa")


# --- D. Markdown podcasts -------------------------------------------------------------------------------------------


def test_markdown_escapes_never_shown_and_break_is_no_person():
    result = corpus("podcast-gotime-191-unpopular-opinions-retro.txt")
    text = "\n".join(t.text for t in result.turns)
    assert "\\[" not in text and "**" not in text and "\\_" not in text
    assert "Break" not in {p.name for p in result.participants}
    assert text.count("[Break]") == 2
    first = next(t for t in result.turns if t.timestamp == "00:03:53")
    assert first.label == "Jerod Santo" and first.start_seconds == 233.0
    assert [t.label for t in result.turns].count("Johnny Boursiquot") == 5  # 3 of them not bold


def test_markdown_label_lines_without_a_blank_line_before_them():
    result = corpus("podcast-jsparty-308-frontend-feud.txt")
    argh = next(t for t in result.turns if t.text.startswith("Argh! Why?!"))
    assert argh.label == "Una Kravets"
    assert "James Q Quick" in {p.name for p in result.participants}


# --- E. Debates and the service exports of one ------------------------------------------------------------------------


def test_debate_candidates_are_speakers_not_journalists():
    result = corpus("debate-1976-09-23-philadelphia-ford-carter.txt")
    words = Counter()
    for turn in result.turns:
        words[result.participant(turn.speaker).name] += len(turn.text.split())
    assert [t.label for t in result.turns].count("Gerald R Ford") == 18
    assert words.most_common(2)[0][0] in {"Gerald R Ford", "Jimmy E Carter"}
    announcer = next(p for p in result.participants if p.label == "Announcer offscreen")
    assert announcer.role == "other"


def test_town_hall_one_time_questioners_are_speakers_and_warned_about():
    result = corpus("debate-2004-10-08-st-louis-bush-kerry-townhall.txt")
    once = [t.label for t in result.turns if [x.label for x in result.turns].count(t.label) == 1]
    assert len(once) == 18 and "Norma-Jean Laurent" in once and "Matthew O'Brien" in once
    assert any(w.startswith("These labels start only one turn each: 'Cheryl Otis'") for w in result.warnings)


@pytest.mark.parametrize("name", [n for n in TRUTH if n.startswith("services-")] if TRUTH else ["truth.json"])
def test_service_exports_keep_each_turns_start_time(name):
    result = corpus(name)
    second = result.turns[1]
    assert second.label.casefold() == "cheryl otis"
    assert second.start_seconds == 132.0 and second.timestamp == "00:02:12"
    assert all(t.start_seconds is not None for t in result.turns)
    starts = [t.start_seconds for t in result.turns]
    assert starts == sorted(starts)


# --- Structured and markup files: XML, JSON, captions with labels in cues, HTML ---------------------------------------


def participants_of(result, *labels):
    return {result.participant(t.speaker).name for t in result.turns if t.label in labels}


def test_alpheus_committee_one_person_per_member_id_named_in_full():
    result = corpus("committee-ca-2023-09-20-science-research-en.xml")
    assert participants_of(result, "The Chair (Mr. Lloyd Longfield (Guelph, Lib.))", "The Chair") == {"Lloyd Longfield"}
    assert len(result.participants) == TRUTH["committee-ca-2023-09-20-science-research-en.xml"]["people"]
    fung = next(p for p in result.participants if p.name == "Benjamin Fung")
    assert fung.title == "Canada Research Chair and Professor, McGill University, Alliance Canada Hong Kong"
    assert not any("(1630)" in t.text or "[English]" in t.text for t in result.turns)


def test_alpheus_french_debates_short_and_long_forms_and_voices_listed():
    result = corpus("commons-ca-2015-12-04-debats-fr.xml")
    assert participants_of(result, "M. Rémi Massé", "M. Rémi Massé (Avignon—La Mitis—Matane—Matapédia, Lib.)") == {
        "Rémi Massé"
    }
    assert {r.label: r.count for r in result.label_candidates}["Des voix"] == 6  # "Some hon. members", for review


def test_uk_hansard_tabled_questions_and_the_minister_under_two_labels():
    result = corpus("ukhansard-1976-01-22-commons-ni-security-questions.xml")
    assert [t.label for t in result.turns[:6]] == [
        "Mr. Michael Latham",
        "Mr. Marten",
        "Mr. Beith",
        "Dr. Glyn",
        "Mr. Michael McNair-Wilson",
        "Mr. Carson",
    ]
    rees = participants_of(result, "Mr. Rees", "The Secretary of State for Northern Ireland (Mr. Merlyn Rees)")
    assert rees == {"Merlyn Rees"}
    assert not any("1514" in t.text for t in result.turns)  # column numbers are not speech


def test_diet_json_two_meetings_and_no_member_list_as_speech():
    result = corpus("kokkai-2018-05-30-party-leaders-debate.json")
    assert participants_of(result, "内閣総理大臣（安倍晋三君）") == {"安倍晋三"}
    assert not any(t.text.startswith("委員氏名") for t in result.turns)
    assert any("name no speaker" in w for w in result.warnings)


def test_cnn_json_sections_crowd_and_typo_label():
    result = corpus("news-2015-04-02-cnn-tonight-lemon.json")
    assert "CROWD" not in {t.label for t in result.turns}
    assert participants_of(result, "KERIRK") == participants_of(result, "KERIK")
    assert [t.label for t in result.turns].count("ROBIN") == 2  # "ROBIN " with a trailing space is ROBIN


def test_srt_labels_only_at_speaker_changes_and_first_names():
    result = corpus("podcast-2022-00-00-virtualcoffee-s5e9-season-finale.srt")
    assert participants_of(result, "Kirk", "Kirk Shillingford") == {"Kirk Shillingford"}
    assert all(t.start_seconds is not None for t in result.turns)


def test_html_families_marked_labels_hearing_period_labels_and_declared_charset():
    council = corpus("council-2013-02-27-winnipeg-city-council.htm")
    assert {"Lorrie Rogalka", "Bruce Talling", "Councillor Havixbeck"} <= {t.label for t in council.turns}
    assert "easyConverter" not in council.title
    hearing = corpus("chrg-2010-07-22-house-finserv-monetary-policy.htm")
    assert [t.label for t in hearing.turns].count("Mr. Koo") == 17
    history = corpus("oralhistory-1989-00-00-condon-unix-mahoney.html")
    assert [t.label for t in history.turns].count("McIlroy") == 1
    assert "don’t" in history.turns[1].text  # Windows-1252 curly apostrophe read as such


# --- F. Text layouts: calls, interviews, parliaments, trials, chat and caption text --------------------------------


def test_earnings_call_labels_with_no_space_and_the_record_fields_before_them():
    result = corpus("earnings-2025-06-04-mongodb-q1fy26.txt")
    labels = [t.label for t in result.turns]
    assert labels[:3] == ["Operator", "Brian Denyeau", "Dev Ittycheria"]  # Brian is announced, used once
    assert labels.count("Operator") == 12 and labels.count("Dev Ittycheria") == 15
    assert not {"URL", "ARR"} & set(labels)
    assert {"URL", "ARR"} <= {r.label for r in result.label_candidates}
    assert result.title_confidence == "low" and "=" not in result.title


def test_court_examination_q_and_a_are_turns_and_by_headings_name_the_examiner():
    result = corpus("court-2024-05-24-sdny-us-v-guo-trial.md")
    labels = [t.label for t in result.turns]
    assert (labels.count("Q"), labels.count("A")) == (663, 641)
    assert not {"BY", "ALSO PRESENT"} & set(labels)
    finkel = next(p for p in result.participants if p.label == "MR. FINKEL")
    first_q = next(t for t in result.turns if t.label == "Q")
    assert first_q.speaker == finkel.key and first_q.text == "Good afternoon."
    assert result.title_confidence == "low"
    assert sum("no announced questioner" in w for w in result.warnings) < 10


def test_chinese_interview_full_width_colons_and_labels_alone_on_their_line():
    result = corpus("interview-2017-04-19-voa-guo-wengui-zh.md")
    counts = Counter(t.label for t in result.turns)
    assert (counts["郭文贵先生"], counts["记者龚小夏"], counts["记者东方"]) == (42, 37, 20)
    assert counts["刘亚星"] == counts["龚小夏记者"] == counts["记者申华提问"] == 1
    assert result.turns[0].label == "主持人许波" and result.turns[0].text.startswith("听众，观众朋友们")


def test_bold_names_with_bracket_timestamps():
    result = corpus("podcast-2019-00-00-ladybug-05-spots-bold-brackets.md")
    assert Counter(t.label for t in result.turns) == Counter({"Emma": 35, "Kelly": 31, "Ali": 19, "Lindsey": 21})
    assert (result.turns[1].label, result.turns[1].start_seconds) == ("Kelly", 18.0)


def test_voice_tags_in_text_open_turns_mid_line():
    result = corpus("podcast-2025-11-03-pythonbytes-456-inline-voice.txt")
    assert Counter(t.label for t in result.turns) == Counter(
        {"Michael Kennedy": 303, "Brian Okken": 222, "Speaker 3": 8}
    )
    assert not any("<v " in t.text for t in result.turns)


def test_whisper_call_numbered_speakers_and_lower_case_handles():
    result = corpus("whisper-2025-07-02-ergo-community-call.txt")
    counts = Counter(t.label for t in result.turns)
    assert (counts["kushti"], counts["qx()"], counts["Armeanio"], counts["SPEAKER_00"]) == (88, 210, 79, 37)
    assert result.turns[0].start_seconds == 16.0


def test_parliament_offices_with_holders_wrapped_labels_and_interruptions():
    result = corpus("seanad-2021-11-18-ireland-taoiseach-address.txt")
    counts = Counter(t.label for t in result.turns)
    assert (counts["An Cathaoirleach"], counts["The Taoiseach"]) == (24, 7)
    office = "Minister of State at the Department of Agriculture, Food and the Marine (Deputy Martin Heydon)"
    assert (
        counts[office] == counts["Deputy Martin Heydon"] == counts["Acting Chairperson (Senator Fintan Warfield)"] == 1
    )
    heydon = next(t for t in result.turns if t.label == office)
    assert heydon.text.startswith("I thank the Senator for raising this important issue")


def test_bundestag_page_without_line_breaks_parties_and_offices():
    result = corpus("bundestag-2009-10-27-konstituierende-sitzung.txt")
    counts = Counter(t.label for t in result.turns)
    assert (counts["Alterspräsident Dr. Heinz Riesenhuber"], counts["Präsident Dr. Norbert Lammert"]) == (4, 7)
    assert counts["Dr. h. c. Wolfgang Thierse (SPD)"] == counts["Katrin Göring-Eckardt (BÜNDNIS 90/DIE GRÜNEN)"] == 1
    assert len(result.turns) == 18
