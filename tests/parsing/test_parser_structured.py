"""Structured and markup transcripts: parliamentary XML, JSON speech records, captions with
labels in the cues, HTML whose markup marks the speaker. Each family on a small
hand-written file; what the corpus files of these families make hard is in test_corpus.py."""

import datetime
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transcripts.parsing import ParseError, parse_transcript, read_upload
from transcripts.parsing.formats.speakers import person_of, same_person_keys, typo_keys
from transcripts.parsing.model import CHAIR

FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def people(result):
    """{label: participant name} for every labelled turn."""
    return {t.label: result.participant(t.speaker).name for t in result.turns}


# --- Canadian House of Commons "Alpheus" XML -----------------------------------------------------

ALPHEUS = """\ufeff<?xml version="1.0" encoding="UTF-8"?>
<Hansard xml:lang="EN" id="1">
  <ExtractedInformation>
    <ExtractedItem Name="InstitutionDebate">Standing Committee on Rivers</ExtractedItem>
    <ExtractedItem Name="MetaDateNumYear">2023</ExtractedItem>
    <ExtractedItem Name="MetaDateNumMonth">09</ExtractedItem>
    <ExtractedItem Name="MetaDateNumDay">20</ExtractedItem>
  </ExtractedInformation>
  <HansardBody>
    <Timestamp Hr="16" Mn="30">(1630)</Timestamp>
    <FloorLanguage language="EN">[<I>English</I>]</FloorLanguage>
    <Intervention id="10">
      <PersonSpeaking>
        <Affiliation DbId="7" Type="35">The Chair (Mr. Alan Brook (Guelph, Lib.))</Affiliation>: </PersonSpeaking>
      <Content>
        <ParaText>Welcome to the meeting.</ParaText>
        <ParaText>We have one witness, talking about the <Affiliation DbId="9">Prime Minister</Affiliation>.</ParaText>
      </Content>
    </Intervention>
    <Intervention id="11">
      <PersonSpeaking><Affiliation DbId="8">Ms. Jo Reed (Professor, River University)</Affiliation>: </PersonSpeaking>
      <Content><ParaText>Thank you, Chair.</ParaText></Content>
    </Intervention>
    <Intervention id="12">
      <PersonSpeaking><Affiliation DbId="7">The Chair</Affiliation>: </PersonSpeaking>
      <Content><ParaText>Thank you, Ms. Reed.</ParaText><ParaText>Mr. Hardy: is that on the record?</ParaText></Content>
    </Intervention>
    <ParaText>The text the chair read out continues his turn.</ParaText>
    <Intervention id="13">
      <PersonSpeaking><Affiliation DbId="8">Ms. Jo Reed</Affiliation>: </PersonSpeaking>
      <Content><ParaText>It is.</ParaText></Content>
    </Intervention>
  </HansardBody>
</Hansard>
"""


def test_alpheus_xml_speakers_come_from_the_markup_and_one_id_is_one_person():
    result = parse_transcript(ALPHEUS)
    assert [t.label for t in result.turns] == [
        "The Chair (Mr. Alan Brook (Guelph, Lib.))",
        "Ms. Jo Reed (Professor, River University)",
        "The Chair",
        "Ms. Jo Reed",
    ]
    assert people(result) == {
        "The Chair (Mr. Alan Brook (Guelph, Lib.))": "Alan Brook",
        "The Chair": "Alan Brook",
        "Ms. Jo Reed (Professor, River University)": "Jo Reed",
        "Ms. Jo Reed": "Jo Reed",
    }
    assert len(result.participants) == 2
    reed = next(p for p in result.participants if p.name == "Jo Reed")
    brook = next(p for p in result.participants if p.name == "Alan Brook")
    assert reed.title == "Professor, River University" and brook.role == CHAIR
    assert result.title == "Standing Committee on Rivers" and result.date == datetime.date(2023, 9, 20)


