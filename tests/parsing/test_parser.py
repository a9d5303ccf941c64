"""The parser on the real CFR sample: every expectation pinned."""

import datetime
import itertools
import json
from collections import Counter

import pytest

from tests.conftest import SAMPLE
from transcripts.parsing import (
    DISCUSSION,
    OPERATOR,
    PANELIST,
    PRESIDER,
    PROCEDURAL,
    QA,
    QUESTION,
    QUESTIONER,
    REMARK,
    parse_transcript,
)

COPPEDGE_BIO = (
    "Senior Counsel, Krevolin & Horst; Former Ambassador-at-Large, Office to Monitor and Combat "
    "Trafficking in Persons, U.S. Department of State (2015–2017); Member, Board of Directors, "
    "Polaris Project; CFR Member"
)
KARA_BIO = (
    "British Academy Global Professor and Associate Professor of Human Trafficking and Modern "
    "Slavery, University of Nottingham; Senior Fellow, Harvard T.H. Chan School of Public Health"
)
KRELL_BIO = (
    "Former Supervising Deputy Attorney General, Special Crimes Unit, State of California; "
    "Author, Taking Down Backpage: Fighting The World’s Largest Sex Trafficker"
)
LAGON_BIO = (
    "Chief Policy Officer, Friends of the Global Fight Against AIDS, Tuberculosis and Malaria; "
    "Former Ambassador-at-Large, Office to Monitor and Combat Trafficking in Persons, U.S. "
    "Department of State (2007–2009); CFR Member"
)
EXPECTED_BIOS = {
    "Susan Coppedge": COPPEDGE_BIO,
    "Siddharth Kara": KARA_BIO,
    "Maggy Krell": KRELL_BIO,
    "Mark Lagon": LAGON_BIO,
}


@pytest.fixture(scope="module")
def text():
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def t(text):
    return parse_transcript(text)


def by_name(t, name):
    return next(p for p in t.participants if p.name == name)


def test_header_fields(t):
    assert t.title == "Combating Human Trafficking and Modern Slavery"
    assert t.date == datetime.date(2022, 2, 17)
    assert t.photo_credit == "REUTERS/Go Nakamura"
    assert t.description == (
        "Following National Slavery and Human Trafficking Prevention Month, panelists examine efforts "
        "by the private sector, multilateral institutions, and governments to combat human trafficking "
        "and raise awareness about the crimes of modern slavery."
    )
    assert t.organiser == "Council on Foreign Relations"
    assert t.topics == [] and t.source_url == "" and t.media_url == ""


def test_turn_counts(t):
    assert len(t.turns) == 63
    assert Counter(turn.label for turn in t.turns) == {
        "LAGON": 29,
        "KARA": 9,
        "COPPEDGE": 8,
        "KRELL": 7,
        "OPERATOR": 5,
        "Q": 5,
    }
    assert [turn.position for turn in t.turns] == list(range(1, 64))


def test_turn_order(t):
    assert [turn.label for turn in t.turns[:12]] == [
        "LAGON",
        "COPPEDGE",
        "LAGON",
        "KARA",
        "LAGON",
        "KRELL",
        "LAGON",
        "COPPEDGE",
        "LAGON",
        "KARA",
        "LAGON",
        "KRELL",
    ]
    assert [turn.label for turn in t.turns[18:22]] == ["LAGON", "OPERATOR", "Q", "LAGON"]


def test_turns_keep_all_their_paragraphs(t):
    first = t.turns[0]
    assert len(first.paragraphs) == 8
    assert first.paragraphs[0].text.startswith("Thank you. Welcome to today’s Council on Foreign Relations meeting")
    assert first.paragraphs[-1].text.endswith(
        "Could you talk a bit about the tensions between these two important goals in combating trafficking?"
    )
    assert len(t.turns[1].paragraphs) == 7  # COPPEDGE's story
    assert len(t.turns[36].paragraphs) == 3 and t.turns[36].label == "KARA"
    # A turn runs to the next label even across a double blank line.
    assert t.turns[12].label == "LAGON" and len(t.turns[12].paragraphs) == 2
    assert t.turns[13].text.startswith("My—one of my issues")
    assert all(p.text == p.text.strip() and "\n" not in p.text for turn in t.turns for p in turn.paragraphs)
    assert all(turn.timestamp == "" for turn in t.turns)


def test_main_speakers(t):
    lagon = by_name(t, "Mark Lagon")
    assert (lagon.label, lagon.role, lagon.title) == ("LAGON", PRESIDER, LAGON_BIO)
    for name, label in [("Susan Coppedge", "COPPEDGE"), ("Siddharth Kara", "KARA"), ("Maggy Krell", "KRELL")]:
        person = by_name(t, name)
        assert (person.label, person.role, person.title) == (label, PANELIST, EXPECTED_BIOS[name])
    operator = by_name(t, "Operator")
    assert (operator.label, operator.role, operator.key) == ("OPERATOR", OPERATOR, "Operator")


