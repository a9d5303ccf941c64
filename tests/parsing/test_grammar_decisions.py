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


def labels_of(text: str, choices: LabelChoices | None = None) -> list[str]:
    return [turn.label for turn in parse_transcript(text, choices).turns]


# --- The ending: colon labels unless period labels at paragraph starts outnumber them ---


@pytest.mark.parametrize(
    ("paragraphs", "expected"),
    [
        # One capitals label against one period label: a tie goes to the colon.
        (["ANN LEE: Hi.", "  Mr. BROWN. I rise."], ["ANN LEE"]),
        # A mixed-case name counts for the colon only once it opens two paragraphs (or is bold).
        (["Ann Lee: Hi.", "  Mr. BROWN. I rise."], ["Mr. BROWN"]),
        (["Ann Lee: Hi.", "  Mr. BROWN. I rise.", "Ann Lee: Again.", "  Mr. BROWN. Again."], ["Ann Lee", "Ann Lee"]),
        (["**Ann Lee:** Hi.", "  Mr. BROWN. I rise."], ["Ann Lee"]),
        # Two period labels against one colon label: the Congressional Record's grammar.
        (["ANN LEE: Hi.", "  Mr. BROWN. I rise.", "  Mr. GREEN. I rise too."], ["Mr. BROWN", "Mr. GREEN"]),
        # Dash labels win only when they outnumber both: a tie stays with the colon.
        (["BO PARK: One.", "Ann Lee - Two.", "BO PARK: Three.", "Ann Lee - Four."], ["BO PARK", "BO PARK"]),
        (["BO PARK: One.", "Ann Lee - Two.", "Ann Lee - Three.", "Ann Lee - Four."], ["Ann Lee"] * 3),
    ],
)
def test_the_ending_that_opens_more_paragraphs_is_the_documents_grammar(paragraphs, expected):
    assert labels_of("\n\n".join(paragraphs)) == expected


def test_period_labels_count_only_at_the_indent_most_of_them_share():
    """A hearing quoted inside a speech is indented further: its labels are text, even the
    speaker's own name."""
    result = parse_transcript(
        "\n\n".join(
            [
                "  Mr. BROWN. I rise to read a letter.",
                "      Mr. GREEN. This is the letter.",
                "      Mr. BROWN. And this my reply.",
                "  The PRESIDING OFFICER. Thank you.",
                "  Mr. BROWN. I yield.",
            ]
        )
    )
    assert [(t.label, t.text) for t in result.turns] == [
        ("Mr. BROWN", "I rise to read a letter.\n\nMr. GREEN. This is the letter.\n\nMr. BROWN. And this my reply."),
        ("The PRESIDING OFFICER", "Thank you."),
        ("Mr. BROWN", "I yield."),
    ]


def test_a_once_used_name_is_flagged_in_a_colon_document_only():
    colon = parse_transcript("\n\n".join(["ADAMS: Hi.", "BAKER: Yes.", "ADAMS: Now.\nMark Twain: a quote."]))
    assert [t.label for t in colon.turns] == ["ADAMS", "BAKER", "ADAMS"]
    assert any(w.startswith("'Mark Twain:' starts a line only once") for w in colon.warnings)
    period = parse_transcript(
        "\n\n".join(["  Mr. BROWN. I rise.", "  Mr. GREEN. Hello.", "  Mr. BROWN. Now.\nMark Twain: a quote."])
    )
    assert [t.label for t in period.turns] == ["Mr. BROWN", "Mr. GREEN", "Mr. BROWN"]
    assert not any("starts a line only once" in w for w in period.warnings)


# --- Strong labels, headings and fields ---


def test_a_court_records_by_heading_is_never_a_speaker_however_often_it_appears():
    text = "\n".join(
        [
            "THE COURT: Call your witness.",
            "BY MR. FINKEL:",
            "Q. Hello.",
            "A. Hi.",
            "BY MR. FINKEL:",
            "Q. Again?",
            "A. Yes.",
        ]
    )
    result = parse_transcript(text + "\n")
    assert [t.label for t in result.turns] == ["THE COURT", "Q", "A", "Q", "A"]
    assert [(r.label, r.count) for r in result.label_candidates] == [("BY MR. FINKEL", 2)]