def test_alpheus_xml_keeps_paragraphs_and_leaves_furniture_out():
    result = parse_transcript(ALPHEUS)
    first = result.turns[0]
    assert [p.text for p in first.paragraphs] == [
        "Welcome to the meeting.",
        "We have one witness, talking about the Prime Minister.",
    ]
    text = "\n".join(t.text for t in result.turns)
    assert "(1630)" not in text and "English" not in text
    assert result.turns[2].paragraphs[-1].text == "The text the chair read out continues his turn."


def test_label_shaped_speech_inside_a_structured_turn_is_listed_for_review():
    result = parse_transcript(ALPHEUS)
    rejected = {r.label: (r.count, r.example) for r in result.label_candidates}
    assert rejected["Mr. Hardy"] == (1, "Mr. Hardy: is that on the record?")


def test_a_reviewer_can_refuse_a_structured_label():
    from transcripts.parsing import LabelChoices

    result = parse_transcript(ALPHEUS, LabelChoices(refuse={"Ms. Jo Reed"}))
    assert [t.label for t in result.turns].count("Ms. Jo Reed") == 0
    assert "Ms. Jo Reed: It is." in result.turns[-1].text


# --- Historic UK Hansard XML ----------------------------------------------------------------------

UK_HANSARD = """<housecommons>
<col>1513</col>
<title>HOUSE OF COMMONS</title>
<date format="1976-01-22">Thursday 22nd January 1976</date>
<debates><section><title>NORTHERN IRELAND</title><section><title>Security</title>
<p id="a">1. <member>Mr. Michael Latham</member> asked the Secretary of State whether he will make a statement.</p>
<p id="b">2. <member>Mr. Marten</member> asked the Secretary of State about the border.</p>
<p id="c"><member>The Secretary of State for Northern Ireland (Mr. Merlyn Rees)</member>
<membercontribution>: The security forces met with success.<lb/>
Since the New Year there have been
<col>1514</col>
horrific events.</membercontribution></p>
<p id="d"><member>Mr. Latham</member><membercontribution>: Is that established?</membercontribution></p>
<p id="e"><member>Mr. Rees</member><membercontribution>: It is.</membercontribution></p>
</section></section></debates>
</housecommons>
"""


def test_uk_hansard_tabled_questions_are_turns_and_short_names_join_the_full_ones():
    result = parse_transcript(UK_HANSARD)
    assert [t.label for t in result.turns] == [
        "Mr. Michael Latham",
        "Mr. Marten",
        "The Secretary of State for Northern Ireland (Mr. Merlyn Rees)",
        "Mr. Latham",
        "Mr. Rees",
    ]
    assert result.turns[0].text == "asked the Secretary of State whether he will make a statement."
    names = people(result)
    assert names["Mr. Rees"] == names["The Secretary of State for Northern Ireland (Mr. Merlyn Rees)"] == "Merlyn Rees"
    assert names["Mr. Latham"] == names["Mr. Michael Latham"] == "Michael Latham"
    assert len(result.participants) == 3
    assert not any("only one turn" in w for w in result.warnings)  # the markup, not a colon, names them
    rees = next(p for p in result.participants if p.name == "Merlyn Rees")
    assert rees.title == "The Secretary of State for Northern Ireland"
    assert result.date == datetime.date(1976, 1, 22)


def test_uk_hansard_column_numbers_are_not_text_and_line_breaks_are_paragraphs():
    result = parse_transcript(UK_HANSARD)
    minister = result.turns[2]
    assert [p.text for p in minister.paragraphs] == [
        "The security forces met with success.",
        "Since the New Year there have been horrific events.",
    ]


def test_xml_that_is_not_well_formed_is_refused_with_a_message():
    with pytest.raises(ParseError, match="not well-formed XML.*save the transcript as plain text"):
        parse_transcript('<?xml version="1.0"?>\n<Hansard><Intervention><PersonSpeaking>Mr. X')


