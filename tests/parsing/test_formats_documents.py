"""Word, HTML, court-reporter, Markdown and indented layouts, on small inline inputs, and
the clear refusal of files that are not transcripts."""

import copy
import io
import time
import tracemalloc
import zipfile
from unittest import mock

import docx
import pytest

from transcripts.parsing import ParseError, parse_transcript, read_upload
from transcripts.parsing.formats.upload import DOCX_UNPACKED_PER_UPLOAD_BYTE, check_docx_size


def labels_and_texts(text):
    return [(t.label, t.text) for t in parse_transcript(text).turns]


def word_file(paragraphs):
    document = docx.Document()
    for text, bold in paragraphs:
        document.add_paragraph().add_run(text).bold = bold
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_rev_export_is_read_paragraph_by_paragraph():
    data = word_file(
        [
            ("Panel on rivers", False),
            ("Ann Lee (00:00:02):", True),
            ("Welcome, everyone.", False),
            ("Bo Park (00:01:23):", True),
            ("Thanks.", False),
            ("Cy Dunn (00:02:00):", True),
            ("A question.", False),
        ]
    )
    text, warnings = read_upload(data, "panel.docx")
    result = parse_transcript(text)
    assert warnings == [] and result.title == "Panel on rivers"
    assert [(t.label, t.start_seconds, t.text) for t in result.turns] == [
        ("Ann Lee", 2.0, "Welcome, everyone."),
        ("Bo Park", 83.0, "Thanks."),
        ("Cy Dunn", 120.0, "A question."),
    ]


def test_docx_is_recognised_by_content_whatever_its_name():
    data = word_file([("ADAMS: Hello.", False), ("BAKER: Hi.", False)])
    text, _ = read_upload(data, "panel.bin")
    assert labels_and_texts(text) == [("ADAMS", "Hello."), ("BAKER", "Hi.")]


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"LAGON: Hello.", "panel.docx", "The file is not a readable Word .docx document"),
        (b"PK\x03\x04broken zip", "panel.docx", "The file is not a readable Word .docx document"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "panel.doc", "old Word .doc document"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "panel.pdf", "looks like a PDF document"),
        (b"\x89PNG\r\n\x1a\nrest", "scan.png", "looks like a PNG image"),
    ],
)
def test_files_that_are_no_transcript_get_a_message_naming_the_type(data, name, message):
    with pytest.raises(ParseError) as error:
        read_upload(data, name)
    assert message in str(error.value)
    assert "upload" in str(error.value).lower()  # and says what to upload instead


def test_word_file_without_text():
    with pytest.raises(ParseError, match="The Word document has no text"):
        read_upload(word_file([("", False)]), "empty.docx")


def test_html_page_gives_its_text_never_the_markup():
    page = (
        "<!doctype html><html><head><title>T</title><style>p{color:red}</style></head><body>"
        "<h1>Rivers &amp; Floods</h1><p>ANN LEE: Welcome &mdash; all.</p>"
        "<p>BO PARK: <em>Thanks</em>, Ann.<br>A second line.</p><p>Next paragraph.</p>"
        "<script>var x = 1;</script></body></html>"
    )
    result = parse_transcript(page)
    assert result.title == "Rivers & Floods"
    assert [(t.label, [p.text for p in t.paragraphs]) for t in result.turns] == [
        ("ANN LEE", ["Welcome — all."]),
        ("BO PARK", ["Thanks, Ann. A second line.", "Next paragraph."]),
    ]


def test_html_pre_record_keeps_its_lines_and_period_labels():
    lines = [
        "<html><head><title>Record, Volume 1 (Wednesday, July 20, 2005)</title></head><body><pre>",
        "[Congressional Record]",
        "",
    ]
    for n in range(6):
        lines += [
            f"  Mr. BROWN of Ohio. Mr. Speaker, point {n} of my",
            "remarks goes on here.",
            "  The SPEAKER pro tempore (Mr. Graham). The gentleman's time",
            "has expired.",
            "  Mr. REED addressed the Chair.",
            "",
            "       Mr. WARNER. A quoted hearing stays quoted.",
            "",
        ]
    lines += ["</pre></body></html>"]
    result = parse_transcript("\n".join(lines))
    assert [t.label for t in result.turns] == ["Mr. BROWN of Ohio", "The SPEAKER pro tempore"] * 6
    assert (result.title, str(result.date)) == ("Record, Volume 1 (Wednesday, July 20, 2005)", "2005-07-20")
    assert result.turns[0].text == "Mr. Speaker, point 0 of my remarks goes on here."
    last = result.turns[1].paragraphs
    assert [p.text for p in last][-2:] == [
        "Mr. REED addressed the Chair.",
        "Mr. WARNER. A quoted hearing stays quoted.",
    ]
    assert [s.kind for s in last[-2].segments] == ["stage"]
    assert {p.role for p in result.participants if p.label == "The SPEAKER pro tempore"} == {"presider"}
    assert "Mr. WARNER" in {r.label for r in result.label_candidates}


def court_page(number, rows):
    """A court-reporter page: page number, then numbered, double-spaced lines."""
    out = [f"{number:>60}"]
    for i, (indent, text) in enumerate(rows, start=1):
        out += [f"{i:>8}{' ' * indent}{text}", ""]
    return "\f" + "\n".join(out)