def test_a_glossary_entry_spelling_out_a_two_letter_acronym_is_not_a_speaker():
    result = parse_transcript(
        "\n\n".join(
            [
                "ANN LEE: Hello.",
                "AI (Artificial Intelligence): a field.",
                "ABC (A Big Company): a firm.",
                "BO PARK: Yes.",
            ]
        )
    )
    assert [t.label for t in result.turns] == ["ANN LEE", "BO PARK"]
    assert [r.label for r in result.label_candidates] == ["AI", "ABC"]


def assert_kept_as_speech(text: list[str], turn: int, expected: str) -> None:
    """Ann Lee and Bo Park speak twice each; the label used once stays in turn `turn`'s text."""
    result = parse_transcript("\n\n".join(text))
    assert [t.label for t in result.turns] == ["Ann Lee", "Bo Park", "Ann Lee", "Bo Park"]
    assert result.turns[turn].text == expected


def test_a_glossary_entry_spelling_out_its_acronym_is_not_a_speaker_even_where_names_are_the_labels():
    """Every paragraph opens with a name-shaped label, so a name used once would count."""
    text = [
        "Ann Lee: Hello.",
        "Bo Park: Hi.",
        "Annual Recurring Revenue (ARR): a metric.",
        "Ann Lee: Yes.",
        "Bo Park: No.",
    ]
    assert_kept_as_speech(text, turn=1, expected="Hi.\n\nAnnual Recurring Revenue (ARR): a metric.")


def test_a_label_differing_from_an_accepted_one_only_in_case_is_the_same_speaker():
    result = parse_transcript("\n\n".join(["ADAMS: Welcome.", "BAKER: Thanks.", "Adams: Once more.", "BAKER: Yes."]))
    assert [t.label for t in result.turns] == ["ADAMS", "BAKER", "Adams", "BAKER"]
    assert result.turns[2].speaker == result.turns[0].speaker
    assert result.label_candidates == []


def test_q_and_a_written_with_spaces_and_no_colon_are_turns():
    text = "\n\n".join(["MS. SCURRY: We won.", "Q   Did you?", "A   We did.", "MS. SCURRY: Indeed."])
    assert [(t.label, t.text) for t in parse_transcript(text).turns] == [
        ("MS. SCURRY", "We won."),
        ("Q", "Did you?"),
        ("A", "We did."),
        ("MS. SCURRY", "Indeed."),
    ]


def test_a_forced_label_with_no_colon_opens_a_turn_only_at_a_paragraph_start():
    wrapped = [*NO_COLON[:3], "JANE DOE: Sure, and\nMODERATOR  is what they call me."]
    assert turns(wrapped, LabelChoices(force={"MODERATOR"})) == [
        ("MODERATOR", "Welcome everyone."),
        ("JANE DOE", "Thanks."),
        ("MODERATOR", "Next question."),
        ("JANE DOE", "Sure, and MODERATOR  is what they call me."),
    ]


# --- Rare labels: a name used once is a speaker when the document is written in names ---


def test_two_names_each_used_once_are_a_two_line_exchange():
    assert turns(["Ann Lee: Hello.", "Bo Park: Hi."]) == [("Ann Lee", "Hello."), ("Bo Park", "Hi.")]


def test_a_document_is_dense_when_at_least_sixty_percent_of_its_paragraphs_open_with_a_name():
    three_of_five = ["Ann Lee: Hello.", FILL, "Bo Park: Hi.", FILL, "Cy Diaz: Hey."]
    assert [label for label, _ in turns(three_of_five)] == ["Ann Lee", "Bo Park", "Cy Diaz"]
    with pytest.raises(ParseError, match="No speaker turns found"):
        parse_transcript("\n\n".join([*three_of_five, FILL]))  # three of six