def test_xml_with_no_speaker_markup_is_refused_with_a_message():
    with pytest.raises(ParseError, match="names no speakers"):
        parse_transcript('<?xml version="1.0"?>\n<doc><p>Just text.</p><p>More text.</p></doc>')


def test_xml_entities_are_never_expanded():
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
        "<d><p><member>Mr. X</member><membercontribution>: &b;</membercontribution></p></d>"
    )
    try:
        result = parse_transcript(bomb)
    except ParseError as error:
        assert str(error)
    else:
        assert "aaaaaaaaaa" not in result.turns[0].text


# --- JSON speech records -----------------------------------------------------------------------------

DIET = {
    "data": {
        "records": {
            "record": [
                {
                    "recordData": {
                        "meetingRecord": {
                            "nameOfMeeting": "国家基本政策委員会合同審査会",
                            "date": "2018-05-30",
                            "speechRecord": [
                                {"speechOrder": "0", "speaker": None, "speech": "委員氏名\n\u3000佐藤勉君"},
                                {
                                    "speechOrder": "1",
                                    "speaker": "佐藤勉",
                                    "speech": "○会長（佐藤勉君）\u3000開会します。\n\u3000以上です。",
                                },
                                {
                                    "speechOrder": "2",
                                    "speaker": "枝野幸男",
                                    "speech": "○枝野幸男君\u3000お尋ねします。",
                                },
                                {
                                    "speechOrder": "3",
                                    "speaker": "佐藤勉",
                                    "speech": "○会長（佐藤勉君）\u3000終了します。",
                                },
                            ],
                        }
                    }
                }
            ]
        }
    }
}


def test_diet_json_labels_come_from_the_speech_and_people_from_the_speaker_field():
    result = parse_transcript(json.dumps(DIET, ensure_ascii=False))
    assert [t.label for t in result.turns] == ["会長（佐藤勉君）", "枝野幸男君", "会長（佐藤勉君）"]
    assert [p.text for p in result.turns[0].paragraphs] == ["開会します。", "以上です。"]
    assert people(result) == {"会長（佐藤勉君）": "佐藤勉", "枝野幸男君": "枝野幸男"}
    assert next(p for p in result.participants if p.name == "佐藤勉").title == "会長"
    assert result.title == "国家基本政策委員会合同審査会" and result.date == datetime.date(2018, 5, 30)
    assert any("name no speaker" in w for w in result.warnings)  # the member list is not speech


NEWS = {
    "title": "EVENING NEWS",
    "time": "Aired April 2, 2015 - 22:00 ET",
    "sections": [
        {"speaker": "LEMON", "sentences": [{"text": "Good evening."}, {"text": "Here is the news."}]},
        {"speaker": "LEMON", "sentences": [{"text": "And more."}]},
        {"speaker": "CROWD", "sentences": [{"text": "Choose your sound."}]},
        {"speaker": "KERIK", "sentences": [{"text": "Thanks, Don."}]},
        {"speaker": "KERIK", "sentences": [{"text": "It is bad."}]},
        {"speaker": "KERIK", "sentences": [{"text": "Very bad."}]},
        {"speaker": "KERIRK", "sentences": [{"text": "Don, thank you."}]},
        {"speaker": "ROBIN ", "sentences": [{"text": "The speed."}]},
    ],
}


def test_news_json_each_section_is_a_turn_and_a_crowd_is_no_speaker():
    result = parse_transcript(json.dumps(NEWS))
    assert [t.label for t in result.turns] == ["LEMON", "LEMON", "KERIK", "KERIK", "KERIK", "KERIRK", "ROBIN"]
    assert result.turns[0].text == "Good evening. Here is the news."
    assert result.turns[1].text.endswith("[Crowd: Choose your sound.]")
    assert "CROWD" not in {p.label for p in result.participants}
    assert result.title == "EVENING NEWS" and result.date == datetime.date(2015, 4, 2)


