"""What a corrected transcript keeps of what staff decided.

Re-uploading a transcript must not undo the work staff did on the event: the person each
speaker was mapped to, their names, roles, titles and affiliations, and the organiser,
topics, links and media. A value staff set is kept unless the new file says otherwise,
and "says otherwise" means the new file states something the previous file did not: each
value is compared between what the previous file said (`before`, the event's stored
source text parsed again) and what the new file says (`after`). Where the two agree, the
stored value (the staff decision) stands; where they differ, the new file wins.

The upload preview starts from these values and lists every difference from the event as
it is now (transcripts.plan); `import_transcripts` applies them to the fields and speakers
its sidecar does not give.
"""

from __future__ import annotations

import dataclasses
import functools
from collections import Counter

from transcripts.normalise import name_key
from transcripts.parsing import ParseError, parse_transcript
from transcripts.snapshots import REVIEWED_FIELDS, EventFields, EventSnapshot, ParticipantSnapshot
from transcripts.validation import iso_date

# What a speaker row keeps: the person chosen and what staff may edit about them.
KEPT_SPEAKER_FIELDS = ("name", "person", "role", "title", "affiliation", "generic")


def previous_file(event) -> EventSnapshot | None:
    """What the event's stored source text says today (None if there is none, or if it no
    longer parses: then every stored value is kept unless nothing is stored)."""
    return _said_by(event.source_text) if event.source_text else None


@functools.lru_cache(maxsize=4)
def _said_by(source_text: str) -> EventSnapshot | None:
    # Cached: each preview request of a correction compares against the same stored text.
    try:
        return EventSnapshot.from_transcript(parse_transcript(source_text))
    except ParseError:
        return None


def _same(a, b) -> bool:
    if isinstance(a, list | tuple) or isinstance(b, list | tuple):
        return sorted(a or ()) == sorted(b or ())
    return (a or "") == (b or "")


def kept_metadata(stored: EventFields, before: EventFields | None, after: EventFields) -> dict:
    """The reviewed event fields a correction stores: the new file's value where it changed
    what the file says (or where nothing is stored), the stored value otherwise. Topics
    staff added stay beside the ones the new file gives."""
    now, was, new = stored.to_json(), before.to_json() if before else None, after.to_json()
    kept = {}
    for name in REVIEWED_FIELDS:
        if name == "topics":  # staff's own topics stay; the file's are what it says now
            from_file = set(was.get("topics", [])) if was is not None else set()
            staff = [t for t in now.get("topics", []) if t not in from_file]
            kept[name] = list(dict.fromkeys([*staff, *new.get("topics", [])]))
            continue
        changed = was is not None and new.get(name) and not _same(was.get(name), new.get(name))
        kept[name] = (new.get(name) if changed or not now.get(name) else now.get(name)) or ""
    return kept


class Finder:
    """Participants looked up by label (when only one has it), else by name: built once, so a
    correction with thousands of speakers costs one pass, not one per pair."""

    def __init__(self, participants):
        participants = list(participants)
        labels = Counter(p.label for p in participants)
        self.by_label = {p.label: p for p in participants if p.label and labels[p.label] == 1}
        self.by_name: dict[str, ParticipantSnapshot] = {}
        for p in participants:
            self.by_name.setdefault(name_key(p.name), p)

    def find(self, label: str, name: str) -> ParticipantSnapshot | None:
        return self.by_label.get(label) or self.by_name.get(name_key(name))


def kept_speakers(stored, before, parsed) -> dict[str, dict]:
    """For each parsed participant (by key) of a correction, the row it starts from: the
    stored speaker's person, name, role, title and affiliation, except where the new file
    says something the previous file did not. Participants the event lacks get no row."""
    stored, before = Finder(stored), Finder(before) if before is not None else None
    rows = {}
    for p in parsed:
        now = stored.find(p.label, p.name)
        if now is not None:
            rows[p.key] = _kept_row(now, before.find(p.label, p.name) if before else None, p)
    return rows


def _kept_row(now: ParticipantSnapshot, was: ParticipantSnapshot | None, parsed: ParticipantSnapshot) -> dict:
    row = {}
    for name in KEPT_SPEAKER_FIELDS:
        new_value, stored_value = getattr(parsed, name), getattr(now, name)
        changed = was is not None and new_value and not _same(getattr(was, name), new_value)
        if name == "person":
            row[name] = stored_value or ""
        elif name == "generic":
            row[name] = new_value if was is not None and new_value != was.generic else stored_value
        else:  # the file changed what it says: it wins; else the stored decision stands
            row[name] = new_value if changed or not stored_value else stored_value
    if row["name"] != now.name:  # the new file renamed them: the stored person is someone else
        row["person"] = ""
    return row


def keep_staff_decisions(event, snapshot: EventSnapshot, *, given_fields=(), given_people=()) -> EventSnapshot:
    """`snapshot` (what the new file says) with what staff decided on `event` kept, except for
    the event fields and participant keys the caller gave explicitly."""
    stored = EventSnapshot.from_event(event)
    before = previous_file(event)
    kept = kept_metadata(stored.event, before.event if before else None, snapshot.event)
    fields = {name: value for name, value in kept.items() if name not in given_fields}
    fields["topics"] = tuple(fields.get("topics", snapshot.event.topics))
    if "date" in fields:
        fields["date"] = iso_date(fields["date"] or None)
    rows = kept_speakers(stored.participants, before.participants if before else None, snapshot.participants)
    participants = []
    for p in snapshot.participants:
        row = {} if p.key in given_people else rows.get(p.key, {})
        if "person" in row:
            row = {**row, "person": row["person"] or None}
        participants.append(dataclasses.replace(p, **row))
    return dataclasses.replace(
        snapshot, event=dataclasses.replace(snapshot.event, **fields), participants=tuple(participants)
    )