def test_density_counts_paragraphs_not_the_lines_they_are_wrapped_over():
    wrapped = [
        "Charles Gibson: Welcome to\nthe debate tonight.",
        "Jane Doe: Thanks,\nglad to be here.",
        "Charles Gibson: Next\nquestion, please.",
        "Cheryl Otis: My question\nis about taxes.",
        "Jane Doe: Answer\ngiven.",
    ]
    assert [label for label, _ in turns(wrapped)] == [
        "Charles Gibson",
        "Jane Doe",
        "Charles Gibson",
        "Cheryl Otis",
        "Jane Doe",
    ]


def test_only_name_labels_make_a_document_dense():
    """Other label-shaped paragraph starts (one-word labels used twice, dash lines in a colon
    document) are not names: here five of nine paragraphs open with a name, too few."""
    text = [
        "Ann Lee: Hi.",
        "Bo Park: Hello.",
        "Smith: one.",
        "New York - big.",
        "Ann Lee: Again.",
        "Smith: two.",
        "New York - again.",
        "Bo Park: Yes.",
        "Mark Twain: Quit while you are ahead.",
    ]
    assert_kept_as_speech(text, turn=3, expected="Yes.\n\nMark Twain: Quit while you are ahead.")


def test_refused_names_do_not_make_a_document_dense():
    text = ["Ann Lee: Hi.", "Bo Park: Hello.", "Jo Roe: a note.", "Jo Roe: another.", FILL, FILL]
    text += ["Ann Lee: Again.", "Bo Park: Yes.", "Mark Twain: Quit while you are ahead."]
    refused = parse_transcript("\n\n".join(text), LabelChoices(refuse={"Jo Roe"}))
    assert [t.label for t in refused.turns] == ["Ann Lee", "Bo Park", "Ann Lee", "Bo Park"]
    assert refused.turns[-1].text == "Yes.\n\nMark Twain: Quit while you are ahead."


def test_a_refused_name_stays_speech_in_a_dense_document():
    dense = ["Charles Gibson: Welcome.", "Jane Doe: Thanks.", "Charles Gibson: Next.", "Cheryl Otis: My question."]
    assert turns([*dense, "Jane Doe: Answer."], LabelChoices(refuse={"Cheryl Otis"})) == [
        ("Charles Gibson", "Welcome."),
        ("Jane Doe", "Thanks."),
        ("Charles Gibson", "Next.\n\nCheryl Otis: My question."),
        ("Jane Doe", "Answer."),
    ]


def test_a_name_starting_a_wrapped_line_does_not_stop_rare_names_after_it():
    dense = [
        "Charles Gibson: Welcome. As the book says,\nTom Sawyer: was a boy.",
        "Jane Doe: Thanks.",
        "Charles Gibson: Next.",
        "Cheryl Otis: My question.",
        "Jane Doe: Answer.",
    ]
    assert turns(dense) == [
        ("Charles Gibson", "Welcome. As the book says, Tom Sawyer: was a boy."),
        ("Jane Doe", "Thanks."),
        ("Charles Gibson", "Next."),
        ("Cheryl Otis", "My question."),
        ("Jane Doe", "Answer."),
    ]


@pytest.mark.parametrize(
    ("names", "rare_is_speaker"),
    [
        (["ADAMS", "Ann Lee", "BAKER", "Ann Lee", "CLARK", "Mark Twain"], False),  # half the labels are names
        (["ADAMS", "Ann Lee", "BAKER", "Ann Lee", "CLARK", "Mark Twain", "Cy Diaz"], True),  # most are
    ],
)
def test_a_name_used_once_needs_most_paragraph_labels_to_be_names(names, rare_is_speaker):
    result = parse_transcript("\n\n".join(f"{name}: Words of {name}." for name in names))
    taken = [name for name in names if rare_is_speaker or name not in ("Mark Twain", "Cy Diaz")]
    assert [t.label for t in result.turns] == taken
    assert [r.label for r in result.label_candidates] == ([] if rare_is_speaker else ["Mark Twain"])


# --- Rare labels: a name the previous speaker just announced ---

LATER = [FILL, "Bo Park: Hello.", FILL, FILL, "Ann Lee: Next.", FILL, FILL, "Bo Park: Bye."]


