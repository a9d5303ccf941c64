"""What every entry path (file import, sidecar .json, admin, archive import) checks before
anything is stored: no control characters, http(s) URLs only, known values, sane lengths.

The rules live here once; the importer, the archive import, the admin forms and the model
fields all call these functions, so an entry path cannot forget one.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

from transcripts import event_fields
from transcripts.languages import UnknownLanguage, language_code
from transcripts.normalise import truncate
from transcripts.stored_text import (  # noqa: F401  (re-exported: the rules every entry path uses)
    CONTROL_CHARACTERS,
    HTTP_URL_VALIDATOR,
    InvalidInput,
    clean_stored_text,
    iso_date,
    strip_control_characters,
)

# How much of a bad value a message quotes: enough to find it, not a page of it.
SHOWN_CHARS = 80

# A whole transcript keeps its form feeds: they are the page breaks of court-reporter text,
# which the parser reads (and drops); stored fields are cleaned of them after parsing.
TRANSCRIPT_PAGE_BREAK = "\x0c"


def http_url(value) -> str:
    """The URL, trimmed, if it is an http(s) address; "" for no URL. Raises InvalidInput otherwise."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput(
            f"A web address must be text starting with http:// or https://, not {_json_kind(value)} ({value!r})."
        )
    value = value.strip()
    if not value:
        return ""
    try:
        HTTP_URL_VALIDATOR(value)
    except ValidationError:
        raise InvalidInput(
            f"{truncate(value, SHOWN_CHARS)!r} is not allowed as a link: "
            "use a web address starting with http:// or https://."
        ) from None
    return value


# --- the sidecar .json beside a transcript ---------------------------------------------

# The keys a sidecar may have: the event fields declared for it (transcripts.event_fields),
# their aliases, and the status to store the event with.
SIDECAR_KEYS = (*event_fields.SIDECAR_FIELDS, "status")
SIDECAR_ALIASES = {alias: name for alias, name in event_fields.ALIASES.items() if name in SIDECAR_KEYS}
STATUSES = ("draft", "published")


def validate_sidecar(data) -> dict:
    """The metadata a sidecar `.json` gives, checked and typed as each field's kind says:
    text, http(s) URLs, an ISO date, an ISO 639-1 language, a list of topic names, a known
    status. Raises InvalidInput naming the first problem."""
    if not isinstance(data, dict):
        raise InvalidInput(
            f'it must hold a JSON object such as {{"topics": ["Human Rights"]}}, not {_json_kind(data)}.'
        )
    unknown = sorted(set(data) - set(SIDECAR_KEYS) - set(SIDECAR_ALIASES))
    if unknown:
        raise InvalidInput(
            f"unknown key(s) {', '.join(map(repr, unknown))}; the keys it may have are {', '.join(SIDECAR_KEYS)}."
        )
    clean: dict = {}
    for key, value in data.items():
        key = SIDECAR_ALIASES.get(key, key)
        if value is None:
            continue
        if key == "status":
            if value not in STATUSES:
                raise InvalidInput(f"status is {value!r}; it must be one of {', '.join(map(repr, STATUSES))}.")
            clean[key] = value
        else:
            clean[key] = clean_event_value(event_fields.BY_NAME[key], value)
    return clean


def clean_event_value(declared: event_fields.EventField, value):
    """One event field's value as its kind says it must be; InvalidInput naming the field."""
    key = declared.name
    if declared.kind == "text":
        value = _text(key, value)
        _check_length(key, value, declared.max_length)
        return value
    if declared.kind == "url":
        return _labelled(key, http_url, value)
    if declared.kind == "date":
        return iso_date(value)
    if declared.kind == "language":
        return language(value)
    if declared.kind == "topics":
        return _topic_names(value)
    raise InvalidInput(f"{key} cannot be given here; it is set by uploading a file in the admin.")


def language(value) -> str:
    """An ISO 639-1 code ("" for none) from a code, a tag like "fr-CA" or a name; InvalidInput otherwise."""
    try:
        return language_code(value)
    except UnknownLanguage as error:
        raise InvalidInput(str(error)) from None