def test_participant_order_and_questioners(t):
    assert [p.name for p in t.participants] == [
        "Mark Lagon",
        "Susan Coppedge",
        "Siddharth Kara",
        "Maggy Krell",
        "Operator",
        "Peter Galbraith",
        "Shirin Tahir-Kheli",
        "Kristin Lord",
        "Elizabeth Verville",
        "Jaeduk Seo",
    ]
    questioners = [(p.name, p.label, p.role, p.affiliation) for p in t.participants if p.role == QUESTIONER]
    assert questioners == [
        ("Peter Galbraith", "Q", QUESTIONER, ""),
        ("Shirin Tahir-Kheli", "Q", QUESTIONER, ""),
        ("Kristin Lord", "Q", QUESTIONER, "IREX"),
        ("Elizabeth Verville", "Q", QUESTIONER, ""),
        ("Jaeduk Seo", "Q", QUESTIONER, "Radio Free Asia"),
    ]
    q_speakers = [t.participant(turn.speaker).name for turn in t.turns if turn.label == "Q"]
    assert q_speakers == [name for name, *_ in questioners]
    assert len({p.key for p in t.participants}) == len(t.participants)


def test_every_turn_has_a_known_speaker(t):
    keys = {p.key for p in t.participants}
    assert all(turn.speaker in keys for turn in t.turns)
    expected = {
        "LAGON": "Mark Lagon",
        "KARA": "Siddharth Kara",
        "COPPEDGE": "Susan Coppedge",
        "KRELL": "Maggy Krell",
        "OPERATOR": "Operator",
    }
    for turn in t.turns:
        if turn.label in expected:
            assert t.participant(turn.speaker).name == expected[turn.label]


def test_kinds(t):
    kinds = {turn.position: turn.kind for turn in t.turns}
    for turn in t.turns:
        if turn.label == "Q":
            assert turn.kind == QUESTION
        elif turn.label == "OPERATOR":
            assert turn.kind == PROCEDURAL
    assert t.turns[60].text == "(Inaudible.)" and kinds[61] == PROCEDURAL  # stage direction only
    assert kinds[62] == REMARK  # "(Laughs.) You know, …" has speech too
    assert Counter(kinds.values()) == {REMARK: 52, QUESTION: 5, PROCEDURAL: 6}


def test_sections(t):
    start = next(turn for turn in t.turns if turn.section == QA)
    assert start.label == "LAGON" and "invite members" in start.text and start.position == 19
    assert all(turn.section == DISCUSSION for turn in t.turns[:18])
    assert all(turn.section == QA for turn in t.turns[18:])


def test_stage_directions_marked_in_place(t):
    def stages(turn):
        return [s.text for p in turn.paragraphs for s in p.segments if s.kind == "stage"]

    assert stages(t.turns[11]) == ["(laughs)"]
    assert "It’s a—(laughs)—I don’t even know" in t.turns[11].text
    assert stages(t.turns[15]) == ["(Laughs.)"]
    assert t.turns[15].text.startswith("Well, you took my idea, Ambassador Lagon. (Laughs.) I agree")
    assert stages(t.turns[19]) == ["(Gives queuing instructions.)"]
    assert stages(t.turns[49]) == ["(audio break)"] and "forced labor—(audio break)—labor" in t.turns[49].text
    assert stages(t.turns[60]) == ["(Inaudible.)"]
    all_stages = [s for turn in t.turns for s in stages(turn)]
    assert len(all_stages) == 6
    for turn in t.turns:
        for p in turn.paragraphs:
            assert "".join(s.text for s in p.segments) == p.text
            assert {s.kind for s in p.segments} <= {"speech", "stage"}
    # Stage directions are not turns.
    assert not any(turn.label.startswith("(") for turn in t.turns)


def test_page_furniture_is_cut(t):
    last = t.turns[-1]
    assert last.label == "LAGON"
    assert last.text.endswith("so go back to it and share it with colleagues. Thank you very much.")
    assert len(last.paragraphs) == 2
    assert not any("Top Stories" in turn.text or "Kenya" in turn.text or "Raisi" in turn.text for turn in t.turns)


def test_warnings(t):
    # The sample is clean: the only thing worth telling staff is what was cut.
    assert t.warnings == ["Dropped 3 paragraphs of page furniture after the last turn, starting 'Top Stories on CFR'."]


def test_to_dict_is_json(t):
    data = json.loads(json.dumps(t.to_dict()))
    assert data["date"] == "2022-02-17" and len(data["turns"]) == 63
    assert data["turns"][20]["speaker_name"] == "Peter Galbraith"


def _bio_lines(lines):
    starts = (
        "Senior Counsel, Krevolin",
        "British Academy Global",
        "Former Supervising Deputy",
        "Chief Policy Officer, Friends",
    )
    return [next(i for i, line in enumerate(lines) if line.startswith(s)) for s in starts]


def test_bios_matched_by_content_not_position(text):
    lines = text.split("\n")
    spots = _bio_lines(lines)
    originals = [lines[i] for i in spots]
    for order in itertools.permutations(range(4)):
        shuffled = list(lines)
        for spot, source in zip(spots, order):
            shuffled[spot] = originals[source]
        parsed = parse_transcript("\n".join(shuffled))
        titles = {p.name: p.title for p in parsed.participants if p.title}
        assert titles == EXPECTED_BIOS, order
        assert parsed.warnings == parse_transcript(text).warnings


def test_windows_line_endings_give_the_same_result(text, t):
    assert parse_transcript(text.replace("\n", "\r\n")).to_dict() == t.to_dict()
    assert parse_transcript("\ufeff" + text.replace("\n", "\r")).to_dict() == t.to_dict()
