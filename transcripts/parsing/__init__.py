"""The transcript parser: plain text in, a `Transcript` dataclass tree out. No Django.

    parse_transcript(text) -> Transcript        (raises ParseError)
    decode_bytes(data) -> (text, warnings)      uploaded bytes -> text (raises ParseError)
    split_stage_directions(text) -> [Segment]   for renderers
"""
from .decode import decode_bytes
from .model import (
    DISCUSSION, OPERATOR, OTHER, PANELIST, PRESIDER, PROCEDURAL, QA, QUESTION, QUESTIONER, REMARK,
    Paragraph, ParseError, Participant, Segment, Transcript, Turn,
)
from .parse import parse_transcript
from .stage import split_stage_directions

__all__ = [
    "parse_transcript", "decode_bytes", "split_stage_directions", "ParseError",
    "Transcript", "Participant", "Turn", "Paragraph", "Segment",
    "PRESIDER", "PANELIST", "QUESTIONER", "OPERATOR", "OTHER",
    "REMARK", "QUESTION", "PROCEDURAL", "DISCUSSION", "QA",
]