def test_a_label_written_once_one_letter_off_a_frequent_one_is_the_same_person_with_a_warning():
    result = parse_transcript(json.dumps(NEWS))
    names = people(result)
    assert names["KERIRK"] == names["KERIK"]
    assert any(w.startswith("'KERIRK' speaks once and is one letter off 'KERIK'") for w in result.warnings)


def test_json_without_speech_records_is_refused_with_a_message():
    with pytest.raises(ParseError, match="no list of speeches"):
        parse_transcript(json.dumps({"title": "A podcast", "episodes": [1, 2, 3]}))
    with pytest.raises(ParseError, match="cannot be read as JSON"):
        parse_transcript('{"sections": [{"speaker": "A", "text": "hi"},}')


def test_a_text_transcript_starting_with_a_bracket_is_not_taken_for_json():
    result = parse_transcript("[00:00:01] JANE DOE: Hello there.\n\n[00:00:04] JOHN ROE: Hi, Jane.\n")
    assert [t.label for t in result.turns] == ["JANE DOE", "JOHN ROE"]


# --- SubRip with labels only where the speaker changes --------------------------------------------

SRT = """1
00:00:01,000 --> 00:00:03,000
Bekah Hawrot Weigel: Hello, and
welcome to the show.

2
00:00:03,000 --> 00:00:05,000
I'm here with Dan.

3
00:00:05,000 --> 00:00:07,000
Dan: Hello! Glad

4
00:00:07,000 --> 00:00:09,000
to be here.

5
00:00:09,000 --> 00:00:10,000
Dan: And again.

6
00:00:10,000 --> 00:00:12,000
Bekah: Great.

7
00:00:12,000 --> 00:00:14,000
Dan: Bye.
"""


def test_srt_labels_where_the_speaker_changes_each_open_a_turn():
    result = parse_transcript(SRT)
    assert [t.label for t in result.turns] == ["Bekah Hawrot Weigel", "Dan", "Dan", "Bekah", "Dan"]
    assert result.turns[0].text == "Hello, and welcome to the show. I'm here with Dan."
    assert [t.start_seconds for t in result.turns] == [1.0, 5.0, 9.0, 10.0, 12.0]


def test_srt_first_name_label_is_the_person_of_the_full_name_label():
    result = parse_transcript(SRT)
    names = people(result)
    assert names["Bekah"] == names["Bekah Hawrot Weigel"] == "Bekah Hawrot Weigel"
    assert len({names["Bekah"], names["Dan"]}) == 2


# --- HTML whose markup marks the speaker --------------------------------------------------------------

COUNCIL_HTML = """<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN">
<HTML><HEAD><TITLE>Created by BCL easyConverter SDK 3 (HTML Version)</TITLE></HEAD><BODY>
<P class="p1">COUNCIL OF THE TOWN OF RIVERS</P>
<P class="p2"><SPAN class="ft1">Clerk: </SPAN>Mr. Speaker, all present.</P>
<P class="p2"><SPAN class="ft1">Mr. Speaker: </SPAN>Thank you. Ann Lake, please.</P>
<P class="p2"><SPAN class="ft7">Ann Lake: </SPAN>Thank you for hearing me.</P>
<P class="p2"><SPAN class="ft1">Mr. Speaker</SPAN>: Thank you. The vote.</P>
<P class="p2">SECOND READINGS Mr. Speaker: <SPAN class="ft12">I move the by-law.</SPAN></P>
<P class="p2"><SPAN class="ft1">City Clerk: </SPAN>Yeas 15, Nays 0.</P>
</BODY></HTML>
"""


def test_html_labels_in_their_own_element_are_speakers_even_once():
    result = parse_transcript(COUNCIL_HTML)
    assert [t.label for t in result.turns] == [
        "Clerk",
        "Mr. Speaker",
        "Ann Lake",
        "Mr. Speaker",
        "Mr. Speaker",
        "City Clerk",
    ]
    assert result.turns[4].text == "I move the by-law."  # the heading run into the label is cut off


