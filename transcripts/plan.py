"""One import plan per upload and review: what confirming an admin upload will store.

    plan(pending, choices) -> ImportPlan      built once per request; touches nothing
    confirm(pending, plan, ...) -> result     stores exactly that plan, in one transaction

The preview renders an ImportPlan and confirm applies the same one, so what staff saw is
what is stored. The text is parsed once per upload (the result is kept on the
PendingUpload, keyed by a hash of the text and the parser's choices), not once per view.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from transcripts.importer import ImportResult, TurnDiff, diff_turns, event_slug, import_transcript
from transcripts.models import Event, PendingUpload
from transcripts.parsing import (
    OTHER,
    LabelChoices,
    Participant,
    Transcript,
    parse_transcript,
)
from transcripts.snapshots import REVIEWED_FIELDS, EventFields, EventSnapshot, ParticipantSnapshot
from transcripts.speakers import PeopleIndex, PersonMatch

UNRESOLVED_PREFIX = "label:"
# Above this many speakers an upload is refused: a real event has dozens, a congressional
# record a few hundred; thousands means the labels were misread.
MAX_SPEAKERS = 2000
SPEAKER_FIELDS = ParticipantSnapshot.CHOSEN


@dataclass(frozen=True)
class ReviewChoices:
    """What staff chose in the preview. `metadata` None means "as typed on upload, else as
    parsed, else as the event has it now"; `speakers` holds only rows staff posted, by key;
    `labels` maps a speaker label to True (make it a speaker) or False (not a speaker).
    Only `labels` reaches the parser, so only it is part of the parse cache's key."""

    metadata: dict | None = None
    speakers: dict = field(default_factory=dict)
    labels: dict = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: dict | None) -> ReviewChoices:
        data = data or {}
        labels = {str(k): bool(v) for k, v in (data.get("labels") or {}).items()}
        return cls(metadata=data.get("metadata"), speakers=dict(data.get("speakers") or {}), labels=labels)

    def to_json(self) -> dict:
        return {"metadata": self.metadata, "speakers": self.speakers, "labels": self.labels}

    def parser_choices(self) -> dict:
        return {
            "force": sorted(label for label, take in self.labels.items() if take),
            "refuse": sorted(label for label, take in self.labels.items() if not take),
        }

    def label_choices(self) -> LabelChoices:
        return LabelChoices(**self.parser_choices())

    def merged(
        self, *, metadata: dict | None = None, speakers: dict | None = None, labels: dict | None = None
    ) -> ReviewChoices:
        return ReviewChoices(
            metadata=metadata if metadata is not None else self.metadata,
            speakers={**self.speakers, **(speakers or {})},
            labels=self.labels if labels is None else dict(labels),
        )


@dataclass(frozen=True)
class SpeakerPlan:
    """One speaker row: what the parser found, what staff chose, and who that person is."""

    key: str
    label: str
    parsed_name: str
    unresolved: bool
    turns: int
    words: int
    choice: dict  # name, person (slug or ""), role, title, affiliation
    proposed: PersonMatch  # the matcher's proposal for the parsed speaker
    mapping: PersonMatch  # what confirming does with the chosen name

    @property
    def problem(self) -> str:
        if self.choice["name"]:
            return ""
        return f"{self.label or 'A speaker'} is mapped to nobody: type the speaker's name or pick an existing person."


@dataclass(frozen=True)
class ImportPlan:
    transcript: Transcript  # as staff corrected it: what confirming stores
    metadata: dict
    people: dict  # participant key -> the importer's override (name, person slug, role, ...)
    speakers: tuple[SpeakerPlan, ...]
    target: Event | None  # the event confirming updates; None creates one
    snapshot: EventSnapshot
    diff: TurnDiff | None
    field_changes: tuple[tuple[str, str, str], ...]
    warnings: tuple[str, ...]
    labels: dict = field(default_factory=dict)  # the label choices `transcript` was parsed with

    @property
    def problems(self) -> list[str]:
        """What stops confirming, each saying what to do."""
        found = [s.problem for s in self.speakers if s.problem]
        if not self.snapshot.event.title:
            found.insert(0, "The event needs a title; none was found in the transcript.")
        return found


# ---------------------------------------------------------------- parsing, once


