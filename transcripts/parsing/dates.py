"""Reading event dates written the ways transcripts and front matter write them:
"2022-02-17", "Thursday, February 17, 2022", "February 17, 2022", "Feb. 17, 2022",
"17 February 2022". Numeric "02/03/2022" is refused: day/month order is ambiguous."""

from __future__ import annotations

import datetime
import re

MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\.?,?\s+"
_MONTH = r"(?P<month>[a-z]{3,9})\.?"
_PATTERNS = [
    re.compile(r"^(?P<year>\d{4})-(?P<m>\d{1,2})-(?P<day>\d{1,2})$"),
    re.compile(rf"^(?:{_WEEKDAY})?{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})$"),
    re.compile(rf"^(?:{_WEEKDAY})?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<year>\d{{4}})$"),
]


def parse_date(text: str) -> datetime.date | None:
    """The date `text` states, or None when it is not (only) a date."""
    value = " ".join(text.strip().strip("\"'").split()).lower()
    if len(value) > 40:
        return None
    for pattern in _PATTERNS:
        m = pattern.match(value)
        if not m:
            continue
        groups = m.groupdict()
        month = int(groups["m"]) if groups.get("m") else MONTHS.get(groups.get("month") or "")
        if not month:
            return None
        try:
            return datetime.date(int(groups["year"]), month, int(groups["day"]))
        except ValueError:
            return None
    return None