def test_html_office_label_variants_are_one_participant_and_a_converter_title_is_none():
    result = parse_transcript(COUNCIL_HTML)
    names = people(result)
    assert names["Clerk"] == names["City Clerk"]
    assert "easyConverter" not in result.title


ORAL_HISTORY = (
    '<HTML><HEAD><META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=windows-1252">'
    "<TITLE>JOSEPH CONDON</TITLE></HEAD><BODY>"
    "<P>MSM:&#9;How did you get involved?</P><P>&nbsp;</P>"
    "<P>Condon:&#9;I don\x92t know.</P><P>&nbsp;</P>"
    "<P>MSM:&#9;When was that?</P><P>&nbsp;</P>"
    "<P>Condon:&#9;Fifteen years ago.</P><P>&nbsp;</P>"
    "<P>McIlroy:&#9;If you are interested in this.</P>"
    "</BODY></HTML>"
)


def test_windows_1252_html_is_read_in_its_declared_charset_and_tab_labels_are_speakers():
    text, warnings = read_upload(ORAL_HISTORY.encode("latin-1"), "condon.html")
    assert warnings == []  # the page says its encoding: nothing to guess
    result = parse_transcript(text)
    assert [t.label for t in result.turns] == ["MSM", "Condon", "MSM", "Condon", "McIlroy"]
    assert result.turns[1].text == "I don’t know."


HEARING_LINES = [
    "    The Chairman. The committee will come to order. Mr. Koo",
    "will speak first.",
    "    Mr. Koo. Thank you, Chairman, and members of the",
    "committee.",
    "    The Chairman. Mr. Hinojosa has a question for the",
    "witness.",
    "    Mrs. McCarthy of New York. [presiding] Thank you, and",
    "welcome.",
    "    Mr. Koo. Yes, that is",
    "right.",
]
COMMITTEE_HEARING = "<html><title>HEARING</title><body><pre>\n" + "\n".join(HEARING_LINES * 4) + "\n</pre></body>"


def test_committee_hearing_mixed_case_period_labels():
    result = parse_transcript(COMMITTEE_HEARING)
    assert [t.label for t in result.turns][:4] == [
        "The Chairman",
        "Mr. Koo",
        "The Chairman",
        "Mrs. McCarthy of New York",
    ]
    assert len(result.turns) == 20
    assert result.turns[1].text == "Thank you, Chairman, and members of the committee."
    assert result.turns[3].text == "[presiding] Thank you, and welcome."


# --- Pure helpers ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "label, expected",
    [
        ("The Chair (Mr. Lloyd Longfield (Guelph, Lib.))", ("Lloyd Longfield", "The Chair")),
        ("Mr. Benjamin Fung (Professor, McGill University)", ("Benjamin Fung", "Professor, McGill University")),
        ("Le très hon. Justin Trudeau (premier ministre, Lib.)", ("Justin Trudeau", "premier ministre, Lib.")),
        ("L'hon. Rona Ambrose (chef de l'opposition, PCC)", ("Rona Ambrose", "chef de l'opposition, PCC")),
        ("Mme Ruby Sahota", ("Ruby Sahota", "")),
        ("Le Président", ("", "")),
        ("Mr. SPEAKER", ("", "")),
        ("LEMON", ("", "")),
    ],
)
def test_person_of_a_parliamentary_label(label, expected):
    assert person_of(label) == expected


def test_same_person_keys_only_join_an_unambiguous_longer_form():
    keys = same_person_keys(["Mr. John Smith", "Mr. Jane Smith", "Mr. Smith", "Kirk", "Kirk Shillingford"])
    assert keys["Mr. Smith"] == "Smith"  # two Smiths: no guess
    assert keys["Kirk"] == keys["Kirk Shillingford"]