def test_court_reporter_line_numbers_pages_and_turn_indent():
    header = court_page(
        1,
        [
            (6, "PUBLIC HEARING ON RIVERS"),
            (6, "PRESIDING:"),
            (9, "Senator Ann Lee"),
            (6, "SPEAKERS:"),
            (6, "Bo Park                   PAGE 4"),
        ]
        + [(6, "")] * 20,
    )
    body = court_page(
        2,
        [
            (13, "SENATOR LEE:  Good evening, everyone,"),
            (6, "and welcome to the"),
            (6, "hearing."),
            (13, "[ Applause ]"),
            (13, "BO PARK:  Thank you, Senator."),
            (6, "The river     floods often."),
        ]
        + [(6, "more words here.")] * 20,
    )
    body += court_page(3, [(6, "Still Bo speaking.")] + [(13, "SENATOR LEE:  Thanks, Bo.")] + [(6, "x")] * 20)
    result = parse_transcript(header + body)
    assert [t.label for t in result.turns] == ["SENATOR LEE", "BO PARK", "SENATOR LEE"]
    assert [p.text for p in result.turns[0].paragraphs] == [
        "Good evening, everyone, and welcome to the hearing.",
        "[ Applause ]",
    ]
    assert result.turns[1].text.startswith("Thank you, Senator. The river floods often. more words here.")
    assert "Still Bo speaking." in result.turns[1].text
    lee = result.participant(result.turns[0].speaker)
    assert (lee.name, lee.role) == ("Ann Lee", "presider")


def test_markdown_escapes_emphasis_and_bold_labels_colon_inside_or_outside():
    text = (
        "**Ann Lee:** \\[00:01:02.50\\] Welcome to *the* show \\*live\\*.\n\n"
        "**Bo Park**: Thanks \\[laughter\\], it's **great** and snake_case_name stays.\n"
        "**Ann Lee:** Line with no blank before it.\n\n**Break:** \\[12:30\\]\n\n**Ann Lee:** Back.\n"
    )
    result = parse_transcript(text)
    assert [(t.label, t.start_seconds, t.text) for t in result.turns] == [
        ("Ann Lee", 62.5, "Welcome to the show *live*."),
        ("Bo Park", None, "Thanks [laughter], it's great and snake_case_name stays."),
        ("Ann Lee", None, "Line with no blank before it.\n\n[Break] [12:30]"),
        ("Ann Lee", None, "Back."),
    ]
    assert {p.name for p in result.participants} == {"Ann Lee", "Bo Park"}
    stages = [s.text for s in result.turns[2].paragraphs[1].segments if s.kind == "stage"]
    assert stages == ["[Break]"]


def test_hard_wrapped_lines_nbsp_blank_lines_and_label_without_blank_line():
    text = (
        "ANN LEE:\u00a0 Welcome to a talk that\nwraps over lines.\n\u00a0\u00a0 \nSecond paragraph.\n"
        "BO PARK: No blank line before me.\n"
    )
    result = parse_transcript(text)
    assert [(t.label, [p.text for p in t.paragraphs]) for t in result.turns] == [
        ("ANN LEE", ["Welcome to a talk that wraps over lines.", "Second paragraph."]),
        ("BO PARK", ["No blank line before me."]),
    ]


def word_bomb(padding_bytes: int) -> bytes:
    """A real Word file whose document XML is padded with `padding_bytes` of spaces: it
    compresses to a few kilobytes and unpacks to as much as asked."""
    source = zipfile.ZipFile(io.BytesIO(word_file([("LAGON: Hello.", False)])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for part in source.infolist():
            body = source.read(part)
            if part.filename == "word/document.xml":
                body = body.replace(b"<w:body>", b"<w:body>" + b" " * padding_bytes, 1)
            bomb.writestr(part.filename, body)
    return out.getvalue()


def test_docx_that_unpacks_far_beyond_the_upload_limit_is_refused_before_it_is_parsed():
    limit = 5 * 1024 * 1024
    data = word_bomb(DOCX_UNPACKED_PER_UPLOAD_BYTE * limit + 1)
    assert len(data) < 200_000  # a small upload...
    tracemalloc.start()
    started = time.process_time()
    try:
        with pytest.raises(ParseError, match=r"The Word document unpacks to more than 40\.0 MB") as refused:
            read_upload(data, "panel.docx", upload_limit=limit)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "save it as plain text (.txt)" in str(refused.value)
    assert peak < 8 * 1024 * 1024, peak  # ...refused without unpacking it into memory
    assert time.process_time() - started < 2


def test_docx_bound_follows_the_upload_limit_and_counts_what_is_really_unpacked():
    data = word_bomb(2_000_000)  # Word's own parts unpack to under 1 MB; the padding adds 2 MB
    text, _ = read_upload(data, "panel.docx", upload_limit=1024 * 1024)
    assert text == "LAGON: Hello.\n"
    with pytest.raises(ParseError, match=r"unpacks to more than 1\.5 MB"):
        read_upload(data, "panel.docx", upload_limit=200_000)
    # Declared sizes that lie: the parts are counted as they unpack, not as they claim.
    archive = zipfile.ZipFile(io.BytesIO(data))
    honest = {part.filename: part.file_size for part in archive.infolist()}
    lying = mock.patch.object(zipfile.ZipFile, "infolist", lambda self: _claiming_tiny(self, honest))
    with lying, pytest.raises(ParseError, match="unpacks to more than"):
        check_docx_size(data, upload_limit=200_000)
    check_docx_size(word_bomb(0), upload_limit=200_000)  # Word's own parts alone pass


def _claiming_tiny(archive, honest):
    parts = []
    for name in honest:
        part = copy.copy(archive.getinfo(name))
        part.file_size = 1 if name == "word/document.xml" else part.file_size
        parts.append(part)
    return parts
