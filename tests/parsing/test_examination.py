"""Who answers in a court examination (transcripts/parsing/examination.py): the "A" turns
are the witness's the record names in its headings, else a generic "A" speaker."""

import pytest

from transcripts.parsing import COUNSEL, WITNESS, parse_transcript


def speakers(result) -> list[tuple[str, str]]:
    return [(t.label, result.participant(t.speaker).name) for t in result.turns]


def examination(*heading: str, questions: int = 2) -> str:
    lines = [
        "THE COURT: Call your witness.",
        "MR. KANE: The government calls Jane Doe.",
        *heading,
        "BY MR. KANE:",
    ]
    for n in range(questions):
        lines += [f"Q. Question {n}?", f"A. Answer {n}."]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    "heading",
    [
        ("JANE DOE,", "called as a witness by the Government,", "having been duly sworn, testified as follows:"),
        ("JANE DOE, WITNESS, SWORN",),
        ("DIRECT EXAMINATION OF JANE DOE",),
        ("THE WITNESS: My name is Jane Doe.",),
    ],
)
def test_answers_after_a_heading_naming_the_witness_are_the_witness_s(heading):
    result = parse_transcript(examination(*heading))
    answers = [name for label, name in speakers(result) if label == "A"]
    assert answers == ["Jane Doe", "Jane Doe"]
    jane = next(p for p in result.participants if p.name == "Jane Doe")
    assert jane.role == WITNESS and "is named as the witness" in jane.role_reason
    assert "A" not in [p.name for p in result.participants]  # nobody is left called "A"
    kane = next(p for p in result.participants if p.name.endswith("Kane"))
    assert (kane.role, kane.role_reason) == (COUNSEL, "examines the witness (“BY MR. KANE:”)")


def test_without_a_named_witness_the_answers_stay_a_generic_a_speaker():
    result = parse_transcript(examination("DIRECT EXAMINATION"))
    answering = {
        (result.participant(t.speaker).name, result.participant(t.speaker).generic)
        for t in result.turns
        if t.label == "A"
    }
    assert answering == {("A", True)}


def test_each_witness_answers_until_the_next_and_excused_ends_one():
    text = examination("JANE DOE,", "having been duly sworn, testified as follows:") + "\n".join(
        [
            "(Witness excused)",
            "THE COURT: Next.",
            "THE WITNESS: Thank you.",
            "ROBERT ROE,",
            "called as a witness, having been first duly sworn:",
            "BY MR. KANE:",
            "Q. Your name?",
            "A. Robert Roe.",
            "Q. Your job?",
            "A. Pilot.",
        ]
    )
    result = parse_transcript(text + "\n")
    said = speakers(result)
    assert [name for label, name in said if label == "A"] == ["Jane Doe", "Jane Doe", "Robert Roe", "Robert Roe"]
    assert ("THE WITNESS", "The Witness") in said  # between two witnesses: nobody named yet
    assert [p.name for p in result.participants if p.role == WITNESS and not p.generic] == ["Jane Doe", "Robert Roe"]