def announced(announcement: str, label: str = "Cy Diaz", names: tuple[str, str] = ("Ann Lee", "Bo Park")) -> list[str]:
    """The labels of a sparse transcript (too few paragraphs open with names for a name
    used once to count by shape) in which `label` speaks once, right after `announcement`."""
    first, second = names
    text = [f"{first}: {announcement}", f"{label}: Thank you.", *LATER]
    return labels_of("\n\n".join(text).replace("Ann Lee", first).replace("Bo Park", second))


def test_a_name_used_once_is_a_speaker_when_the_previous_speaker_announces_it():
    assert announced("Welcome. Our first guest is Cy Diaz.") == ["Ann Lee", "Cy Diaz", "Bo Park", "Ann Lee", "Bo Park"]
    assert announced("Welcome. Our first guest is Cy\nDiaz.")[1] == "Cy Diaz"  # the name wrapped over two lines
    assert announced("Our first guest is Cy Diaz.", label="Cy Diaz (Acme)")[1] == "Cy Diaz (Acme)"


def test_a_name_not_announced_in_full_stays_speech():
    assert announced("Welcome. Our first guest is Cy.") == ["Ann Lee", "Bo Park", "Ann Lee", "Bo Park"]
    assert announced("Welcome. Our first guest is Cy Ray.") == ["Ann Lee", "Bo Park", "Ann Lee", "Bo Park"]


def test_an_announced_name_counts_only_where_names_are_the_labels():
    """In a transcript labelled in capitals, an announced mixed-case name is text."""
    assert announced("Our first guest is Cy Diaz.", names=("ADAMS", "BAKER")) == ["ADAMS", "BAKER", "ADAMS", "BAKER"]


def test_an_announcement_counts_within_the_300_characters_before_the_label():
    """The 300 characters before the label's line, line breaks included (two here: the
    blank line between the paragraphs): a name starting exactly 300 characters back counts."""
    after = (" has studied rivers for many years and will tell us about them at length tonight." * 4)[:291]
    assert len("Cy Diaz" + after + "\n\n") == 300
    assert announced("Our first guest, Cy Diaz" + after)[1] == "Cy Diaz"
    assert announced("Our first guest, Cy Diaz" + after + "s")[1] == "Bo Park"


def test_an_announcement_further_back_than_the_paragraph_before_counts_within_the_window():
    text = ["Ann Lee: Welcome. Our guest is Cy Diaz.", "Ann Lee again, briefly.", "Cy Diaz: Thank you.", *LATER]
    assert labels_of("\n\n".join(text))[:2] == ["Ann Lee", "Cy Diaz"]


# --- Rare labels: names written alone on their line above the speech ---


def test_a_name_used_once_alone_on_its_line_is_a_speaker_where_the_speakers_are_written_so():
    text = [
        "Ann Lee:\nWelcome.",
        "Bo Park:\nThanks.",
        FILL,
        FILL,
        "Cy Diaz:\nMy question.",
        FILL,
        FILL,
        "Ann Lee:\nAnswer.",
        FILL,
        "Mark Twain: Quit while you are ahead.",
        "Bo Park:\nBye.",
    ]
    result = parse_transcript("\n\n".join(text))
    assert [t.label for t in result.turns] == ["Ann Lee", "Bo Park", "Cy Diaz", "Ann Lee", "Bo Park"]
    assert [r.label for r in result.label_candidates] == ["Mark Twain"]  # written inline, like a quotation
    one_such_speaker = [line.replace("Bo Park:\n", "Bo Park: ") for line in text]
    assert "Cy Diaz" not in [t.label for t in parse_transcript("\n\n".join(one_such_speaker)).turns]


# --- A longer or shorter form of a name already taken, at any line start ---


def test_a_longer_form_of_a_taken_name_is_a_label_at_any_line_start_in_whole_words():
    text = ["Ann Lee: Welcome.", "Bo Park: Hi.", "Ann Lee: Next.", "Bo Park: Sure."]
    text += ["Mary Ann Lee: Me too.", "JoAnn Leeds: Not me.", "Ann Lee: Bye."]
    result = parse_transcript("\n".join(text) + "\n")
    assert [t.label for t in result.turns] == ["Ann Lee", "Bo Park", "Ann Lee", "Bo Park", "Mary Ann Lee", "Ann Lee"]
    assert result.turns[4].text == "Me too. JoAnn Leeds: Not me."