def parse_key(source_text: str, choices: ReviewChoices) -> str:
    material = json.dumps([source_text, choices.parser_choices()], sort_keys=True)
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def remember_parse(pending: PendingUpload, transcript: Transcript, choices: ReviewChoices | None = None) -> None:
    """Keep a parse result on the upload (called when the upload form already parsed it)."""
    pending.parsed = transcript.to_dict()
    pending.parsed_key = parse_key(pending.source_text, choices or ReviewChoices())


def parsed_transcript(pending: PendingUpload, choices: ReviewChoices) -> Transcript:
    """The parser's result for this upload and these choices; parses only when they changed.
    Raises ParseError (only if the parser changed since the upload)."""
    key = parse_key(pending.source_text, choices)
    if pending.parsed is not None and pending.parsed_key == key:
        return Transcript.from_dict(pending.parsed)
    transcript = parse_transcript(pending.source_text, choices=choices.label_choices())
    remember_parse(pending, transcript, choices)
    if pending.pk:
        pending.save(update_fields=["parsed", "parsed_key"])
    return transcript


# ---------------------------------------------------------------- the plan


def unresolved_labels(transcript: Transcript) -> list[str]:
    """Labels of turns the parser could not attribute to any participant, in order of appearance."""
    return list(dict.fromkeys(t.label for t in transcript.turns if t.speaker is None))


def speaker_rows(transcript: Transcript) -> list[dict]:
    """One row per speaker to map: the parser's participants, then each unresolved label."""
    rows = [
        {
            "key": p.key,
            "label": p.label,
            "name": p.name,
            "role": p.role,
            "title": p.title,
            "affiliation": p.affiliation,
            "unresolved": False,
        }
        for p in transcript.participants
    ]
    rows += [
        {
            "key": UNRESOLVED_PREFIX + label,
            "label": label,
            "name": "",
            "role": OTHER,
            "title": "",
            "affiliation": "",
            "unresolved": True,
        }
        for label in unresolved_labels(transcript)
    ]
    return rows


def target_event(pending: PendingUpload, metadata: dict) -> Event | None:
    """The event a confirm would update: the one staff started from, else the one with the
    same title and date (the importer's rule, so re-uploading never duplicates an event)."""
    if pending.event_id:
        return pending.event
    date = datetime.date.fromisoformat(metadata["date"]) if metadata.get("date") else None
    return Event.objects.filter(slug=event_slug(metadata.get("title") or "", date)).first()


def initial_metadata(pending: PendingUpload, transcript: Transcript) -> dict:
    """What the preview starts from: what staff typed on upload, else what the header says,
    else (for a correction) what the event has now."""
    typed = pending.metadata
    parsed = EventSnapshot.from_transcript(transcript).event.to_json()
    event = target_event(pending, {name: typed.get(name) or parsed.get(name) for name in ("title", "date")})
    current = EventSnapshot.from_event(event).event.to_json() if event else {}
    metadata = {name: typed.get(name) or parsed.get(name) or current.get(name) or "" for name in REVIEWED_FIELDS}
    metadata["topics"] = list(typed.get("topics") or dict.fromkeys(current.get("topics", []) + parsed["topics"]))
    return metadata


def reviewed_transcript(transcript: Transcript, metadata: dict, speakers: list[dict]) -> Transcript:
    """The transcript as staff corrected it: event fields, and unresolved labels staff named
    become participants of their own (their turns point to them)."""
    # A new Transcript sharing the parsed turns it does not change (no deep copy: a
    # transcript with thousands of turns is reviewed on every request).
    named, participants = {}, list(transcript.participants)
    for row in speakers:
        if row["key"].startswith(UNRESOLVED_PREFIX):
            label = row["key"][len(UNRESOLVED_PREFIX) :]
            participants.append(Participant(key=row["key"], name=row["name"], label=label, role=row["role"]))
            named[label] = row["key"]
    turns = [
        dataclasses.replace(turn, speaker=named[turn.label]) if turn.speaker is None and turn.label in named else turn
        for turn in transcript.turns
    ]
    return dataclasses.replace(
        transcript,
        title=metadata.get("title") or transcript.title,
        date=datetime.date.fromisoformat(metadata["date"]) if metadata.get("date") else None,
        topics=list(metadata.get("topics", [])),
        participants=participants,
        turns=turns,
        **{name: metadata.get(name, "") for name in ("description", "organiser", "source_url", "media_url")},
    )


