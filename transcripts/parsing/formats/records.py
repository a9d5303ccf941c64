"""JSON transcripts: a list of records, each with a speaker field and the speech, as
parliament APIs and transcript datasets publish them. Two shapes, found anywhere in
the document (several lists, e.g. one per meeting, are read in order):

* the Japanese Diet's API: {"speaker": "安倍晋三", "speech": "○内閣総理大臣（安倍晋三君）　…"},
  where the speech opens with "○" and the label as the record writes it, then a
  full-width space;
* {"speaker": "LEMON", "sentences": [{"text": …}, …]} or {"speaker": …, "text": …}.

The label is the speech's own "○" label when it has one, else the speaker field. A
record's text is one turn: the file already split the speech into turns, so two
records of one speaker stay two turns. A record with no speaker (a meeting's list of
members) is not speech and is left out, with a warning; a crowd ("CROWD") is no
person, so its words become a stage direction in the turn they interrupt.
"""

from __future__ import annotations

import json
import re

from ..dates import parse_date
from ..model import ParseError
from . import Layout
from .speakers import Speaker, Spoken, Structured, split_parenthesis, typo_keys

SPEAKER_KEYS = ("speaker", "speaker_name", "speakerName", "speaker_label", "name", "who")
TEXT_KEYS = ("speech", "text", "content", "transcript", "utterance", "sentences", "paragraphs")
TITLE_KEYS = ("title", "nameOfMeeting", "meeting_name", "event")
DATE_KEYS = ("date", "time", "aired", "published")
COLLECTIVE = {"crowd", "audience", "crowd chanting", "protesters", "all", "everyone", "group"}
_OWN_LABEL_RE = re.compile(r"^[○◯●]\s*(?P<label>[^\s\u3000]{1,60})[\s\u3000]+")
NO_RECORDS = (
    "The JSON file holds no list of speeches: each speech should be an object with a speaker field "
    "(such as 'speaker') and its text (such as 'text' or 'speech'). Check it is a transcript, or save "
    "it as plain text with 'Name:' labels."
)
MAX_DEPTH = 12
_DATE_IN_TEXT_RE = re.compile(
    r"\b\d{4}-\d{2}-\d{2}\b|\b[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}\b|\b\d{1,2} [A-Z][a-z]{2,8} \d{4}\b"
)


def read(text: str) -> Layout | None:
    start = text.lstrip("\ufeff \t\r\n")[:1]
    if start not in "{[" or not start:
        return None
    try:
        data = json.loads(text.lstrip("\ufeff"))
    except (ValueError, RecursionError) as exc:
        if start == "{" and text.rstrip().endswith("}"):
            raise ParseError(f"The file looks like JSON but cannot be read as JSON ({exc}). {NO_RECORDS}") from None
        return None  # "[00:01:02] Jane:" is a text transcript, not a JSON list
    lists = list(_record_lists(data, 0))
    if not lists:
        if isinstance(data, dict):
            raise ParseError(NO_RECORDS)
        return None
    turns: list[Spoken] = []
    names: dict[str, str] = {}  # label -> the speaker field that names the person
    silent = 0
    for records in lists:
        for record in records:
            field = _speaker_field(record)
            paragraphs = _paragraphs(record)
            if not paragraphs:
                continue
            if not field:
                silent += 1
                continue
            label, paragraphs = _own_label(field, paragraphs)
            if label.casefold() in COLLECTIVE and turns:
                turns[-1].paragraphs.append(f"[{label.title()}: {' '.join(paragraphs)}]")
                continue
            names.setdefault(label, field)
            turns.append(Spoken(label, paragraphs))
    if not turns:
        raise ParseError(NO_RECORDS)
    speakers = _speakers(turns, names)
    layout = Layout("", "json", structured=Structured(turns), speakers=speakers)
    for typo, label in typo_keys([t.label for t in turns]).items():
        layout.warnings.append(
            f"'{typo}' speaks once and is one letter off '{label}'; it was read as the same person. "
            "Check that turn in the preview."
        )
    if silent:
        layout.warnings.append(
            f"{silent} record{'s' if silent > 1 else ''} of the JSON file name no speaker (a list of members, "
            "a heading); they were left out of the speech."
        )
    layout.title = _first_value(data, TITLE_KEYS)
    layout.date = next(filter(None, (_date(v) for v in _values(data, DATE_KEYS))), None)
    return layout


