"""Who speaks (transcripts/parsing/people.py, variants.py): one person one participant,
roles inferred from the text with a reason, and generic labels that are nobody in particular."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transcripts.parsing import (
    CHAIR,
    COUNSEL,
    HOST,
    MEMBER,
    OPERATOR,
    PANELIST,
    PRESIDER,
    QUESTIONER,
    WITNESS,
    Participant,
    parse_transcript,
)
from transcripts.parsing.people import GENERIC_WORDS, is_generic_name, label_role
from transcripts.parsing.role_words import cjk_name_and_roles
from transcripts.parsing.variants import bracketed_name, merge_variants


def paragraphs(*lines: str) -> str:
    return "\n\n".join(lines) + "\n"


def people(result) -> list[tuple[str, str]]:
    return [(p.name, p.label) for p in result.participants]


def roles(*lines: str) -> dict[str, tuple[str, str]]:
    """Each participant's name -> (role, reason) in a transcript of these paragraphs."""
    return {p.name: (p.role, p.role_reason) for p in parse_transcript(paragraphs(*lines)).participants}


def speakers(result) -> list[str]:
    return [result.participant(t.speaker).name for t in result.turns]


# --- one person, one participant -------------------------------------------------------------------------------------


def test_spacing_and_punctuation_variants_are_one_participant():
    result = parse_transcript(
        paragraphs(
            "HON. DR. J. SMITH: We begin today.",
            "MS. JANE ROE: Thank you.",
            "HON. DR J. SMITH: Next item.",
            "MS. JANE ROE: Agreed.",
        )
    )
    assert people(result) == [("Dr. J. Smith", "HON. DR. J. SMITH"), ("Jane Roe", "MS. JANE ROE")]
    assert speakers(result) == ["Dr. J. Smith", "Jane Roe", "Dr. J. Smith", "Jane Roe"]


def test_short_later_form_is_the_full_name_given_first():
    result = parse_transcript(
        paragraphs("Mr Bob Stone: Will she give way?", "Ms Jane Roe: I will not.", "Mr Stone: Shame.", "Ms Roe: Order.")
    )
    assert [p.name for p in result.participants] == ["Bob Stone", "Jane Roe"]
    assert speakers(result) == ["Bob Stone", "Jane Roe", "Bob Stone", "Jane Roe"]
    assert not [w for w in result.warnings if "could not be matched" in w]


def test_a_family_name_two_people_share_merges_with_neither():
    names = ["Bob Stone", "Amy Stone", "Stone"]
    into = merge_variants([Participant(name, name) for name in names])
    assert {key: p.name for key, p in into.items()} == {name: name for name in names}


def test_bracketed_long_form_and_defined_initials():
    long_form = Participant("long", "The Minister for Health (Ms Jane Roe)")
    short = Participant("short", "Roe", "Ms Roe")
    defined = Participant("defined", "Ann Lee (AL)")
    initials = Participant("initials", "Al", "AL")
    other = Participant("other", "Bob Kim")
    into = merge_variants([long_form, short, defined, initials, other])
    assert {key: p.name for key, p in into.items()} == {
        "long": "Jane Roe",
        "short": "Jane Roe",
        "defined": "Ann Lee",
        "initials": "Ann Lee",
        "other": "Bob Kim",
    }
    assert bracketed_name("Bob Kim (BK)") == ("Bob Kim", "BK")
    assert bracketed_name("Bob Kim (ZZ)") == ("Bob Kim (ZZ)", "")  # not its initials: nothing defined


def test_front_matter_speakers_list_names_the_labels():
    result = parse_transcript(
        "---\ntitle: Rivers\nspeakers:\n  - Ann Lee\n  - Bob Kim\n---\nANN: Hello.\n\nBOB: Hi there.\n\nANN: Bye.\n"
    )
    assert people(result) == [("Ann Lee", "ANN"), ("Bob Kim", "BOB")]
    assert not [w for w in result.warnings if "speakers" in w or "could not be matched" in w]


def test_a_self_introduction_with_only_a_first_name_is_no_name():
    result = parse_transcript(paragraphs("MODERATOR: Questions?", "Q: Hi, I'm Maria. What about rent?"))
    asker = result.participant(result.turns[1].speaker)
    assert (asker.name, asker.generic) == ("Questioner", True)


