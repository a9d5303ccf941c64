"""How far a transcript's date is trusted (transcripts/parsing/dates.py, parse.py): a
heading's date is trusted; one from the file name, from speech, or a day/month order that
reads two ways is offered marked low, with the reason."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from transcripts.parsing import parse_transcript
from transcripts.parsing.dates import date_in_file_name, date_in_speech, parse_date, parse_numeric_date

SPEECH = "\n\nJANE DOE: Welcome.\n\nBOB KIM: Thanks.\n"


@given(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2099, 12, 31)))
def test_a_numeric_date_is_certain_only_when_one_order_makes_a_date(day):
    day_first = f"{day.day:02d}/{day.month:02d}/{day.year}"
    read, doubt = parse_numeric_date(day_first)
    if day.day > 12 or day.day == day.month:
        assert (read, doubt) == (day, "")
    else:  # both orders are dates: the month-first one is kept, and the doubt names both
        assert read == datetime.date(day.year, day.day, day.month)
        assert f"{day.day} {day:%B %Y}" in doubt and "month first" in doubt


def test_dates_in_file_names():
    assert date_in_file_name("2021-07-21-town-hall.txt") == datetime.date(2021, 7, 21)
    assert date_in_file_name("20250702_call.txt") == datetime.date(2025, 7, 2)
    assert date_in_file_name("podcast-2019-00-00-ep5.md") is None  # an unknown month is no date
    assert date_in_file_name("episode-454.vtt") is None


def test_a_date_said_in_speech_is_found_with_its_turn():
    assert date_in_speech(["Hello.", "Today, March 3, 2020, we meet."]) == (datetime.date(2020, 3, 3), 1)
    assert date_in_speech(["In 2020 we met."]) == (None, -1)


def test_the_date_s_source_sets_its_confidence():
    heading = parse_transcript("Rivers\nJuly 21, 2021" + SPEECH, filename="2021-07-20-rivers.txt")
    assert (heading.date, heading.date_confidence, heading.date_doubt) == (datetime.date(2021, 7, 21), "high", "")
    named = parse_transcript("Rivers" + SPEECH, filename="2021-07-20-rivers.txt")
    assert (named.date, named.date_confidence) == (datetime.date(2021, 7, 20), "low")
    assert named.date_doubt == "it was taken from the file name “2021-07-20-rivers.txt”"
    assert "The date 20 July 2021 may be wrong: it was taken from the file name" in " ".join(named.warnings)
    ambiguous = parse_transcript("Rivers\n03/04/2022" + SPEECH)
    assert (ambiguous.date, ambiguous.date_confidence) == (datetime.date(2022, 3, 4), "low")
    stated = parse_transcript("---\ntitle: Rivers\ndate: 2022-03-04\n---\nRivers\n03/04/2022" + SPEECH)
    assert (stated.date, stated.date_confidence, stated.date_doubt) == (datetime.date(2022, 3, 4), "high", "")
    none = parse_transcript("Rivers" + SPEECH)
    assert (none.date, none.date_confidence) == (None, "none")


def test_dates_written_in_other_languages():
    assert parse_date("27. Oktober 2009") == datetime.date(2009, 10, 27)
    assert parse_date("Dienstag, den 27. Oktober 2009") == datetime.date(2009, 10, 27)
    assert parse_date("mardi 4 décembre 2015") == datetime.date(2015, 12, 4)
    assert parse_date("4 décembre 2015") == datetime.date(2015, 12, 4)
    assert parse_date("3 de marzo de 2020") == datetime.date(2020, 3, 3)
    assert parse_date("2017年4月19日") == datetime.date(2017, 4, 19)
    assert parse_date("31. Februar 2020") is None


def test_a_heading_date_in_another_language_is_trusted():
    result = parse_transcript("Plenarsitzung\n27. Oktober 2009" + SPEECH, filename="2009-10-20-x.txt")
    assert (result.date, result.date_confidence) == (datetime.date(2009, 10, 27), "high")
