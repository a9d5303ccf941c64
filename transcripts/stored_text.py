"""The rules a value obeys before it is stored, at the bottom of the domain: the models'
fields, the snapshots and transcripts.validation all use them, and this module imports
none of them (so models -> validation -> snapshots -> models cannot close into a circle).

transcripts.validation builds every entry path's checks on these and re-exports them.
"""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from transcripts.normalise import strip_invisible_characters
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


def strip_control_characters(text: str, keep: str = "") -> tuple[str, int]:
    """(text without control characters, how many were replaced or removed).
    Tab, newline and carriage return are kept, and the characters in `keep`; vertical tab,
    form feed and NEL become a newline."""
    if not text:
        return text, 0

    def replace(match):
        char = match.group()
        return char if char in keep else LINE_LIKE.get(char, "")

    cleaned = CONTROL_CHARACTERS.sub(replace, text)
    count = sum(1 for char in CONTROL_CHARACTERS.findall(text) if char not in keep)
    return cleaned, count


def clean_stored_text(value, *, name: bool = False):
    """The one cleaning rule every stored text field applies on every write (see
    transcripts.fields): control characters removed, and for names invisible characters
    too. Anything that is not text (None, a lookup expression) passes through."""
    if not isinstance(value, str):
        return value
    value = strip_control_characters(value)[0]
    return " ".join(strip_invisible_characters(value).split()) if name else value


def iso_date(value):
    """A date from YYYY-MM-DD text (None for none); InvalidInput for anything else."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(value.strip())
    except (AttributeError, ValueError):  # not text, or not a YYYY-MM-DD date
        raise InvalidInput(f'date is {value!r}; write it as YYYY-MM-DD, e.g. "2022-02-17".') from None