def _text(key: str, value) -> str:
    if not isinstance(value, str):
        shown = truncate(repr(value), SHOWN_CHARS)
        raise InvalidInput(f"{key} must be text (a JSON string), not {_json_kind(value)} ({shown}).")
    return value


def _topic_names(value) -> list[str]:
    if not isinstance(value, list):
        raise InvalidInput(
            f'topics must be a list of names such as ["Human Rights", "Trade"], not {_json_kind(value)}.'
        )
    names = []
    for item in value:
        if not isinstance(item, str) or not item.strip():
            shown = truncate(repr(item), SHOWN_CHARS)
            raise InvalidInput(f"each topic must be a non-empty name (a JSON string); {shown} is not.")
        names.append(item)
    return names


def _labelled(key: str, check, value):
    try:
        return check(value)
    except InvalidInput as error:
        raise InvalidInput(f"{key}: {error}") from None


def _json_kind(value) -> str:
    kinds = {dict: "an object", list: "a list", str: "text", bool: "true/false", int: "a number", float: "a number"}
    return kinds.get(type(value), type(value).__name__)


# --- names an archive gives: slugs and stored file names ------------------------------

SLUG_MAX_LENGTH = 200
SLUG_RE = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")
MEDIA_SUFFIXES = (".mp3", ".m4a", ".wav", ".ogg", ".oga", ".opus", ".mp4", ".m4v", ".webm", ".mov")
CAPTIONS_SUFFIXES = (".vtt", ".srt")
FILE_NAME_RE = re.compile(r"\w[\w.-]{0,150}")
STORED_FILE_FOLDERS = {"media_file": ("media", MEDIA_SUFFIXES), "captions_file": ("captions", CAPTIONS_SUFFIXES)}


def slug(value, where: str) -> str:
    """A slug as the admin makes them (lower-case ASCII letters, digits, hyphens): it goes
    into URLs, feeds and the sitemap, which cannot build a link from "q3 panel"."""
    if not isinstance(value, str) or not SLUG_RE.fullmatch(value) or len(value) > SLUG_MAX_LENGTH:
        raise InvalidInput(
            f"{where} has the slug {truncate(repr(value), SHOWN_CHARS)}; a slug is at most {SLUG_MAX_LENGTH} "
            "lower-case letters, digits and hyphens, e.g. 'q3-panel-2024-05-01'."
        )
    return value


def stored_file_name(value, attr: str) -> str:
    """An uploaded file's stored name ("media/panel.mp3", "captions/panel.vtt"): one file
    directly in its folder, with a suffix the admin accepts for it. Anything else (a path
    with ../, page.html under media/) could read outside the archive or be served as a page."""
    if not value:
        return value
    folder, suffixes = STORED_FILE_FOLDERS[attr]
    name = value.split("/", 1)[1] if isinstance(value, str) and value.startswith(f"{folder}/") else ""
    if not FILE_NAME_RE.fullmatch(name) or not name.lower().endswith(suffixes):
        raise InvalidInput(
            f"{attr} is {truncate(repr(value), SHOWN_CHARS)}; it must be a file directly in {folder}/ "
            f"named with letters, digits, '-', '_' or '.' and ending in {', '.join(suffixes)}."
        )
    return value


# --- a snapshot, whichever path it came by -----------------------------------------------


