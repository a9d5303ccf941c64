"""Reading event dates written the ways transcripts and front matter write them:
"2022-02-17", "Thursday, February 17, 2022", "February 17, 2022", "Feb. 17, 2022",
"17 February 2022", in German, French and Spanish too ("27. Oktober 2009", "4 décembre
2015", "3 de marzo de 2020") and as Chinese and Japanese write it ("2017年4月19日").
Numeric "02/03/2022" is refused here: its day/month order is ambiguous (see
parse_numeric_date)."""

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
# The same months in German, French and Spanish ("Oktober", "décembre", "marzo").
MONTHS |= {
    name: i
    for i, names in enumerate(
        [
            ("januar", "janvier", "enero"),
            ("februar", "février", "fevrier", "febrero"),
            ("märz", "maerz", "mars", "marzo"),
            ("avril", "abril"),
            ("mai", "mayo"),
            ("juni", "juin", "junio"),
            ("juli", "juillet", "julio"),
            ("août", "aout", "agosto"),
            ("septembre", "septiembre"),
            ("oktober", "octobre", "octubre"),
            ("novembre", "noviembre"),
            ("dezember", "décembre", "decembre", "diciembre"),
        ],
        start=1,
    )
    for name in names
}
_WEEKDAY = (
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun"
    r"|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag"
    r"|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
    r"|lunes|martes|miércoles|jueves|viernes|sábado|domingo)\.?,?\s+(?:(?:den|le|el)\s+)?"
)
_MONTH = r"(?P<month>[^\W\d_]{3,10})\.?"
_PATTERNS = [
    re.compile(r"^(?P<year>\d{4})-(?P<m>\d{1,2})-(?P<day>\d{1,2})$"),
    re.compile(rf"^(?:{_WEEKDAY})?{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})$"),
    re.compile(
        rf"^(?:{_WEEKDAY})?(?P<day>\d{{1,2}})(?:st|nd|rd|th|\.)?\s+(?:de\s+)?{_MONTH},?\s+(?:de\s+)?(?P<year>\d{{4}})$"
    ),
    re.compile(r"^(?P<year>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日"),
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


# How far a date is trusted (the same words as titles.py's title confidence).
HIGH, LOW, NONE = "high", "low", "none"
_NUMERIC_RE = re.compile(r"^(?P<a>\d{1,2})[/.\-](?P<b>\d{1,2})[/.\-](?P<year>\d{4})$")
_FILE_DATE_RE = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d{2})[-_.]?(?P<m>\d{2})[-_.]?(?P<day>\d{2})(?!\d)")
_WRITTEN_DATE_RE = re.compile(
    r"\b(?:(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+(?:January|February|March|April|May|June|July|August|September|October"
    r"|November|December)\s+\d{4})\b"
)


def _day(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _spoken(when: datetime.date) -> str:
    return f"{when.day} {when:%B %Y}"


def parse_numeric_date(text: str) -> tuple[datetime.date | None, str]:
    """ "21/07/2021" -> (21 July 2021, ""): one order only makes a date. "03/04/2022" ->
    (4 March 2022, why it is in doubt): either order does, so the month-first reading is
    kept and the reason names the other."""
    m = _NUMERIC_RE.match(text.strip())
    if not m:
        return None, ""
    a, b, year = int(m["a"]), int(m["b"]), int(m["year"])
    month_first, day_first = _day(year, a, b), _day(year, b, a)
    if month_first and day_first and a != b:
        return month_first, (
            f"“{text.strip()}” can be read month first ({_spoken(month_first)}) or day first "
            f"({_spoken(day_first)}); it was read month first"
        )
    return month_first or day_first, ""


def date_in_file_name(filename: str) -> datetime.date | None:
    """ "2021-07-21-town-hall.txt", "20250702_call.txt" -> that day."""
    m = _FILE_DATE_RE.search(filename or "")
    return _day(int(m["year"]), int(m["m"]), int(m["day"])) if m else None


def date_in_speech(texts: list[str]) -> tuple[datetime.date | None, int]:
    """The first written-out date ("July 21, 2021") in `texts` (the first turns), and the
    index of the text holding it; (None, -1) when none."""
    for index, text in enumerate(texts):
        for m in _WRITTEN_DATE_RE.finditer(text):
            found = parse_date(m.group(0))
            if found:
                return found, index
    return None, -1