def test_typo_keys_need_a_frequent_near_twin_and_a_long_enough_name():
    assert typo_keys(["KERIK"] * 3 + ["KERIRK"]) == {"KERIRK": "KERIK"}
    assert typo_keys(["KERIK", "KERIRK"]) == {}  # neither is the usual spelling
    assert typo_keys(["COHN"] * 3 + ["COHEN"]) == {}  # short names differ by a letter for real


# --- Garbled input never crashes a reader ---------------------------------------------------------------

XML_PIECES = st.sampled_from(
    [
        '<?xml version="1.0"?>',
        "<Hansard>",
        "</Hansard>",
        "<Intervention>",
        "</Intervention>",
        "<PersonSpeaking>",
        "</PersonSpeaking>",
        '<Affiliation DbId="1">',
        "</Affiliation>",
        "<ParaText>",
        "</ParaText>",
        "<p>",
        "</p>",
        "<member>",
        "</member>",
        "<lb/>",
        "<col>12</col>",
        "&amp;",
        "&bogus;",
        "Mr. X",
        ": ",
        "Hello there.",
        "<!DOCTYPE d>",
    ]
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20) | st.just([]) | st.just({}),
    lambda inner: (
        st.lists(inner, min_size=1, max_size=4)
        | st.dictionaries(
            st.sampled_from(["speaker", "speech", "text", "sentences", "title", "date", "x"]),
            inner,
            min_size=1,
            max_size=4,
        )
    ),
    max_leaves=20,
)
CUE_PIECES = st.sampled_from(
    ["WEBVTT\n\n", "1\n", "00:00:01,000 --> 00:00:02,000\n", "00:00:01.000 --> 00:00:02.000\n", "<v Ann>", "</v>"]
    + ["Ann: hi\n", "Dan: ok\n", "\n", "words\n", "-->", "99:99:99,999"]
)


def parses_or_says_why(text):
    try:
        result = parse_transcript(text)
    except ParseError as error:
        assert str(error).strip()
    else:
        assert result.turns and all(t.paragraphs for t in result.turns)


@FAST
@given(st.lists(XML_PIECES, max_size=30))
def test_garbled_xml_parses_or_is_refused_with_a_message(pieces):
    parses_or_says_why("".join(pieces))


@FAST
@given(JSON_VALUES)
def test_any_json_parses_or_is_refused_with_a_message(value):
    parses_or_says_why(json.dumps(value))


@FAST
@given(st.text(max_size=200).map(lambda t: '{"sections": [' + t))
def test_broken_json_parses_or_is_refused_with_a_message(text):
    parses_or_says_why(text)


@FAST
@given(st.lists(CUE_PIECES, max_size=30))
def test_garbled_captions_parse_or_are_refused_with_a_message(pieces):
    parses_or_says_why("".join(pieces))


def test_a_page_title_cut_mid_phrase_is_finished_from_the_pages_title_lines():
    page = (
        "<html><title> - MONETARY POLICY AND THE</title><body><pre>\n"
        "[House Hearing, 111 Congress]\n\n"
        "                        MONETARY POLICY AND THE\n\n"
        "                     STATE OF THE ECONOMY, PART II\n\n"
        "=======================================================================\n"
        + COMMITTEE_HEARING.split("<pre>\n", 1)[1]
    )
    assert parse_transcript(page).title == "MONETARY POLICY AND THE STATE OF THE ECONOMY, PART II"