def _speakers(turns: list[Spoken], names: dict[str, str]) -> dict[str, Speaker]:
    """One key per person: the speaker field; a label written once that is one letter off
    a label used often ("KERIRK" for "KERIK") is that person, a typo of the file's."""
    labels = [t.label for t in turns]
    same = typo_keys(labels)
    speakers = {}
    for label, field in names.items():
        head, inner = split_parenthesis(label)
        named = field != label  # the record's field names the person its label calls by office
        title = head if named and inner and field.replace(" ", "") in inner.replace(" ", "") else ""
        key = names.get(same.get(label, label), field)
        speakers[label] = Speaker(key, field if named else "", title)
    return speakers


def _record_lists(data, depth: int):
    """Lists of speech records, in document order."""
    if depth > MAX_DEPTH:
        return
    if isinstance(data, list):
        if sum(1 for x in data if isinstance(x, dict) and _is_record(x)) >= max(1, len(data) // 2):
            yield [x for x in data if isinstance(x, dict)]
            return
        for x in data:
            yield from _record_lists(x, depth + 1)
    elif isinstance(data, dict):
        for value in data.values():
            yield from _record_lists(value, depth + 1)


def _is_record(x: dict) -> bool:
    return any(k in x for k in SPEAKER_KEYS) and any(k in x for k in TEXT_KEYS)


def _speaker_field(record: dict) -> str:
    value = next((record[k] for k in SPEAKER_KEYS if k in record), None)
    if isinstance(value, dict):  # {"speaker": {"name": …}}
        value = next((value[k] for k in ("name", "label", "display_name") if isinstance(value.get(k), str)), "")
    return " ".join(value.split()) if isinstance(value, str) else ""


def _paragraphs(record: dict) -> list[str]:
    value = next((record[k] for k in TEXT_KEYS if k in record), None)
    if isinstance(value, str):
        return [" ".join(line.split()) for line in value.split("\n") if line.strip()]
    if isinstance(value, list):  # sentences, the dataset's split: one paragraph
        words = [x if isinstance(x, str) else x.get("text", "") if isinstance(x, dict) else "" for x in value]
        joined = " ".join(" ".join(w.split()) for w in words if isinstance(w, str) and w.strip())
        return [joined] if joined else []
    return []


def _own_label(field: str, paragraphs: list[str]) -> tuple[str, list[str]]:
    """A speech that opens with its own label ("○会長（佐藤勉君）　…", "LEMON: …") -> the label and the rest."""
    first = paragraphs[0]
    m = _OWN_LABEL_RE.match(first)
    if m:
        rest = first[m.end() :].strip()
        return m.group("label"), ([rest] if rest else []) + paragraphs[1:]
    if first.upper().startswith(f"{field.upper()}:"):
        rest = first[len(field) + 1 :].strip()
        return field, ([rest] if rest else []) + paragraphs[1:]
    return field, paragraphs


def _values(data, keys, depth: int = 0):
    """String values of `keys`, shallowest first."""
    level, deeper = [data], []
    while level and depth <= MAX_DEPTH:
        for node in level:
            if isinstance(node, dict):
                yield from (node[k] for k in keys if isinstance(node.get(k), str) and node[k].strip())
                deeper += [v for v in node.values() if isinstance(v, (dict, list))]
            elif isinstance(node, list):
                deeper += [v for v in node if isinstance(v, (dict, list))]
        level, deeper, depth = deeper, [], depth + 1


def _first_value(data, keys) -> str:
    return " ".join(next(_values(data, keys), "").split())


def _date(value: str):
    value = " ".join(value.split())
    found = parse_date(value)
    if found:
        return found
    m = _DATE_IN_TEXT_RE.search(value)  # "Aired April 2, 2015 - 22:00 ET"
    return parse_date(m.group(0)) if m else None
