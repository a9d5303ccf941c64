"""An event as one typed value: its metadata, participants and turns (with their public ids).

Imports, revisions (EventRevision.snapshot holds `to_json()`), restores, the archive and the
quote view all speak this one shape. The event's fields are transcripts.event_fields's
declaration (EventFields is made from it, each field keeping its kind); participants and
turns are the dataclasses below.

Schema versions: 1 is the shape stored before it had a "schema" key; 2 adds the key. The
shape is otherwise the same (keys a version-1 snapshot may lack get their defaults), so
one reader takes both; `from_json` refuses any other version with a message.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import ClassVar

from transcripts import event_fields
from transcripts.stored_text import InvalidInput, iso_date


class SnapshotError(InvalidInput):
    """A stored or exported snapshot that cannot be read; the message says what is wrong."""


# What each kind of event field holds in a snapshot, and its value when the snapshot says
# nothing. The media fields are None then: applying the snapshot keeps the event's
# recording (a parsed transcript says nothing about it).
_KIND_TYPES = {
    "text": ("str", ""),
    "url": ("str", ""),
    "language": ("str", ""),
    "date": ("datetime.date | None", None),
    "topics": ("tuple[str, ...]", ()),
    "media": ("str | dict | None", None),
}


def _event_fields_to_json(self) -> dict:
    data = {name: getattr(self, name) for name in STRING_FIELDS}
    data["date"] = self.date.isoformat() if self.date else None
    data["topics"] = list(self.topics)
    data.update({name: getattr(self, name) for name in MEDIA_FIELDS if getattr(self, name) is not None})
    return data


EventFields = dataclasses.make_dataclass(
    "EventFields",
    [
        (f.name, _KIND_TYPES[f.kind][0], field(default=_KIND_TYPES[f.kind][1], metadata={"kind": f.kind}))
        for f in event_fields.FIELDS
    ],
    namespace={"to_json": _event_fields_to_json, "__module__": __name__},
    frozen=True,
)
EventFields.__doc__ = "The event's own fields (transcripts.event_fields), as a snapshot holds them."


def fields_of_kind(kind: str) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(EventFields) if f.metadata["kind"] == kind)


TEXT_FIELDS = fields_of_kind("text")  # stored on the Event as they are
URL_FIELDS = fields_of_kind("url")  # http(s) links, stored as they are
MEDIA_FIELDS = fields_of_kind("media")
STRING_FIELDS = event_fields.STRING_FIELDS  # one string column each on the Event ("" for none)
# What staff review before an upload is stored (the photo credit comes from the header only).
REVIEWED_FIELDS = event_fields.REVIEWED_FIELDS


@dataclass(frozen=True)
class ParticipantSnapshot:
    key: str  # what turns point to: the parser's key, or the person's slug once stored
    name: str
    person: str | None = None  # an existing Person's slug to attach to, if any
    label: str = ""
    role: str = "other"
    title: str = ""
    affiliation: str = ""
    # A speaker of this event only (Operator, Q, Speaker 2): stored with no Person.
    generic: bool = False

    # What staff or a caller may choose for a speaker (the rest comes from the transcript).
    CHOSEN: ClassVar[tuple[str, ...]] = ("name", "person", "role", "title", "affiliation")
    # The key a stored speaker of this event only has (a person's is their slug, which has no "~").
    GENERIC_PREFIX: ClassVar[str] = "~"

    def to_json(self) -> dict:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class TurnSnapshot:
    label: str
    speaker: str | None  # a participant's key, None when unresolved
    kind: str
    section: str
    paragraphs: tuple[str, ...]
    public_id: str | None = None  # None until stored
    timestamp: str = ""
    start_seconds: float | None = None
    paragraph_starts: tuple[float | None, ...] = ()

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)

    def to_json(self) -> dict:
        return {
            "public_id": self.public_id,
            "label": self.label,
            "speaker": self.speaker,
            "kind": self.kind,
            "section": self.section,
            "timestamp": self.timestamp,
            "start_seconds": self.start_seconds,
            "paragraph_starts": list(self.paragraph_starts),
            "paragraphs": list(self.paragraphs),
        }


@dataclass(frozen=True)
class EventSnapshot:
    SCHEMA_VERSION: ClassVar[int] = 2
    READS: ClassVar[tuple[int, ...]] = (1, 2)

    event: EventFields
    participants: tuple[ParticipantSnapshot, ...] = ()
    turns: tuple[TurnSnapshot, ...] = ()

    # ---------------------------------------------------------------- building

    @classmethod
    def from_transcript(cls, transcript, metadata: dict | None = None, people: dict | None = None) -> EventSnapshot:
        """What importing the parsed `transcript` would store. `metadata` overrides what the
        header said (empty values do not); `people` maps a participant key to overrides
        (name, person slug, role, title, affiliation)."""
        from transcripts.media.snapshot import transcript_start

        metadata = {k: v for k, v in (metadata or {}).items() if v not in (None, "", [])}
        people = people or {}
        given = {name: metadata.get(name, getattr(transcript, name)) for name in STRING_FIELDS}
        event = EventFields(
            **given,
            date=iso_date(metadata.get("date", transcript.date)),
            topics=tuple(metadata.get("topics", transcript.topics)),
        )
        participants = []
        for p in transcript.participants:
            override = people.get(p.key, {})
            participants.append(
                ParticipantSnapshot(
                    key=p.key,
                    name=override.get("name") or p.name,
                    person=override.get("person") or None,
                    label=p.label,
                    role=override.get("role") or p.role,
                    title=override.get("title", p.title),
                    affiliation=override.get("affiliation", p.affiliation),
                    generic=override.get("generic", getattr(p, "generic", False)),
                )
            )
        turns = tuple(
            TurnSnapshot(
                label=t.label,
                speaker=t.speaker,
                kind=t.kind,
                section=t.section,
                paragraphs=tuple(p.text for p in t.paragraphs),
                timestamp=t.timestamp,
                start_seconds=transcript_start(t),
            )
            for t in transcript.turns
        )
        return cls(event, tuple(participants), turns)

    @classmethod
    def from_event(cls, event) -> EventSnapshot:
        """The event as stored (three queries)."""
        appearances = list(event.appearances.select_related("person").order_by("order"))
        return cls.from_rows(
            event, event.topics.values_list("name", flat=True), appearances, event.turns.order_by("position")
        )

    @classmethod
    def from_rows(cls, event, topic_names, appearances, turns) -> EventSnapshot:
        """The event from rows a caller already holds: `appearances` in order with their
        people, `turns` in position order (an import just wrote them: no need to read them back)."""
        slugs = {
            a.id: a.person.slug if a.person_id else ParticipantSnapshot.GENERIC_PREFIX + a.name for a in appearances
        }
        fields = EventFields(
            **{name: getattr(event, name) for name in STRING_FIELDS},
            date=event.date,
            topics=tuple(sorted(set(topic_names))),
            media_file=event.media_file.name or "",
            captions_file=event.captions_file.name or "",
            alignment=dict(event.alignment or {}),
        )
        participants = tuple(
            ParticipantSnapshot(
                key=slugs[a.id],
                name=a.speaker_name,
                person=a.person.slug if a.person_id else None,
                label=a.label,
                role=a.role,
                title=a.title,
                affiliation=a.affiliation,
                generic=not a.person_id,
            )
            for a in appearances
        )
        turns = tuple(
            TurnSnapshot(
                label=t.label,
                speaker=slugs[t.appearance_id] if t.appearance_id else None,
                kind=t.kind,
                section=t.section,
                paragraphs=tuple(t.paragraphs),
                public_id=t.public_id,
                timestamp=t.timestamp,
                start_seconds=t.start_seconds,
                paragraph_starts=tuple(t.paragraph_starts or ()),
            )
            for t in turns
        )
        return cls(fields, participants, turns)

    # ---------------------------------------------------------------- reading

    def speaker_names(self) -> dict[str, str]:
        return {p.key: p.name for p in self.participants}

    def position_of(self, public_id: str) -> int | None:
        """Where the turn with this public id stood (1-based), if the snapshot has it."""
        return next((n for n, t in enumerate(self.turns, start=1) if t.public_id == public_id), None)

    # ---------------------------------------------------------------- JSON

    def to_json(self) -> dict:
        return {
            "schema": self.SCHEMA_VERSION,
            "event": self.event.to_json(),
            "participants": [p.to_json() for p in self.participants],
            "turns": [t.to_json() for t in self.turns],
        }

    @classmethod
    def from_json(cls, data) -> EventSnapshot:
        """A snapshot from its JSON form (version 1 or 2). Raises SnapshotError saying what is wrong."""
        if not isinstance(data, dict):
            raise SnapshotError(f"a snapshot must be a JSON object, not {type(data).__name__}.")
        version = data.get("schema", 1)
        if version not in cls.READS:
            raise SnapshotError(
                f"the snapshot has schema version {version!r}; this Verbatim reads versions "
                f"{', '.join(map(str, cls.READS))}. Upgrade Verbatim, or export the archive again."
            )
        meta = _required(data, "event", dict, "the snapshot")
        media = {name: meta[name] for name in MEDIA_FIELDS if meta.get(name) is not None}
        _check(media.get("alignment", {}), dict, "event alignment")
        try:
            date = iso_date(meta.get("date"))
        except InvalidInput as error:
            raise SnapshotError(str(error)) from None
        event = EventFields(
            **{name: meta.get(name) for name in STRING_FIELDS if meta.get(name) is not None},
            date=date,
            topics=tuple(_check(meta.get("topics") or [], list, "event topics")),
            **media,
        )
        participants = tuple(
            ParticipantSnapshot(
                **_known(_check(p, dict, "a participant"), ParticipantSnapshot, ("key", "name"), "a participant")
            )
            for p in _required(data, "participants", list, "the snapshot")
        )
        turns = []
        for number, t in enumerate(_required(data, "turns", list, "the snapshot"), start=1):
            where = f"turn {number}"
            t = _known(_check(t, dict, where), TurnSnapshot, TURN_REQUIRED, where)
            t["paragraphs"] = tuple(_check(t["paragraphs"], list, f"{where} paragraphs"))
            t["paragraph_starts"] = tuple(_check(t.get("paragraph_starts") or [], list, f"{where} paragraph_starts"))
            turns.append(TurnSnapshot(**t))
        return cls(event, participants, tuple(turns))


TURN_REQUIRED = ("label", "speaker", "kind", "section", "paragraphs")


def _required(data: dict, key: str, kind: type, where: str):
    if key not in data:
        raise SnapshotError(f"a required field is missing ('{key}') from {where}.")
    return _check(data[key], kind, f"{where} {key}")


def _check(value, kind: type, where: str):
    if not isinstance(value, kind):
        raise SnapshotError(f"{where} must be {'a list' if kind is list else 'an object'}, not {value!r:.60}.")
    return value


def _known(data: dict, cls, required: tuple[str, ...], where: str) -> dict:
    """The keys of `data` that `cls` has (a snapshot may carry ones a later version added),
    the required ones present; a null where the field has a non-null default takes the default."""
    for key in required:
        if key not in data:
            raise SnapshotError(f"a required field is missing ('{key}') from {where}.")
    fields = {f.name: f for f in dataclasses.fields(cls)}
    return {
        k: v
        for k, v in data.items()
        if k in fields and (v is not None or fields[k].default in (None, dataclasses.MISSING))
    }
