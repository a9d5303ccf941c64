"""The label grammar's decisions (transcripts/parsing/grammar.py), each pinned through the
parser's public entry, parse_transcript(text, choices): how often a name must open a line to
be a speaker, when one used once is, and how a reviewer's forced and refused labels weigh."""

import pytest

from transcripts.parsing import LabelChoices, ParseError, parse_transcript

FILL = "The session went on for a while and nobody said anything else worth noting at all."


def turns(text: str, choices: LabelChoices | None = None) -> list[tuple[str, str]]:
    return [(turn.label, turn.text) for turn in parse_transcript("\n\n".join(text), choices).turns]


# Two speakers, each named at exactly two line starts, with plain paragraphs between (sparse),
# and a quotation opening one paragraph as "Name: words".
SPARSE = [
    "Jane Doe: Welcome to the panel.",
    FILL,
    FILL,
    "John Roe: Thank you, Jane.",
    FILL,
    FILL,
    "Jane Doe: Let us begin.",
    FILL,
    "Mark Twain: The reports of my death are greatly exaggerated.",
    FILL,
    "John Roe: Indeed.",
    FILL,
]


def test_a_name_at_two_line_starts_is_a_speaker():
    assert [label for label, _ in turns(SPARSE)] == ["Jane Doe", "John Roe", "Jane Doe", "John Roe"]


def test_a_name_used_once_in_a_sparse_transcript_is_a_quotation_not_a_speaker():
    result = parse_transcript("\n\n".join(SPARSE))
    third = result.turns[2]
    assert third.label == "Jane Doe"
    assert "Mark Twain: The reports of my death are greatly exaggerated." in third.text
    assert [(r.label, r.count) for r in result.label_candidates] == [("Mark Twain", 1)]


def test_a_name_used_once_where_every_paragraph_opens_with_a_name_is_a_speaker():
    dense = ["Charles Gibson: Welcome.", "Jane Doe: Thanks.", "Charles Gibson: Next.", "Cheryl Otis: My question."]
    assert turns([*dense, "Jane Doe: Answer."]) == [
        ("Charles Gibson", "Welcome."),
        ("Jane Doe", "Thanks."),
        ("Charles Gibson", "Next."),
        ("Cheryl Otis", "My question."),
        ("Jane Doe", "Answer."),
    ]


def test_a_one_word_label_needs_three_paragraph_starts():
    three = ["Interviewer: One.", "Guest: Two.", "Interviewer: Three.", "Guest: Four.", "Interviewer: Five."]
    assert [label for label, _ in turns([*three, "Guest: Six."])] == ["Interviewer", "Guest"] * 3
    with pytest.raises(ParseError, match="No speaker turns found"):
        parse_transcript("\n\n".join(["Interviewer: One.", "Guest: Two.", "Interviewer: Three.", "Guest: Four.", FILL]))


NO_COLON = ["MODERATOR  Welcome everyone.", "JANE DOE: Thanks.", "MODERATOR  Next question.", "JANE DOE: Sure."]


def test_a_label_with_no_colon_is_text_unless_the_reviewer_forces_it():
    assert [label for label, _ in turns(NO_COLON)] == ["JANE DOE", "JANE DOE"]
    assert turns(NO_COLON, LabelChoices(force={"MODERATOR"})) == [
        ("MODERATOR", "Welcome everyone."),
        ("JANE DOE", "Thanks."),
        ("MODERATOR", "Next question."),
        ("JANE DOE", "Sure."),
    ]


NOTES = ["JANE DOE: Hello.", "NOTE: this was recorded.", "JOHN ROE: Hi.", "NOTE: the end."]


def test_refusing_a_label_wins_over_forcing_it():
    assert [label for label, _ in turns(NOTES)] == ["JANE DOE", "NOTE", "JOHN ROE", "NOTE"]
    refused = turns(NOTES, LabelChoices(force={"NOTE"}, refuse={"note"}))
    assert refused == [("JANE DOE", "Hello.\n\nNOTE: this was recorded."), ("JOHN ROE", "Hi.\n\nNOTE: the end.")]
    no_colon = turns(NO_COLON, LabelChoices(force={"MODERATOR"}, refuse={"MODERATOR"}))
    assert [label for label, _ in no_colon] == ["JANE DOE", "JANE DOE"]