def test_an_office_holder_and_the_same_name_under_a_title_are_one_person():
    result = parse_transcript(
        paragraphs(
            "An Cathaoirleach: I call the Minister.",
            "Minister for Health (Deputy Ann Lee): Thank you.",
            "Senator Bob Kim: Will the Minister answer?",
            "Deputy Ann Lee: I will.",
            "Acting Chairperson (Senator Bob Kim): Time is up.",
            "An Cathaoirleach: Thank you.",
        )
    )
    assert [p.name for p in result.participants] == ["An Cathaoirleach", "Ann Lee", "Bob Kim"]
    assert speakers(result) == ["An Cathaoirleach", "Ann Lee", "Bob Kim", "Ann Lee", "Bob Kim", "An Cathaoirleach"]


def test_a_party_in_brackets_and_an_office_before_the_name_are_not_the_name():
    result = parse_transcript(
        paragraphs(
            "Präsident Dr. Jan Roth: Ich eröffne die Sitzung.",
            "Petra Kühn (DIE LINKE): Danke, Herr Präsident.",
            "Dr. Jan Roth (SPD): Ich danke Ihnen.",
            "Dr. h. c. Uwe Brandt (FDP): Ich auch.",
            "Präsident Dr. Jan Roth: Die Sitzung ist geschlossen.",
        )
    )
    assert [(p.name, p.affiliation) for p in result.participants] == [
        ("Jan Roth", "SPD"),
        ("Petra Kühn", "DIE LINKE"),
        ("Uwe Brandt", "FDP"),
    ]
    assert speakers(result) == ["Jan Roth", "Petra Kühn", "Jan Roth", "Uwe Brandt", "Jan Roth"]


def test_chinese_role_words_and_courtesy_titles_around_a_name_are_one_person():
    result = parse_transcript(
        paragraphs(
            "主持人王明：欢迎收看节目。今天的嘉宾是李华先生。",
            "李华先生：谢谢主持人。",
            "记者张丽：请问您什么时候来的？",
            "李华：去年来的。",
            "张丽记者：还有一个问题？",
            "录音：“喂，你好。”",
            "李华先生：这就是录音。",
        )
    )
    assert [(p.name, p.title, p.role) for p in result.participants] == [
        ("王明", "主持人", HOST),
        ("李华", "", PANELIST),
        ("张丽", "记者", QUESTIONER),
    ]
    assert speakers(result) == ["王明", "李华", "张丽", "李华", "张丽", "李华"]
    assert "[录音]" in result.turns[4].text  # the recording played is no speaker


def test_a_recording_played_is_not_listed_as_a_label_used_once():
    lines = [f"主持人王明：第{n}个问题？" if n % 2 else f"李华先生：第{n}个回答。" for n in range(12)]
    result = parse_transcript(paragraphs(*lines[:6], "播放录音：“喂。”", "刘亚星：我只说一次。", *lines[6:]))
    once = [w for w in result.warnings if "start only one turn" in w]
    assert once == [
        "These labels start only one turn each: '刘亚星'. "
        "Check that each is a speaker (and not text that happens to end in a colon)."
    ]


@given(
    st.text(alphabet="王李张刘陈杨黄赵周吴徐孙马朱胡郭何林高罗", min_size=2, max_size=3),
    st.sampled_from(["主持人", "记者", "委員長", "議長", "司会"]),
    st.sampled_from(["先生", "女士", "小姐", "さん", "氏", "记者", ""]),
)
def test_any_cjk_name_keeps_itself_without_its_role_words(name, before, after):
    assert cjk_name_and_roles(f"{before}{name}{after}")[0] == name
    assert cjk_name_and_roles(name) == (name, [])


# --- generic labels --------------------------------------------------------------------------------------------------


def test_generic_labels_are_speakers_of_the_event_only():
    result = parse_transcript(
        paragraphs(
            "MODERATOR: Welcome.",
            "JANE DOE: Thanks for having me.",
            "SPEAKER 2: Hello.",
            "SPEAKER_00: Hi.",
            "OPERATOR: Next line.",
            "REPORTER: And then?",
            "Q: Another question?",
            "JANE DOE: An answer.",
        )
    )
    generic = {p.label: p.generic for p in result.participants}
    assert generic == {
        "MODERATOR": True,
        "JANE DOE": False,
        "SPEAKER 2": True,
        "SPEAKER_00": True,
        "OPERATOR": True,
        "REPORTER": True,
        "Q": True,
    }


