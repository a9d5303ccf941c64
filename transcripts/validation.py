"""What every entry path (file import, sidecar .json, admin, archive import) checks before
anything is stored: no control characters, http(s) URLs only, known values, sane lengths.

The rules live here once; the importer, the archive import, the admin forms and the model
fields all call these functions, so an entry path cannot forget one.
"""
from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from transcripts.parsing import ParseError

# C0 controls except tab, newline and carriage return (line endings stay as they are),
# DEL, and C1 controls. XML 1.0 (the Atom feeds) refuses most of them, and none of them
# belongs in a title or a turn. Line-like ones become a newline, the rest go.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
LINE_LIKE = {"\x0b": "\n", "\x0c": "\n", "\x85": "\n"}  # vertical tab, form feed, NEL

HTTP_URL_VALIDATOR = URLValidator(
    schemes=["http", "https"],
    message="Enter a web address starting with http:// or https:// (other kinds of link are not allowed).",
)


class InvalidInput(ParseError, ValidationError):
    """Input that cannot be stored as it is. A ParseError for the importer's callers and a
    ValidationError for forms, so either kind of caller shows the message as it stands."""

    def __init__(self, message: str):
        ValidationError.__init__(self, message, code="invalid")
        self.args = (message,)

    def __str__(self) -> str:
        return self.message


def strip_control_characters(text: str) -> tuple[str, int]:
    """(text without control characters, how many were replaced or removed).
    Tab, newline and carriage return are kept; vertical tab, form feed and NEL become a newline."""
    if not text:
        return text, 0
    cleaned, count = CONTROL_CHARACTERS.subn(lambda m: LINE_LIKE.get(m.group(), ""), text)
    return cleaned, count


def http_url(value) -> str:
    """The URL, trimmed, if it is an http(s) address; "" for no URL. Raises InvalidInput otherwise."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput(f"A web address must be text, not {type(value).__name__} ({value!r}).")
    value = value.strip()
    if not value:
        return ""
    try:
        HTTP_URL_VALIDATOR(value)
    except ValidationError:
        raise InvalidInput(
            f"{_shorten(value)!r} is not allowed as a link: use a web address starting with http:// or https://."
        ) from None
    return value


def _shorten(value: str, limit: int = 80) -> str:
    return value if len(value) <= limit else value[:limit] + "…"
