"""The one entry point for uploaded files: bytes and a file name -> transcript text.

    read_upload(data, filename) -> (text, warnings)     raises ParseError

Word files (.docx, read with python-docx) become one paragraph per Word paragraph;
everything else is decoded as text, in the encoding an HTML page's <meta charset> or an
XML declaration names, else by decode.py's guess, and left to the layout readers, which
recognise XML, JSON, WebVTT, SubRip, HTML, court-reporter, Rev, Otter and Markdown by
content. A
PDF, an image, a corrupt .docx or an old .doc gets a message naming the file type and
what to upload instead.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile

from ..decode import decode_bytes
from ..model import ParseError

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".docx", ".vtt", ".srt", ".xml", ".json")
UPLOAD_INSTEAD = "A Word .docx, HTML, XML, JSON, WebVTT (.vtt) or SubRip (.srt) file also works."


def read_upload(data: bytes, filename: str = "") -> tuple[str, list[str]]:
    name = (filename or "").lower()
    if name.endswith(".docx") or (data[:4] == b"PK\x03\x04" and _is_docx(data)):
        return read_docx(data), []
    if name.endswith(".doc") and data[:4] == b"\xd0\xcf\x11\xe0":
        raise ParseError(
            "The file is an old Word .doc document, which cannot be read. "
            "Open it in Word and save it as .docx or plain text (.txt), then upload that."
        )
    declared = read_declared(data)
    if declared is not None:
        return declared, []
    try:
        return decode_bytes(data)
    except ParseError as exc:
        if str(exc).startswith("The file looks like"):  # a PDF, an image, audio: say what else works
            raise ParseError(f"{exc} {UPLOAD_INSTEAD}") from None
        raise


# An HTML page's <meta charset> or an XML declaration says how the bytes are written.
_DECLARED_RE = re.compile(
    rb"""<meta\b[^>]{0,200}?charset\s*=\s*["']?(?P<meta>[\w.:\-]{1,40})|<\?xml\b[^>]{0,200}?encoding\s*=\s*["'](?P<xml>[\w.:\-]{1,40})""",
    re.I,
)


def read_declared(data: bytes) -> str | None:
    """The text of a page or XML file in the encoding it declares (Windows-1252, Shift_JIS, …),
    or None when it declares none, declares UTF-8, or its bytes do not fit the declaration
    (then decode_bytes guesses, and says so)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or data.startswith(b"\xef\xbb\xbf") or b"\x00" in data:
        return None
    m = _DECLARED_RE.search(data[:4096])
    if not m:
        return None
    name = (m.group("meta") or m.group("xml")).decode("ascii", "replace")
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    if codec == "utf-8":
        return None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    return text if text.strip() else None


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def read_docx(data: bytes) -> str:
    import docx  # python-docx; imported here so plain-text parsing never needs it

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001  (zip, XML and package errors: a damaged file has many ways to fail)
        raise ParseError(
            f"The file is not a readable Word .docx document ({type(exc).__name__}). "
            "Open it in Word and save it again as .docx, or save it as plain text (.txt), then upload that."
        ) from None
    paragraphs = [p.text.strip() for p in document.paragraphs if p.text.strip()]
    if not paragraphs:
        raise ParseError("The Word document has no text. Check it is the transcript, or upload it as plain text.")
    return "\n\n".join(paragraphs) + "\n"
