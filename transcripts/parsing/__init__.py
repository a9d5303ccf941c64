"""The transcript parser: plain text in, a `Transcript` dataclass tree out. No Django.

    read_upload(data, filename) -> (text, warnings)   any accepted upload -> text (raises ParseError)
    parse_transcript(text, choices=None) -> Transcript  (raises ParseError)
    decode_bytes(data) -> (text, warnings)              plain-text bytes -> text (raises ParseError)
    split_stage_directions(text) -> [Segment]           for renderers

Files: read_upload takes .txt, .md, .html, .docx, .vtt and .srt (formats/upload.py);
parse_transcript recognises the layout by content (formats/: WebVTT from Zoom and
Teams, SubRip, HTML, court-reporter text, Rev and Otter exports, Markdown, indented
paragraphs), then works out the document's own label grammar (grammar.py).

Review (nothing is attributed silently):
  * `Transcript.label_candidates` (JSON "rejected_labels"): label-shaped line starts
    not taken as speakers, each a RejectedLabel(label, count, example, line_no).
  * `Transcript.warnings` says when a label starts only one turn, and when one speaker
    holds most of the words while many label-like line starts were not taken.
  * `parse_transcript(text, choices=LabelChoices(force={"Announcer"}, refuse={"Note"}))`
    re-parses with a reviewer's decisions: forced labels are speakers wherever they
    start a line, refused ones never are. The command takes `--speaker LABEL` and
    `--not-speaker LABEL`.
Each turn keeps `timestamp` ("HH:MM:SS") and `start_seconds` (float or None) when the
format carries times. Roles: host, presider, chair, member, panelist, speaker, witness,
counsel, questioner, operator, other, from what the text says, each with a one-line
reason (people.py); generic speakers (Operator, Q, Speaker 2) are marked `generic`.
"""

from .decode import decode_bytes
from .formats import read_upload
from .grammar import LabelChoices, RejectedLabel
from .model import (
    CHAIR,
    COUNSEL,
    DISCUSSION,
    HOST,
    MEMBER,
    OPERATOR,
    OTHER,
    PANELIST,
    PRESIDER,
    PROCEDURAL,
    QA,
    QUESTION,
    QUESTIONER,
    REMARK,
    SPEAKER,
    WITNESS,
    Paragraph,
    ParseError,
    Participant,
    Segment,
    Transcript,
    Turn,
)
from .parse import parse_transcript
from .stage import split_stage_directions

__all__ = [
    "parse_transcript",
    "decode_bytes",
    "read_upload",
    "split_stage_directions",
    "ParseError",
    "LabelChoices",
    "RejectedLabel",
    "HOST",
    "SPEAKER",
    "CHAIR",
    "MEMBER",
    "WITNESS",
    "COUNSEL",
    "Transcript",
    "Participant",
    "Turn",
    "Paragraph",
    "Segment",
    "PRESIDER",
    "PANELIST",
    "QUESTIONER",
    "OPERATOR",
    "OTHER",
    "REMARK",
    "QUESTION",
    "PROCEDURAL",
    "DISCUSSION",
    "QA",
]