def test_a_questioner_naming_themself_is_offered_for_that_turn():
    result = parse_transcript(
        paragraphs(
            "MODERATOR: Questions?",
            "Q: Hi, I'm Jane Doe from Reuters. What now?",
            "SAM LEE: Later.",
            "Q: And another?",
        )
    )
    jane = result.participant(result.turns[1].speaker)
    assert (jane.name, jane.role, jane.generic) == ("Jane Doe", QUESTIONER, False)
    assert jane.role_reason == "introduced themself in turn 2: “Hi, I'm Jane Doe from Reuters.”"
    assert result.participant(result.turns[3].speaker).name == "Questioner"


@given(st.lists(st.sampled_from(sorted(GENERIC_WORDS)), min_size=1, max_size=4), st.integers(0, 99))
def test_any_label_made_of_role_words_and_a_number_is_generic(words, number):
    assert is_generic_name(" ".join(words))
    assert is_generic_name(f"{'_'.join(words).upper()}_{number:02d}")


@given(st.sampled_from(["Jane", "Maria", "Ahmed", "Li"]), st.lists(st.sampled_from(sorted(GENERIC_WORDS)), max_size=3))
def test_a_label_with_a_name_in_it_is_a_person(name, words):
    assert not is_generic_name(" ".join([*words, name]))


# --- roles from the text ---------------------------------------------------------------------------------------------


def test_town_hall_audience_members_are_questioners():
    assert roles(
        "DON LEMON: Welcome to the town hall. Our first question is from Jane Doe.",
        "JANE DOE: Mr. President, what about jobs?",
        "PRESIDENT JOE BIDEN: Jobs are coming.",
        "DON LEMON: Next is Bob Smith.",
        "BOB SMITH: What about roads?",
        "PRESIDENT JOE BIDEN: Roads too.",
    ) == {
        "Don Lemon": (PRESIDER, "opens the event and introduces the other speakers"),
        "Joe Biden": (PANELIST, "speaks before the Q&A"),
        "Jane Doe": (QUESTIONER, "only asks questions (1 turn)"),
        "Bob Smith": (QUESTIONER, "only asks questions (1 turn)"),
    }


def test_hearing_roles_chair_member_witness_counsel_operator():
    result = parse_transcript(
        paragraphs(
            "THE CHAIRMAN: The committee will come to order.",
            "SENATOR MURPHY: Thank you, Mr. Chairman.",
            "MR. ALAN PARK: I am glad to testify today about barges.",
            "SENATOR MURPHY: How many barges?",
            "MR. ALAN PARK: Forty.",
            "COUNSEL: Objection to the form.",
            "OPERATOR: The line is open.",
            "THE CHAIRMAN: Thank you, Mr. Park.",
        )
    )
    roles = {p.label: (p.role, p.role_reason) for p in result.participants}
    assert roles == {
        "THE CHAIRMAN": (CHAIR, "the label says “THE CHAIRMAN”"),
        "SENATOR MURPHY": (MEMBER, "the label says “SENATOR MURPHY”"),
        "MR. ALAN PARK": (WITNESS, "answers at a session with members"),
        "COUNSEL": (COUNSEL, "the label says “COUNSEL”"),
        "OPERATOR": (OPERATOR, "the label says “OPERATOR”"),
    }


@pytest.mark.parametrize(
    "label, role",
    [
        ("Le Président", CHAIR),
        ("La Présidente", CHAIR),
        ("Der Präsident", CHAIR),
        ("Vizepräsidentin", CHAIR),
        ("An Cathaoirleach", CHAIR),
        ("主席", CHAIR),
        ("議長", CHAIR),
        ("委員長", CHAIR),
        ("会長", CHAIR),
        ("司会", PRESIDER),
        ("Moderatorin", PRESIDER),
        ("Témoin", WITNESS),
        ("Zeugin", WITNESS),
        ("THE PRESIDENT", None),  # a head of state at the event, not the chair of a sitting
    ],
)
def test_role_words_in_other_languages_give_the_role(label, role):
    assert label_role(label) == role
    assert is_generic_name(label) == (role is not None)


