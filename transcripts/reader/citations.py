"""Citations for an event, a turn or a quoted passage: Chicago, APA and BibTeX.

Each citation is built as a list of pieces, some italic, so one source gives both the
plain text a reader copies and the HTML the cite page shows. No database access: the
view hands over a `CitationSource`.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

NAME_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}


@dataclass
class CitationSource:
    event_title: str
    event_date: datetime.date | None
    organiser: str
    url: str
    accessed: datetime.date
    speaker_name: str = ""  # empty when citing the whole event
    role: str = ""  # e.g. "panelist", as the speaker appeared at this event
    quote: str = ""  # the quoted words, when citing a passage


@dataclass
class Citation:
    style: str  # "chicago", "apa", "bibtex"
    label: str
    text: str
    html: SafeString


def _long_date(date: datetime.date | None) -> str:
    return f"{date:%B} {date.day}, {date.year}" if date else "n.d."


def _split_name(name: str) -> tuple[str, str, str]:
    """(given names, family name, suffix) — good enough for "Siddharth Kara", "Mark P. Lagon Jr."."""
    parts = name.split()
    suffix = ""
    if len(parts) > 2 and parts[-1].casefold() in NAME_SUFFIXES:
        suffix = parts.pop()
    if len(parts) < 2:
        return "", name.strip(), suffix
    return " ".join(parts[:-1]), parts[-1], suffix


def inverted_name(name: str) -> str:
    """ "Kara, Siddharth" (Chicago, BibTeX)."""
    given, family, suffix = _split_name(name)
    return ", ".join(p for p in (family, given, suffix) if p)


def initials_name(name: str) -> str:
    """ "Kara, S." (APA); hyphenated given names keep their hyphen: "J.-P."."""
    given, family, suffix = _split_name(name)
    initials = " ".join("-".join(f"{part[0]}." for part in word.split("-") if part) for word in given.split())
    return ", ".join(p for p in (family, initials, suffix) if p)


def _render(style: str, label: str, pieces: list[tuple[str, bool]]) -> Citation:
    text = "".join(piece for piece, _ in pieces)
    html = "".join(f"<i>{escape(piece)}</i>" if italic else str(escape(piece)) for piece, italic in pieces)
    return Citation(style, label, text, mark_safe(html))


def _closed(quote: str) -> str:
    """The quote with a closing full stop, which Chicago puts inside the quotation marks."""
    quote = quote.strip()
    return quote if quote[-1:] in ".?!…" else quote + "."


def _ending(source: CitationSource) -> str:
    return f"Accessed {_long_date(source.accessed)}. {source.url}."


def chicago(source: CitationSource) -> Citation:
    """Chicago bibliography style, as for a speech or panel remarks."""
    title, date = source.event_title, _long_date(source.event_date)
    where = f" {source.organiser}," if source.organiser else ""
    if not source.speaker_name:
        lead = f"{source.organiser}. " if source.organiser else ""
        pieces = [(f"{lead}“{title}.” Panel discussion transcript, {date}. Verbatim. {_ending(source)}", False)]
        return _render("chicago", "Chicago", pieces)
    author = inverted_name(source.speaker_name) + (f" ({source.role})" if source.role else "")
    quoted = f" “{_closed(source.quote)}”" if source.quote else ""
    pieces = [
        (f"{author}.{quoted} Remarks at “{title},”{where} {date}. Transcript, Verbatim. {_ending(source)}", False)
    ]
    return _render("chicago", "Chicago", pieces)


def apa(source: CitationSource) -> Citation:
    """APA 7th edition reference entry (plus the in-text form when a passage is quoted)."""
    date = source.event_date
    when = f"({date.year}, {date:%B} {date.day})" if date else "(n.d.)"
    retrieved = f"Retrieved {_long_date(source.accessed)}, from {source.url}"
    publisher = f" {source.organiser}." if source.organiser else ""
    if not source.speaker_name:
        author = f"{source.organiser}. " if source.organiser else ""
        pieces = [
            (f"{author}{when}. ", False),
            (source.event_title, True),
            (f" [Panel discussion transcript]. Verbatim. {retrieved}", False),
        ]
        return _render("apa", "APA", pieces)
    pieces = []
    if source.quote:
        family = _split_name(source.speaker_name)[1]
        pieces.append((f"“{source.quote.strip()}” ({family}, {date.year if date else 'n.d.'})\n\n", False))
    role = f", {source.role}" if source.role else ""
    pieces += [
        (f"{initials_name(source.speaker_name)} {when}. Remarks{role}. In ", False),
        (source.event_title, True),
        (f" [Panel discussion transcript].{publisher} Verbatim. {retrieved}", False),
    ]
    return _render("apa", "APA", pieces)


_BIBTEX_SPECIALS = re.compile(r"([&%$#_{}])")


def _bibtex_escape(text: str) -> str:
    text = (
        text.replace("\\", r"\textbackslash{}").replace("~", r"\textasciitilde{}").replace("^", r"\textasciicircum{}")
    )
    return _BIBTEX_SPECIALS.sub(r"\\\1", text)


def bibtex_key(source: CitationSource) -> str:
    who = _split_name(source.speaker_name)[1] if source.speaker_name else (source.organiser or "verbatim")
    words = [w for w in re.findall(r"[A-Za-z]+", source.event_title) if len(w) > 3] or ["event"]
    year = source.event_date.year if source.event_date else "nd"
    return re.sub(r"[^a-z0-9]", "", f"{who}{year}{words[0]}".casefold())


def bibtex(source: CitationSource) -> Citation:
    fields: list[tuple[str, str]] = []
    if source.speaker_name:
        fields.append(("author", _bibtex_escape(inverted_name(source.speaker_name))))
        fields.append(("title", f"Remarks at ``{_bibtex_escape(source.event_title)}''"))
    else:
        if source.organiser:
            fields.append(("author", "{" + _bibtex_escape(source.organiser) + "}"))
        fields.append(("title", "{" + _bibtex_escape(source.event_title) + "}"))
    published = "Panel discussion transcript" + (f", {_bibtex_escape(source.organiser)}" if source.organiser else "")
    fields.append(("howpublished", published))
    if source.event_date:
        fields += [("year", str(source.event_date.year)), ("date", source.event_date.isoformat())]
    notes = []
    if source.role:
        notes.append(f"Speaking as {_bibtex_escape(source.role)}")
    if source.quote:
        notes.append(f"Quoted passage: ``{_bibtex_escape(source.quote.strip())}''")
    # The access date is urldate's, not the note's: a note ending "…''. Accessed 2025-05-03"
    # printed the quotation's closing marks and the date run together.
    if notes:
        fields.append(("note", ". ".join(notes)))
    fields += [
        ("url", source.url.replace("{", "%7B").replace("}", "%7D")),
        ("urldate", source.accessed.isoformat()),
    ]
    width = max(len(name) for name, _ in fields)
    body = ",\n".join(f"  {name.ljust(width)} = {{{value}}}" for name, value in fields)
    text = f"@misc{{{bibtex_key(source)},\n{body}\n}}"
    return _render("bibtex", "BibTeX", [(text, False)])


def citations(source: CitationSource) -> list[Citation]:
    return [chicago(source), apa(source), bibtex(source)]
