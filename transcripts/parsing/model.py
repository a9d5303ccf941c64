"""The parser's output: a plain dataclass tree with no Django in it.

The importer (transcripts/operations/imports.py) is the only consumer that turns this into
database rows; `parse_transcript --json` serialises it with `Transcript.to_dict()`.
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass, field

# Roles, kinds and sections use the same strings as the Django model choices.
PRESIDER, PANELIST, QUESTIONER, OPERATOR, OTHER = "presider", "panelist", "questioner", "operator", "other"
HOST, SPEAKER = "host", "speaker"
CHAIR, MEMBER, WITNESS, COUNSEL = "chair", "member", "witness", "counsel"
REMARK, QUESTION, PROCEDURAL = "remark", "question", "procedural"
DISCUSSION, QA = "discussion", "qa"


class ParseError(ValueError):
    """The text cannot be a transcript (e.g. no speaker turns). The message says what to do."""


@dataclass
class Segment:
    kind: str  # "speech" or "stage" (a stage direction such as "(Laughs.)")
    text: str


@dataclass
class Paragraph:
    text: str  # the paragraph as written, stage directions included in place
    segments: list[Segment] = field(default_factory=list)


@dataclass
class Participant:
    key: str  # unique within the transcript; turns point to it (the full name, normalised)
    name: str  # full name, e.g. "Mark Lagon"
    label: str = ""  # label as written in the transcript, e.g. "LAGON" or "Q"
    role: str = OTHER
    title: str = ""  # title held at this event (bio line), e.g. "Senior Counsel, Krevolin & Horst; ..."
    affiliation: str = ""  # e.g. "Radio Free Asia" for a questioner
    # Why the parser gave this role, in one line, for the upload preview ("label says OPERATOR").
    role_reason: str = ""
    # A speaker of this event only ("Operator", "Q", "Speaker 2"): stored with no person of
    # the archive behind it, so no person page, no "appeared with", not in the People A–Z.
    generic: bool = False


@dataclass
class Turn:
    position: int  # 1-based, document order
    label: str  # as written: "LAGON", "Q", "MR. LEHRER", "Jane Doe"
    speaker: str | None  # Participant.key, or None when the label could not be resolved
    kind: str  # remark / question / procedural
    section: str  # discussion / qa
    paragraphs: list[Paragraph]
    timestamp: str = ""  # "00:01:23" when the transcript carries one
    start_seconds: float | None = None  # the same moment in seconds (fractions kept), None without one

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.paragraphs)


@dataclass
class Transcript:
    title: str = ""
    date: datetime.date | None = None
    description: str = ""
    photo_credit: str = ""
    organiser: str = ""
    source_url: str = ""
    media_url: str = ""
    language: str = ""  # ISO 639-1 code, "" when neither front matter nor the markup says
    topics: list[str] = field(default_factory=list)
    participants: list[Participant] = field(default_factory=list)
    turns: list[Turn] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Label-shaped line starts that were not taken as speakers (grammar.RejectedLabel),
    # for review: pass them back through LabelChoices(force=...) to make them speakers.
    label_candidates: list = field(default_factory=list)
    # "high", "low" (the preview asks the reviewer to check it, titles.py) or "none".
    title_confidence: str = "none"
    title_doubt: str = ""  # why a "low" title may be wrong, in the preview's words
    # The same for the date: "low" when it comes from the file name, from what a speaker
    # says rather than a heading, or from a day/month order that reads two ways.
    date_confidence: str = "none"
    date_doubt: str = ""

    def participant(self, key: str | None) -> Participant | None:
        return next((p for p in self.participants if p.key == key), None)

    def to_dict(self) -> dict:
        data = dataclasses.asdict(self)
        data["date"] = self.date.isoformat() if self.date else None
        data["rejected_labels"] = data.pop("label_candidates")
        for turn, raw in zip(self.turns, data["turns"]):
            person = self.participant(turn.speaker)
            raw["speaker_name"] = person.name if person else None
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Transcript:
        """The inverse of to_dict() (the admin keeps a parse in this form between requests)."""
        from transcripts.parsing.grammar import RejectedLabel

        turns = [
            Turn(
                position=t["position"],
                label=t["label"],
                speaker=t["speaker"],
                kind=t["kind"],
                section=t["section"],
                timestamp=t.get("timestamp", ""),
                start_seconds=t.get("start_seconds"),
                paragraphs=[Paragraph(p["text"], [Segment(**s) for s in p["segments"]]) for p in t["paragraphs"]],
            )
            for t in data["turns"]
        ]
        plain = {f.name for f in dataclasses.fields(cls)} - {"participants", "turns", "date", "label_candidates"}
        return cls(
            **{k: v for k, v in data.items() if k in plain},
            date=datetime.date.fromisoformat(data["date"]) if data.get("date") else None,
            participants=[Participant(**p) for p in data["participants"]],
            turns=turns,
            label_candidates=[RejectedLabel(**r) for r in data.get("rejected_labels", [])],
        )
