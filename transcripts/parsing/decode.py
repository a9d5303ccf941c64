"""Uploaded bytes -> text. UTF-8 (with or without BOM) is read silently; Windows-1252,
what Word and older Windows tools save, is read with a warning because its curly
quotes and dashes are where mis-decoding shows. Anything that is not plain text gets
a ParseError saying what the file seems to be and what to upload instead."""

from __future__ import annotations

import codecs
import unicodedata

from .model import ParseError

SAVE_AS_TEXT = "Save the transcript as plain text (.txt, UTF-8) and upload that."
# Leading bytes of common non-text files staff might upload by mistake.
MAGIC = [
    (b"PK\x03\x04", "a ZIP archive (a Word .docx file is one)"),
    (b"%PDF", "a PDF document"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office file (.doc)"),
    (b"{\\rtf", "an RTF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"ID3", "an MP3 audio file"),
    (b"OggS", "an Ogg audio file"),
    (b"fLaC", "a FLAC audio file"),
    (b"RIFF", "a RIFF (WAV/AVI) media file"),
    (b"\x1aE\xdf\xa3", "a Matroska/WebM video"),
    (b"\x7fELF", "a program"),
    (b"MZ", "a Windows program"),
    (b"SQLite format 3", "an SQLite database"),
]


def _control_share(text: str) -> float:
    odd = sum(1 for ch in text if ch not in "\t\n\r\f\v" and unicodedata.category(ch) in ("Cc", "Co", "Cs"))
    return odd / max(len(text), 1)


def decode_bytes(data: bytes) -> tuple[str, list[str]]:
    """(text, warnings) for an uploaded file; ParseError when it cannot be a text transcript."""
    if not data or not data.strip():
        raise ParseError("The file is empty. Upload the transcript as a plain-text (.txt) file.")
    head = data[:16]
    for magic, what in MAGIC:
        if head.startswith(magic) or (magic == b"ftyp" and head[4:8] == magic):
            raise ParseError(f"The file looks like {what}, not a plain-text transcript. {SAVE_AS_TEXT}")
    if head[4:8] == b"ftyp":
        raise ParseError(f"The file looks like an MP4/MOV media file, not a plain-text transcript. {SAVE_AS_TEXT}")
    warnings: list[str] = []
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError:
                raise ParseError(f"The file says it is UTF-16 but cannot be read as such. {SAVE_AS_TEXT}") from None
            warnings.append("The file is UTF-16; it was converted to UTF-8.")
            break
    else:
        if b"\x00" in data:
            raise ParseError(
                f"The file looks binary (it contains NUL bytes), not a plain-text transcript. {SAVE_AS_TEXT}"
            )
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            if data.startswith(codecs.BOM_UTF8):
                raise ParseError(
                    f"The file is marked as UTF-8 but byte {error.start} is not valid UTF-8. {SAVE_AS_TEXT}"
                ) from None
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError as error2:
                raise ParseError(
                    f"The file is neither UTF-8 nor Windows-1252 text (byte {error2.start} cannot be read). "
                    f"{SAVE_AS_TEXT}"
                ) from None
            high = sum(1 for ch in text if ord(ch) > 0x7F) / len(text)
            if high > 0.3:
                raise ParseError(f"The file does not look like text in a known encoding. {SAVE_AS_TEXT}") from None
            warnings.append("The file is not UTF-8; it was read as Windows-1252. Check curly quotes and dashes.")
    if _control_share(text) > 0.02:
        raise ParseError(
            f"The file looks binary (it is mostly control characters), not a plain-text transcript. {SAVE_AS_TEXT}"
        )
    if not text.strip():
        raise ParseError("The file is empty. Upload the transcript as a plain-text (.txt) file.")
    return text, warnings