def test_in_a_script_without_spaces_a_form_of_two_or_more_characters_within_a_taken_name_is_a_label():
    text = [
        "记者龚小夏：请问。",
        "郭文贵：你好。",
        "记者龚小夏：再问。",
        "郭文贵：好。",
        "龚小夏：我补充一句。",
        "王小明：不是。",
    ]
    text += ["记者李明：问。", "记者李明：再问。", "李明：答。", "李：不。"]
    result = parse_transcript("\n".join(text) + "\n")
    assert [t.label for t in result.turns] == [
        "记者龚小夏",
        "郭文贵",
        "记者龚小夏",
        "郭文贵",
        "龚小夏",
        "记者李明",
        "记者李明",
        "李明",
    ]
    assert [r.label for r in result.label_candidates] == ["王小明", "李"]


@pytest.mark.parametrize(
    ("taken", "other", "is_label"),
    [
        ("Ann Lee Park", "Ann Lee (Acme)", True),  # the name before its parentheses is a shorter form
        ("Bo Park", "Bo Diaz (Acme)", False),  # a shared first name is not
        ("Ann Lee (Acme)", "Mary Ann Lee", True),  # the taken label's name without its parentheses
        ("Ann Lee (Acme)", "Ann Park", False),
    ],
)
def test_forms_of_a_name_compare_without_their_parentheses(taken, other, is_label):
    text = [f"{taken}: Welcome.", "Cy Diaz: Hi.", f"{taken}: Next.", "Cy Diaz: Sure.", f"{other}: Once."]
    expected = [taken, "Cy Diaz", taken, "Cy Diaz"] + ([other] if is_label else [])
    assert labels_of("\n".join(text) + "\n") == expected


def test_a_rejected_labels_example_is_its_line_cut_to_80_characters():
    quote = "Mark Twain: The reports of my death are greatly exaggerated said the man, and he was right."
    result = parse_transcript("\n\n".join(["ADAMS: Hi.", "BAKER: Hello.", "ADAMS: Again.", quote, "BAKER: Yes."]))
    assert [(r.label, r.example, r.line_no) for r in result.label_candidates] == [
        ("Mark Twain", "Mark Twain: The reports of my death are greatly exaggerated said the man, and…", 7)
    ]


# --- A layout that knows its labels (court-reporter text): nothing else is one ---


def court_record() -> str:
    """Numbered lines; labels sit further right than the body column, where the header's
    "PRESIDING:" line sits."""
    rows = [("PRESIDING: JUDGE ROE", 5)]
    for _ in range(8):
        rows += [("THE COURT: Good morning, counsel, and", 13), ("welcome back to the courtroom.", 5)]
        rows += [("MR. FINKEL: Good morning, Your Honor,", 13), ("the government is ready.", 5)]
    return "\n".join(f"{n % 25 + 1:2d}{' ' * column}{words}" for n, (words, column) in enumerate(rows)) + "\n"


def test_in_a_court_record_only_labels_at_the_turn_indent_are_speakers():
    result = parse_transcript(court_record())
    assert [t.label for t in result.turns] == ["THE COURT", "MR. FINKEL"] * 8
    assert [(r.label, r.count) for r in result.label_candidates] == [("PRESIDING", 1)]


def test_in_a_court_record_the_reviewers_choices_still_win():
    refused = parse_transcript(court_record(), LabelChoices(refuse={"MR. FINKEL"}))
    assert [t.label for t in refused.turns] == ["THE COURT"] * 8
    assert refused.turns[0].text.endswith("MR. FINKEL: Good morning, Your Honor, the government is ready.")
    forced = parse_transcript(court_record(), LabelChoices(force={"PRESIDING"}))
    assert [t.label for t in forced.turns] == ["PRESIDING"] + ["THE COURT", "MR. FINKEL"] * 8