def plan(pending: PendingUpload, choices: ReviewChoices, *, parsed: Transcript | None = None) -> ImportPlan:
    """Everything confirming would store, from the upload and staff's choices so far.
    `parsed` is parsed_transcript(pending, choices) when the caller already has it."""
    parsed = parsed or parsed_transcript(pending, choices)
    metadata = dict(choices.metadata) if choices.metadata is not None else initial_metadata(pending, parsed)
    target = target_event(pending, metadata)
    rows = speaker_rows(parsed)
    index = PeopleIndex(event=target, labels=[r["label"] for r in rows])
    chosen, plans = [], []
    for row in rows:
        proposed = index.match(row["name"], row["label"])
        default = {name: row[name] for name in SPEAKER_FIELDS if name != "person"}
        if proposed.proposed:
            default.update(name=proposed.person.name, person=proposed.person.slug)
        else:
            default["person"] = ""
        choice = {**default, **choices.speakers.get(row["key"], {})}
        choice["name"] = " ".join(choice["name"].split())
        chosen.append({"key": row["key"], **choice})
        plans.append((row, choice, proposed, index.decide(proposed, choice["name"], choice["person"])))
    edited = reviewed_transcript(parsed, metadata, chosen)
    people = {
        c["key"]: {
            "name": c["name"],
            "role": c["role"],
            "title": c["title"],
            "affiliation": c["affiliation"],
            "person": c["person"] if index.pinned(c["name"], c["person"]) else "",
        }
        for c in chosen
    }
    counts, words = Counter(t.speaker for t in edited.turns), Counter()
    for turn in edited.turns:
        words[turn.speaker] += sum(len(p.text.split()) for p in turn.paragraphs)
    speakers = tuple(
        SpeakerPlan(
            row["key"],
            row["label"],
            row["name"],
            row["unresolved"],
            counts[row["key"]],
            words[row["key"]],
            choice,
            proposed,
            mapping,
        )
        for row, choice, proposed, mapping in plans
    )
    snapshot = EventSnapshot.from_transcript(edited, metadata=metadata, people=people)
    diff, changes = None, ()
    if target is not None:
        old = EventSnapshot.from_event(target)
        diff = diff_turns(old, snapshot)
        changes = tuple(field_changes(old.event, snapshot.event))
    return ImportPlan(
        transcript=edited,
        metadata=metadata,
        people=people,
        speakers=speakers,
        target=target,
        snapshot=snapshot,
        diff=diff,
        field_changes=changes,
        warnings=tuple(_warnings(pending, parsed, rows)),
        labels=dict(choices.labels),
    )


def _warnings(pending: PendingUpload, parsed: Transcript, rows: list[dict]) -> list[str]:
    warnings = list(pending.warnings) + list(parsed.warnings)
    if not parsed.date:
        warnings.append("No date found in the transcript: give one above.")
    unresolved = [r["label"] for r in rows if r["unresolved"]]
    if unresolved:
        warnings.append("Labels the parser could not attribute: " + ", ".join(unresolved) + " — name them below.")
    return warnings


def field_changes(old: EventFields, new: EventFields) -> list[tuple[str, str, str]]:
    """(field, old, new) for each event field two snapshots disagree on (of those `new` says
    anything about); lists shown comma-separated."""

    def shown(value):
        return ", ".join(value) if isinstance(value, list) else (value or "")

    old_json, new_json = old.to_json(), new.to_json()
    return [
        (name, shown(old_json.get(name)), shown(value))
        for name, value in new_json.items()
        if shown(old_json.get(name)) != shown(value)
    ]


# ---------------------------------------------------------------- storing it


def confirm(pending: PendingUpload, import_plan: ImportPlan, *, status: str, user=None, note="") -> ImportResult | None:
    """Store exactly `import_plan`; None when the upload had already been confirmed (a double
    click, or two staff at once: the row lock makes the second wait and then find it done)."""
    if import_plan.problems:
        raise ValueError(import_plan.problems[0])
    with transaction.atomic():
        locked = PendingUpload.objects.select_for_update().get(pk=pending.pk)
        if locked.confirmed:
            pending.refresh_from_db()
            return None
        label = f"“{pending.filename}”" if pending.filename else "pasted text"
        result = import_transcript(
            pending.source_text,
            event=import_plan.target,
            transcript=import_plan.transcript,
            metadata=import_plan.metadata,
            people=import_plan.people,
            status=status,
            user=user,
            note=note or f"Uploaded {label} in the admin",
        )
        locked.confirmed, locked.result = timezone.now(), result.event
        locked.confirmed_by = user if user and user.is_authenticated else None
        locked.save(update_fields=["confirmed", "confirmed_by", "result"])
    pending.refresh_from_db()
    return result
