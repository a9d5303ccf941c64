"""What an import makes of a snapshot before it writes anything: the alignment of an event's
old and new turns (which new turn corrects which old one, so it keeps its public id), each
turn's public id, and the unsaved rows (appearances grouped by person, Turn objects).

Nothing here writes: transcripts.operations.imports stores these rows, and the benchmark's
bulk corpus writer (transcripts/devtools/corpus.py) builds its turns with the same
`build_turns`, so there is one way to make a Turn from a snapshot.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
from dataclasses import dataclass, field

from django.utils.text import slugify

from transcripts.models import Appearance, Event, Turn, name_key
from transcripts.snapshots import EventSnapshot
from transcripts.turn_matching import match_turns


@dataclass
class TurnDiff:
    kept: int = 0
    changed: int = 0
    added: int = 0
    removed: int = 0
    speakers_changed: int = 0
    # For each new turn (by index), the public id it inherits, if any.
    inherited_ids: dict[int, str] = field(default_factory=dict)
    details: list[dict] = field(default_factory=list)
    # The event as apply_snapshot stored it (what EventSnapshot.from_event would read back),
    # kept for the revision so an import does not read every turn it just wrote.
    stored: EventSnapshot | None = field(default=None, repr=False, compare=False)

    @property
    def has_changes(self) -> bool:
        return bool(self.changed or self.added or self.removed or self.speakers_changed)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def event_slug(title: str, date: datetime.date | None) -> str:
    base = slugify(title)[:150].strip("-") or "event"
    return f"{base}-{date:%Y-%m-%d}" if date else base


def _speaker_texts(snapshot: EventSnapshot) -> list[tuple[str, str]]:
    names = snapshot.speaker_names()
    return [(names.get(t.speaker, ""), t.text) for t in snapshot.turns]


def diff_turns(old: EventSnapshot, new: EventSnapshot) -> TurnDiff:
    """Align the turns of two snapshots: which new turns are the old ones (kept or
    corrected, so they inherit the public id), which are added and which removed
    (transcripts.turn_matching pairs them)."""
    old_turns = old.turns
    old_keys, new_keys = _speaker_texts(old), _speaker_texts(new)
    diff = TurnDiff()
    matched_old = set()
    for i, j in match_turns(old_keys, new_keys):
        matched_old.add(i)
        diff.inherited_ids[j] = old_turns[i].public_id
        speaker_changed = old_keys[i][0] != new_keys[j][0]
        text_changed = old_keys[i][1] != new_keys[j][1]
        diff.speakers_changed += speaker_changed
        diff.changed += text_changed
        diff.kept += not (speaker_changed or text_changed)
        if speaker_changed or text_changed:
            diff.details.append(
                {
                    "change": "speaker" if speaker_changed and not text_changed else "changed",
                    "position": j + 1,
                    "speaker": new_keys[j][0],
                    "old_speaker": old_keys[i][0],
                    "text": new_keys[j][1][:200],
                    "old_text": old_keys[i][1][:200],
                }
            )
    for j in sorted(set(range(len(new_keys))) - diff.inherited_ids.keys()):
        diff.added += 1
        diff.details.append(
            {"change": "added", "position": j + 1, "speaker": new_keys[j][0], "text": new_keys[j][1][:200]}
        )
    for i in sorted(set(range(len(old_keys))) - matched_old):
        diff.removed += 1
        diff.details.append(
            {"change": "removed", "position": i + 1, "speaker": old_keys[i][0], "text": old_keys[i][1][:200]}
        )
    diff.details.sort(key=lambda d: d["position"])
    return diff


def _public_id(slug: str, label: str, text: str, occurrence: int) -> str:
    digest = hashlib.sha1(f"{slug}\n{label}\n{text}\n{occurrence}".encode()).digest()
    return base64.b32encode(digest).decode("ascii")[:10].lower()


def assign_public_ids(
    event: Event, new: EventSnapshot, inherited: dict[int, str], unsaved: set[str] | None = None
) -> list[str]:
    """Each new turn's public id: the one the snapshot carries, else the one it inherits
    from the old turn it corrects (`inherited`, from diff_turns), else a deterministic one.
    `unsaved`: ids already given to turns not written yet (a bulk writer's batch), avoided
    as the stored ones are; the ids given here are added to it."""
    unsaved = set() if unsaved is None else unsaved
    ids: list[str] = []
    # Carried and inherited ids first, each to the first turn that has it: a new turn whose
    # made id happens to equal one of them (the same words said again before the turn that
    # was there) must not take it from the turn quote links already point to.
    kept: dict[int, str] = {}
    taken: set[str] = set()
    for j, turn in enumerate(new.turns):
        candidate = turn.public_id or inherited.get(j)
        if candidate and candidate not in taken:
            kept[j] = candidate
            taken.add(candidate)
    generated: dict[int, tuple[str, str, int]] = {}  # index -> what its id was made from
    seen: dict[tuple, int] = {}
    for j, turn in enumerate(new.turns):
        candidate = kept.get(j)
        if not candidate:
            text = turn.text
            occurrence = seen[(turn.label, text)] = seen.get((turn.label, text), 0) + 1
            candidate = _public_id(event.slug, turn.label, text, occurrence)
            while candidate in taken:
                candidate = _public_id(event.slug, turn.label, text, occurrence := occurrence + 1000)
            generated[j] = (turn.label, text, occurrence)
            taken.add(candidate)
        ids.append(candidate)
    # Ids are unique across events: one query finds clashes (vanishingly rare), not one per turn.
    clashes = set(
        Turn.objects.filter(public_id__in=[ids[j] for j in generated])
        .exclude(event=event)
        .values_list("public_id", flat=True)
    ) | (unsaved & {ids[j] for j in generated})
    for j, (label, text, occurrence) in generated.items():
        while ids[j] in clashes:
            candidate = _public_id(event.slug, label, text, occurrence := occurrence + 1000)
            if (
                candidate not in taken
                and candidate not in unsaved
                and not Turn.objects.filter(public_id=candidate).exclude(event=event).exists()
            ):
                taken.add(candidate)
                ids[j] = candidate
    unsaved.update(ids)
    return ids


def unique_slug(model, base: str) -> str:
    """`base`, else `base-2`, `base-3`, …: the first no `model` row has (callers never pass an empty base)."""
    base = base[:190]  # room for the "-N" under the 200-character column
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def group_appearances(event: Event, participants, people) -> tuple[dict[str, Appearance], list[Appearance]]:
    """(each participant key's Appearance, the appearances in order), unsaved, given each
    participant's Person in the same order (None for a speaker of this event only). Two
    labels for one person (e.g. front matter and header) share one appearance, and so do
    two for one generic speaker name."""
    by_person: dict[tuple, Appearance] = {}
    by_key = {}
    for order, (p, person) in enumerate(zip(participants, people)):
        who = ("person", person.id) if person is not None else ("generic", name_key(p.name))
        if who not in by_person:
            by_person[who] = Appearance(
                event=event,
                person=person,
                name="" if person is not None else p.name,
                role=p.role,
                label=p.label,
                title=p.title,
                affiliation=p.affiliation,
                order=order,
            )
        by_key[p.key] = by_person[who]
    return by_key, list(by_person.values())


def build_turns(event: Event, snapshot: EventSnapshot, public_ids, appearances: dict, times=None) -> list[Turn]:
    """The event's turns as `snapshot` says them, unsaved: in order, with these public ids,
    each credited to its participant's Appearance (`appearances` by participant key) and
    timed by `times` ((start, paragraph starts) per turn; None: untimed)."""
    turns = []
    for position, (t, public_id) in enumerate(zip(snapshot.turns, public_ids), start=1):
        start, paragraph_starts = times[position - 1] if times else (None, [])
        turn = Turn(
            event=event,
            position=position,
            appearance=appearances.get(t.speaker),
            label=t.label,
            paragraphs=list(t.paragraphs),
            kind=t.kind,
            section=t.section,
            timestamp=t.timestamp,
            public_id=public_id,
            start_seconds=start,
            paragraph_starts=paragraph_starts,
        )
        turn.refresh_derived()
        turns.append(turn)
    return turns


def diff_summary(diff) -> str:
    """A turn diff in one line, for messages and the admin log."""
    return (
        f"{diff.kept} turns kept, {diff.changed} changed, {diff.added} added, {diff.removed} removed, "
        f"{diff.speakers_changed} speaker changes"
    )
