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

# A .docx is a zip: a small file can unpack to gigabytes (a "zip bomb"). Its parts may
# unpack to at most this many times the upload limit, in all and each; Word's XML is
# rarely more than a few times the text it holds. Checked before anything is parsed.
DOCX_UNPACKED_PER_UPLOAD_BYTE = 8
DOCX_MAX_PARTS = 2000
DEFAULT_UPLOAD_LIMIT = 5 * 1024 * 1024
_READ_PIECE = 1024 * 1024

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".docx", ".vtt", ".srt", ".xml", ".json")
UPLOAD_INSTEAD = "A Word .docx, HTML, XML, JSON, WebVTT (.vtt) or SubRip (.srt) file also works."


def read_upload(data: bytes, filename: str = "", upload_limit: int = DEFAULT_UPLOAD_LIMIT) -> tuple[str, list[str]]:
    """`upload_limit` is the largest file accepted (it bounds what a .docx may unpack to)."""
    name = (filename or "").lower()
    if name.endswith(".docx") or (data[:4] == b"PK\x03\x04" and _is_docx(data)):
        return read_docx(data, upload_limit), []
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


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _too_big(unpacked: int, bound: int) -> ParseError:
    return ParseError(
        f"The Word document unpacks to more than {_megabytes(bound)} ({_megabytes(unpacked)} or more), "
        "far more than a transcript needs: it may be damaged or built to overload the server. "
        "Open it in Word and save it again as .docx, or save it as plain text (.txt), then upload that."
    )


def check_docx_size(data: bytes, upload_limit: int = DEFAULT_UPLOAD_LIMIT) -> None:
    """Refuse a .docx whose parts unpack to more than the bound, declared or actual. The
    declared sizes are checked first (nothing is unpacked); then each part is unpacked a
    piece at a time and counted, so a part lying about its size is stopped at the bound."""
    bound = DOCX_UNPACKED_PER_UPLOAD_BYTE * upload_limit
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return  # not a readable zip: python-docx's own refusal says so
    if len(parts) > DOCX_MAX_PARTS:
        raise ParseError(
            f"The Word document has {len(parts)} parts (at most {DOCX_MAX_PARTS} are read): "
            "it may be damaged. Save it as plain text (.txt) and upload that."
        )
    declared = sum(part.file_size for part in parts)
    if declared > bound:
        raise _too_big(declared, bound)
    unpacked = 0
    for part in parts:
        for piece in _unpacked_pieces(archive, part):
            unpacked += len(piece)
            if unpacked > bound:
                raise _too_big(unpacked, bound)


def _unpacked_pieces(archive: zipfile.ZipFile, part: zipfile.ZipInfo):
    """A part's bytes a piece at a time; nothing for a part that cannot be unpacked (a
    damaged part is python-docx's to refuse)."""
    try:
        with archive.open(part.filename) as member:
            while piece := member.read(_READ_PIECE):
                yield piece
    except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError, ValueError, RuntimeError):
        return


def read_docx(data: bytes, upload_limit: int = DEFAULT_UPLOAD_LIMIT) -> str:
    import docx  # python-docx; imported here so plain-text parsing never needs it

    check_docx_size(data, upload_limit)
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
