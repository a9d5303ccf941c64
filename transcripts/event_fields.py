"""The event's fields, declared once: what each one is, where it may be given, how it is
checked, and where it is shown. No Django here: the parser reads it too.

What is derived from this list (tests/operations/test_event_fields.py holds each place to it):
- the parser's front-matter keys and their aliases (parsing/frontmatter.py) and the
  header fields front matter overrides (parsing/parse.py);
- the sidecar `.json` keys and how each value is checked (validation.validate_sidecar),
  and how a snapshot's values are cleaned before they are stored (validation.clean_snapshot);
- the snapshot's EventFields dataclass and its kinds (snapshots.py), hence what imports,
  versions, restores and the archive carry;
- the fields staff give on upload and correct in the preview (staff/forms.py), and the
  event admin's "Source" fieldset (staff/admin/events.py);
- the public JSON of an event and of the event lists (reader/serializers.py).
The Django model stays the model (a migration per field); a test asserts that its fields,
lengths and this list agree, so a field cannot be added in one place only.

Kinds: "text" (stored as written, control characters removed), "url" (an http(s) link),
"date" (YYYY-MM-DD), "language" (an ISO 639-1 code, transcripts.languages), "topics"
(a list of names), "media" (files and the alignment report: carried by snapshots only).
"""

from __future__ import annotations

from dataclasses import dataclass

# Where a field appears in the public JSON: with every mention of the event (lists,
# search hits' events, an event's own page) or only on the event's own page.
SUMMARY, DETAIL = "summary", "detail"


@dataclass(frozen=True)
class EventField:
    name: str
    kind: str
    label: str = ""
    max_length: int | None = None
    # Other front-matter/sidecar keys meaning this field ("organizer" for organiser).
    aliases: tuple[str, ...] = ()
    front_matter: bool = False  # a transcript's front matter may give it
    sidecar: bool = False  # a sidecar .json (and the import command's options) may give it
    asked_on_upload: bool = False  # on the admin's upload form
    reviewed: bool = False  # staff check it in the upload preview (and corrections keep staff's value)
    admin_source: bool = False  # in the event admin's "Source" fieldset
    indexed: bool = False  # a search field of the turn documents of its own
    json: str = ""  # SUMMARY, DETAIL, or "" for not in the public JSON
    multiline: bool = False  # a paragraph, not a line

    @property
    def is_string(self) -> bool:
        """Stored on the Event as one string column, "" for none."""
        return self.kind in STRING_KINDS


STRING_KINDS = ("text", "url", "language")

# Given in a file's front matter or sidecar, or by staff on upload, and checked in the preview.
GIVEN = {"front_matter": True, "sidecar": True, "asked_on_upload": True, "reviewed": True}

FIELDS: tuple[EventField, ...] = (
    EventField("title", "text", "Title", 300, **GIVEN, json=SUMMARY),
    EventField("date", "date", "Date", **GIVEN, json=SUMMARY),
    EventField("description", "text", "Description", **GIVEN | {"asked_on_upload": False}, multiline=True),
    EventField(
        "organiser", "text", "Organiser or series", 200, ("organizer",), **GIVEN, admin_source=True, json=SUMMARY
    ),
    EventField("source_url", "url", "Source URL", 500, ("source", "url"), **GIVEN, admin_source=True, json=DETAIL),
    EventField("media_url", "url", "Media URL", 500, ("media",), **GIVEN, admin_source=True, json=DETAIL),
    EventField(
        "language", "language", "Language", 2, ("lang",), **GIVEN, admin_source=True, indexed=True, json=SUMMARY
    ),
    EventField("photo_credit", "text", "Photo credit", 200, sidecar=True, admin_source=True),
    EventField("topics", "topics", "Topics", **GIVEN),
    EventField("media_file", "media", admin_source=True),
    EventField("captions_file", "media"),
    EventField("alignment", "media"),
)

BY_NAME = {f.name: f for f in FIELDS}


def names(**wanted) -> tuple[str, ...]:
    """The names of the fields whose attributes have the values given, in declared order:
    names(kind="url"), names(reviewed=True)."""
    return tuple(f.name for f in FIELDS if all(getattr(f, key) == value for key, value in wanted.items()))


STRING_FIELDS = tuple(f.name for f in FIELDS if f.is_string)  # one string column each on the Event
FRONT_MATTER_FIELDS = names(front_matter=True)
SIDECAR_FIELDS = names(sidecar=True)
REVIEWED_FIELDS = names(reviewed=True)
UPLOAD_FIELDS = names(asked_on_upload=True)
INDEXED_FIELDS = names(indexed=True)
# Every other key a front matter or sidecar may use for a field, and the field it means.
ALIASES = {alias: f.name for f in FIELDS for alias in f.aliases}