def clean_snapshot(snapshot):
    """A snapshot (transcripts.snapshots.EventSnapshot) made safe to store: control characters
    removed from every text, URLs http(s) only, lengths and choices within what the models
    hold. Returns (the cleaned snapshot, warnings about what was removed); raises InvalidInput."""
    from dataclasses import replace

    from transcripts.models import Appearance, Event, Kind, Person, Role, Section, Topic, Turn

    removed: list[str] = []
    meta = snapshot.event
    texts = {}
    for key in event_fields.STRING_FIELDS:
        texts[key] = clean_text_field(getattr(meta, key), key, removed, _max_length(Event, key))
        if event_fields.BY_NAME[key].kind != "text":  # a link, a language code
            texts[key] = clean_event_value(event_fields.BY_NAME[key], texts[key])
    topics = tuple(
        clean_text_field(_text("topic", t), "a topic", removed, _max_length(Topic, "name")) for t in meta.topics
    )
    participants = []
    for p in snapshot.participants:
        where = f"participant {truncate(str(p.name), 40)!r}"
        name = clean_text_field(p.name, f"{where} name", removed, _max_length(Person, "name"))
        if not name.strip():
            raise InvalidInput(f"a participant has no name (label {p.label!r}); give every speaker a name.")
        participants.append(
            replace(
                p,
                name=name,
                **{
                    key: clean_text_field(getattr(p, key), f"{where} {key}", removed, _max_length(Appearance, key))
                    for key in ("label", "title", "affiliation")
                },
            )
        )
        _choice(p.role, "role", Role, where)
    turns = []
    for number, t in enumerate(snapshot.turns, start=1):
        where = f"turn {number}"
        _choice(t.kind, "kind", Kind, where)
        _choice(t.section, "section", Section, where)
        turns.append(
            replace(
                t,
                label=clean_text_field(t.label, f"{where} label", removed, _max_length(Turn, "label")),
                timestamp=clean_text_field(t.timestamp, f"{where} timestamp", removed, _max_length(Turn, "timestamp")),
                paragraphs=tuple(
                    clean_text_field(_text(f"{where} paragraph", p), where, removed, None) for p in t.paragraphs
                ),
            )
        )
    files = {attr: stored_file_name(getattr(meta, attr), attr) for attr in STORED_FILE_FOLDERS}
    cleaned = replace(
        snapshot,
        event=replace(meta, **texts, **files, topics=topics),
        participants=tuple(participants),
        turns=tuple(turns),
    )
    return cleaned, ([control_character_warning(removed)] if removed else [])


def control_character_warning(places: list[str]) -> str:
    places = list(dict.fromkeys(places))
    shown = ", ".join(places[:8]) + (f" and {len(places) - 8} more places" if len(places) > 8 else "")
    return (
        f"Removed invisible control characters (they break the feeds) from: {shown}. "
        "Check the source if something looks wrong there."
    )


def clean_text_field(value, where: str, removed: list[str], max_length: int | None = None) -> str:
    """One stored text: control characters removed (noting `where` in `removed`), length checked."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput(f"{where} must be text, not {_json_kind(value)} ({truncate(repr(value), SHOWN_CHARS)}).")
    value, count = strip_control_characters(value)
    if count:
        removed.append(where)
    _check_length(where, value, max_length)
    return value


def _check_length(where: str, value: str, max_length: int | None) -> None:
    if max_length is not None and len(value) > max_length:
        raise InvalidInput(
            f"{where} is {len(value):,} characters long; it may be at most {max_length:,}. "
            f"Shorten it (it starts {truncate(value, 60)!r})."
        )


def _choice(value, key: str, choices, where: str) -> None:
    if value not in choices.values:
        raise InvalidInput(f"{where} has {key} {value!r}; it must be one of {', '.join(choices.values)}.")


def _max_length(model, field_name: str) -> int | None:
    return model._meta.get_field(field_name).max_length


# --- what one event may hold -------------------------------------------------------------

# Above this many speakers a transcript is refused: a real event has dozens, a congressional
# record a few hundred; thousands means the labels were misread.
MAX_SPEAKERS = 2000


def check_speaker_count(count: int, limit: int | None = None) -> None:
    """Refuse an event with more speakers than one event can have, saying why and what to do.
    Every write that stores an event's speakers calls it (transcripts.operations.imports), so
    the admin, import_transcripts, import_archive and the demo loader refuse alike."""
    limit = MAX_SPEAKERS if limit is None else limit
    if count > limit:
        raise InvalidInput(
            f"The text has {count:,} different speaker labels; an event can have at most {limit:,}. "
            "Check that each turn starts with the speaker's name and a colon (a colon inside the speech "
            "can look like a label), or split the transcript into sessions."
        )