def test_a_family_name_that_is_also_an_article_is_a_name():
    result = parse_transcript(paragraphs("LE: Hello.", "PAT GREEN: Hi, Mr. Le.", "LE: Bye.", "PAT GREEN: Bye."))
    le = result.participant(result.turns[0].speaker)
    assert (le.name, le.generic) == ("Le", False)
    assert not [w for w in result.warnings if "does not name a person" in w]


def test_a_foreign_office_before_a_name_gives_the_role_and_says_why():
    result = parse_transcript(
        paragraphs(
            "Vizepräsidentin Petra Pau: Das Wort hat Herr Kauder.",
            "Volker Kauder (CDU/CSU): Danke, Frau Präsidentin.",
            "Vizepräsidentin Petra Pau: Gut.",
            "Volker Kauder (CDU/CSU): Ja.",
        )
    )
    roles = {p.name: (p.role, p.title, p.role_reason, p.generic) for p in result.participants}
    assert roles == {
        "Petra Pau": (CHAIR, "Vizepräsidentin", "the label calls them “Vizepräsidentin”", False),
        "Volker Kauder": (MEMBER, "", "sits for CDU/CSU in a sitting with a chair", False),
    }
    assert is_generic_name("Sprecher 2") and is_generic_name("Intervenant 1")  # "Speaker 2" elsewhere


def test_a_riding_and_party_in_brackets_make_a_member_even_one_who_only_asks():
    assert roles(
        "Le Président: À l'ordre.",
        "Mme Ruby Sahota (Brampton-Nord, Lib.): Le ministre peut-il répondre?",
        "Le Président: Le ministre.",
        "Hon. Bob Kim (Fredericton, NPD): Oui.",
        "Le Président: Merci.",
        "Mme Ruby Sahota (Brampton-Nord, Lib.): Merci.",
        "Hon. Bob Kim (Fredericton, NPD): De rien.",
    ) == {
        "Le Président": (CHAIR, "the label says “Le Président”"),
        "Ruby Sahota": (MEMBER, "sits for Lib. in a sitting with a chair"),
        "Bob Kim": (MEMBER, "sits for NPD in a sitting with a chair"),
    }


def test_an_employer_in_brackets_makes_no_member():
    result = parse_transcript(
        paragraphs(
            "Le Président: La séance est ouverte.",
            "Paul Roy (Acme Institute): Merci.",
            "Le Président: Merci.",
            "Paul Roy (Acme Institute): Bien.",
        )
    )
    assert [(p.name, p.role) for p in result.participants] == [("Le Président", CHAIR), ("Paul Roy", PANELIST)]


def test_every_inferred_role_has_a_reason():
    result = parse_transcript(
        paragraphs(
            "PAT GREEN: I'll be moderating. Welcome Sam Lee and Kim Ray.",
            "SAM LEE: Thanks.",
            "KIM RAY: Glad to be here.",
            "Q: Hi, I'm Jane Doe from Reuters. A question?",
        )
    )
    assert [(p.name, p.role) for p in result.participants] == [
        ("Pat Green", PRESIDER),
        ("Sam Lee", PANELIST),
        ("Kim Ray", PANELIST),
        ("Jane Doe", QUESTIONER),
    ]
    assert result.participants[0].role_reason == "says they preside in turn 1"
    assert result.participants[1].role_reason == "introduced by the presider"
    assert all(p.role_reason for p in result.participants)


def test_the_one_who_asks_while_another_answers_presides():
    result = parse_transcript(
        paragraphs(
            "THE PRESIDENT: Good to be here.",
            "MR. LEMON: How have you been? What brings you?",
            "THE PRESIDENT: Jobs bring me. Lots of them.",
            "MR. LEMON: And inflation?",
            "THE PRESIDENT: It will pass.",
            "MR. LEMON: Thank you. Now to the audience.",
            "THE PRESIDENT: Good.",
        )
    )
    lemon = result.participant(result.turns[1].speaker)
    assert (lemon.role, lemon.role_reason) == (PRESIDER, "asks the questions (2 of 3 turns hold one) and hands over")
    assert result.participant(result.turns[0].speaker).role == PANELIST
