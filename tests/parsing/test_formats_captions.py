"""Caption files and transcription-service exports, on small inline inputs."""

import pytest

from transcripts.parsing import ParseError, parse_transcript, read_upload

ZOOM = """WEBVTT

1
00:00:01.000 --> 00:00:04.000
Ann Lee: Welcome to the show about

2
00:00:04.000 --> 00:00:06.500
Ann Lee: rivers and their floods.

3
00:00:06.500 --> 00:00:09.250
Bo Park: Thanks, Ann. Floods: they matter.

4
00:00:09.250 --> 00:00:12.000
Ann Lee: Indeed.
"""

TEAMS = """WEBVTT

00:00:01.000 --> 00:00:04.000
<v Ann Lee>Welcome to the show about</v>

00:00:04.000 --> 00:00:06.500
<v Ann Lee>rivers and their floods.</v>

00:01:06.500 --> 00:01:09.250
<v Bo Park>Thanks, Ann.</v>
"""

SRT = """1
00:00:01,000 --> 00:00:04,000
ANN LEE: Welcome to the show about

2
00:00:04,000 --> 00:00:06,500
rivers and their floods. Mr. President: no.

3
00:00:06,500 --> 00:00:09,250
BO PARK: Thanks, Ann.
"""


def turns(text):
    result = parse_transcript(text)
    return [(t.label, t.start_seconds, t.timestamp, t.text) for t in result.turns]


def test_zoom_vtt_names_every_cue_and_consecutive_cues_make_one_turn():
    assert turns(ZOOM) == [
        ("Ann Lee", 1.0, "00:00:01", "Welcome to the show about rivers and their floods."),
        ("Bo Park", 6.5, "00:00:06", "Thanks, Ann. Floods: they matter."),
        ("Ann Lee", 9.25, "00:00:09", "Indeed."),
    ]


def test_teams_vtt_voice_tags():
    assert turns(TEAMS) == [
        ("Ann Lee", 1.0, "00:00:01", "Welcome to the show about rivers and their floods."),
        ("Bo Park", 66.5, "00:01:06", "Thanks, Ann."),
    ]


def test_srt_names_the_speaker_only_where_it_changes():
    # A caption that continues the speaker belongs to the same turn, even with a colon in it.
    assert turns(SRT) == [
        ("ANN LEE", 1.0, "00:00:01", "Welcome to the show about rivers and their floods. Mr. President: no."),
        ("BO PARK", 6.5, "00:00:06", "Thanks, Ann."),
    ]


def test_vtt_through_read_upload_and_json_start_seconds():
    text, warnings = read_upload(ZOOM.encode("utf-8"), "call.vtt")
    data = parse_transcript(text).to_dict()
    assert warnings == []
    assert [t["start_seconds"] for t in data["turns"]] == [1.0, 6.5, 9.25]
    assert data["rejected_labels"] == []


def test_captions_without_speakers_are_read_as_text_and_say_so():
    with pytest.raises(ParseError, match="No speaker turns found"):
        parse_transcript("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhello there\n")


def test_broken_vtt_is_read_as_text_with_a_warning():
    result = parse_transcript("WEBVTT\n\nthis is no cue\n\nANN: Hello.\n\nBO: Hi.\n")
    assert [t.label for t in result.turns] == ["ANN", "BO"]
    assert any("could not be read as such" in w or "name no speakers" in w for w in result.warnings)


def test_rev_export_with_speaker_lines_and_times():
    text = (
        "Ann Lee (00:00:02):\nWelcome, everyone.\n\nBo Park (00:01:23):\nThanks.\n\n"
        "Cy Dunn (01:02:03):\nOne question.\n\nAnn Lee (01:05:00):\nGo on.\n"
    )
    assert turns(text) == [
        ("Ann Lee", 2.0, "00:00:02", "Welcome, everyone."),
        ("Bo Park", 83.0, "00:01:23", "Thanks."),
        ("Cy Dunn", 3723.0, "01:02:03", "One question."),  # said once, and still a speaker
        ("Ann Lee", 3900.0, "01:05:00", "Go on."),
    ]


def test_otter_export_with_name_and_time_on_their_own_line():
    text = (
        "Ann Lee  0:02\nWelcome, everyone.\n\nBo Park  1:23\nThanks.\n\n"
        "Cy Dunn  1:02:03\nOne question.\n\nAnn Lee  1:05:00\nGo on.\n"
    )
    assert [(label, start) for label, start, _, _ in turns(text)] == [
        ("Ann Lee", 2.0),
        ("Bo Park", 83.0),
        ("Cy Dunn", 3723.0),
        ("Ann Lee", 3900.0),
    ]


def test_plain_transcript_turns_have_no_start_time():
    result = parse_transcript("ADAMS: Hello.\n\nBAKER: Hi.\n")
    assert [t.start_seconds for t in result.turns] == [None, None]
    assert [t["start_seconds"] for t in result.to_dict()["turns"]] == [None, None]
