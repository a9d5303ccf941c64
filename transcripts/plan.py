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

from transcripts.corrections import kept_metadata, kept_speakers, previous_file
from transcripts.models import Event, PendingUpload
from transcripts.parsing import (
    OTHER,
    LabelChoices,
    Participant,
    Transcript,
    parse_transcript,
)
from transcripts.snapshots import REVIEWED_FIELDS, STRING_FIELDS, EventFields, EventSnapshot, ParticipantSnapshot
from transcripts.speakers import PeopleIndex, PersonMatch, is_event_only
from transcripts.turn_rows import TurnDiff, diff_turns, event_slug
from transcripts.validation import TRANSCRIPT_PAGE_BREAK, strip_control_characters

UNRESOLVED_PREFIX = "label:"
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
    parsed_role: str = OTHER
    role_reason: str = ""  # why the parser gave parsed_role, one line
    kept: bool = False  # the row starts from what staff decided on the event being corrected

    @property
    def event_only(self) -> bool:
        """A speaker of this event only (Operator, Q, Speaker 2): no Person is stored."""
        return is_event_only(self.choice["name"])

    @property
    def role_note(self) -> str:
        """The preview's one line under the role: why it is what it is."""
        if self.kept and self.choice["role"] != self.parsed_role:
            return f"kept as set on the event (the text suggests {self.parsed_role}: {self.role_reason or 'no reason'})"
        return self.role_reason

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
    speaker_changes: tuple[str, ...] = ()  # for a correction: each speaker row that changes, in words
    duplicates: tuple[Event, ...] = ()  # other events stored from this very text

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
    transcript = parse_transcript(pending.source_text, choices=choices.label_choices(), filename=pending.filename)
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
            "role_reason": p.role_reason,
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
            "role_reason": "",
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
    """What the preview starts from: what staff typed on upload, else, for a correction,
    what the event has now unless the new file says otherwise (transcripts.corrections),
    else what the header says."""
    typed = pending.metadata
    parsed = EventSnapshot.from_transcript(transcript).event
    event = target_event(pending, {name: typed.get(name) or parsed.to_json().get(name) for name in ("title", "date")})
    if event is None:
        kept = parsed.to_json()
    else:
        before = previous_file(event)
        kept = kept_metadata(EventSnapshot.from_event(event).event, before.event if before else None, parsed)
    metadata = {name: typed.get(name) or kept.get(name) or "" for name in REVIEWED_FIELDS}
    metadata["topics"] = list(typed.get("topics") or kept.get("topics") or [])
    return metadata


def corrected_defaults(target: Event | None, old: EventSnapshot | None, transcript: Transcript) -> dict[str, dict]:
    """For a correction: each parsed participant's row as staff left it on the event
    (person, name, role, title, affiliation), unless the new file says otherwise."""
    if target is None or old is None:
        return {}
    before = previous_file(target)
    parsed = EventSnapshot.from_transcript(transcript).participants
    return kept_speakers(old.participants, before.participants if before else None, parsed)


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
        **{name: metadata.get(name, "") for name in REVIEWED_FIELDS if name in STRING_FIELDS and name != "title"},
    )


def plan(pending: PendingUpload, choices: ReviewChoices, *, parsed: Transcript | None = None) -> ImportPlan:
    """Everything confirming would store, from the upload and staff's choices so far.
    `parsed` is parsed_transcript(pending, choices) when the caller already has it."""
    parsed = parsed or parsed_transcript(pending, choices)
    metadata = dict(choices.metadata) if choices.metadata is not None else initial_metadata(pending, parsed)
    target = target_event(pending, metadata)
    rows = speaker_rows(parsed)
    index = PeopleIndex(event=target, labels=[r["label"] for r in rows])
    old = EventSnapshot.from_event(target) if target is not None else None  # read once per request
    kept = corrected_defaults(target, old, parsed)
    chosen, plans = [], []
    for row in rows:
        proposed = index.match(row["name"], row["label"])
        default = {name: row[name] for name in SPEAKER_FIELDS if name != "person"}
        if row["key"] in kept:  # what staff decided on the event stands
            default.update({name: kept[row["key"]][name] for name in SPEAKER_FIELDS})
        elif proposed.proposed:
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
            "generic": is_event_only(c["name"]),
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
            row["role"],
            row["role_reason"],
            row["key"] in kept,
        )
        for row, choice, proposed, mapping in plans
    )
    snapshot = EventSnapshot.from_transcript(edited, metadata=metadata, people=people)
    diff, changes, speaker_changes = None, (), ()
    if old is not None:
        diff = diff_turns(old, snapshot)
        changes = tuple(field_changes(old.event, snapshot.event))
        speaker_changes = tuple(changed_speakers(old, snapshot))
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
        speaker_changes=speaker_changes,
        duplicates=tuple(duplicate_events(pending.source_text, target)),
    )


def duplicate_events(source_text: str, target: Event | None) -> list[Event]:
    """Events other than `target` stored from this very text (a re-upload under another
    title would make a second copy of the event)."""
    stored_as, _removed = strip_control_characters(source_text, keep=TRANSCRIPT_PAGE_BREAK)  # as the importer stores it
    same = Event.objects.filter(source_text=stored_as)
    if target is not None:
        same = same.exclude(pk=target.pk)
    return list(same.only("pk", "title", "slug", "status", "date").order_by("pk")[:5])


def changed_speakers(old: EventSnapshot, new: EventSnapshot) -> list[str]:
    """Each speaker a correction changes, in words: who is added, who goes, and for the
    rest which of name, person, role, title and affiliation change from what is stored."""
    shown = {"name": "name", "role": "role", "title": "title", "affiliation": "affiliation"}
    lines, matched = [], set()
    for p in new.participants:
        was = next((o for o in old.participants if p.person and o.person == p.person), None)
        was = was or next((o for o in old.participants if o.label == p.label and o.key not in matched), None)
        if was is None:
            lines.append(f"{p.name} ({p.label or 'no label'}): new speaker, {p.role}")
            continue
        matched.add(was.key)
        diffs = [
            f"{what} {getattr(was, f) or '—'} → {getattr(p, f) or '—'}"
            for f, what in shown.items()
            if (getattr(was, f) or "") != (getattr(p, f) or "")
        ]
        if p.person and was.person != p.person:
            diffs.append(f"person {was.person or 'none'} → {p.person}")
        if diffs:
            lines.append(f"{was.name} ({p.label or was.label or 'no label'}): " + "; ".join(diffs))
    lines += [f"{o.name} ({o.label or 'no label'}): no longer speaks" for o in old.participants if o.key not in matched]
    return lines


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