def test_a_folder_import_takes_json_transcripts_but_not_sidecar_metadata(tmp_path):
    from transcripts.management.commands.import_transcripts import transcript_files

    (tmp_path / "panel.txt").write_text("JANE DOE: Hello.\n", encoding="utf-8")
    (tmp_path / "panel.txt.json").write_text('{"topics": ["Rivers"]}', encoding="utf-8")
    (tmp_path / "diet.json").write_text(json.dumps(DIET, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "sitting.xml").write_text(UK_HANSARD, encoding="utf-8")
    assert [p.name for p in transcript_files([tmp_path])] == ["diet.json", "panel.txt", "sitting.xml"]


@pytest.mark.parametrize("name", ["sitting.xml", "debate.json"])
def test_xml_and_json_uploads_are_read_by_name_and_content(name):
    data = (UK_HANSARD if name.endswith(".xml") else json.dumps(NEWS)).encode("utf-8")
    text, warnings = read_upload(data, name)
    assert warnings == [] and parse_transcript(text).turns


TEI = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader><profileDesc><particDesc><listPerson>
    <person xml:id="AnnaNowak"><persName><forename>Anna</forename> <surname>Nowak</surname></persName></person>
    <person xml:id="JanKowal"><persName><forename>Jan</forename> <surname>Kowal</surname></persName></person>
  </listPerson></particDesc></profileDesc></teiHeader>
  <text><body><div>
    <head>Sitting of the Sejm</head>
    <note type="time">10:00</note>
    <u who="#AnnaNowak"><seg>I open the sitting.</seg><seg>The floor is yours.</seg></u>
    <u who="#JanKowal"><seg>Thank you.</seg></u>
    <u who="#AnnaNowak"><seg>Thank you, Mr Kowal.</seg></u>
  </div></body></text>
</TEI>
"""


def test_tei_utterances_take_the_speaker_from_the_person_list():
    result = parse_transcript(TEI)
    assert [t.label for t in result.turns] == ["Anna Nowak", "Jan Kowal", "Anna Nowak"]
    assert [p.text for p in result.turns[0].paragraphs] == ["I open the sitting.", "The floor is yours."]
    assert len(result.participants) == 2


AKOMA_NTOSO = """<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0"><debate><debateBody>
<debateSection><heading>Questions</heading>
<speech by="#jdoe"><from>Hon. Jane Doe (Minister of Water)</from><p>Rivers are rising.</p><p>We act.</p></speech>
<speech by="#rroe"><from>Mr. Roe</from><p>When?</p></speech>
<speech by="#jdoe"><from>Ms. Doe</from><p>Now.</p></speech>
</debateSection></debateBody></debate></akomaNtoso>
"""


def test_akoma_ntoso_speeches_and_the_short_form_of_a_member():
    result = parse_transcript(AKOMA_NTOSO)
    assert [t.label for t in result.turns] == ["Hon. Jane Doe (Minister of Water)", "Mr. Roe", "Ms. Doe"]
    assert result.turns[0].text == "Rivers are rising.\n\nWe act."
    names = people(result)
    assert names["Ms. Doe"] == names["Hon. Jane Doe (Minister of Water)"] == "Jane Doe"


VOICE_LINES = """00:00:00 <v Michael Kennedy>Hello and welcome to the show.

00:00:05 <v Michael Kennedy>This is episode 456.

00:00:12 <v Brian Okken>And I am Brian. You should check them <v Brian Okken>out.

00:00:20 <v Brian Okken>Right, <v Michael Kennedy>Yes indeed.

00:00:24 <v Speaker 3>Hi.
"""


def test_voice_tagged_lines_are_read_by_the_label_grammar_with_their_times():
    """Caption text flattened to lines: each voice tag opens a turn, even mid-line, and a
    line's time is its first turn's start."""
    result = parse_transcript(VOICE_LINES)
    assert [(t.label, t.text, t.start_seconds) for t in result.turns] == [
        ("Michael Kennedy", "Hello and welcome to the show.", 0.0),
        ("Michael Kennedy", "This is episode 456.", 5.0),
        ("Brian Okken", "And I am Brian. You should check them", 12.0),
        ("Brian Okken", "out.", None),
        ("Brian Okken", "Right,", 20.0),
        ("Michael Kennedy", "Yes indeed.", None),
        ("Speaker 3", "Hi.", 24.0),
    ]
