"""Parliamentary XML, where the markup names the speaker: the Canadian House of Commons'
"Alpheus" XML (committees and the chamber: <Intervention><PersonSpeaking><Affiliation
DbId=…>The Chair (Mr. Lloyd Longfield (Guelph, Lib.))</Affiliation>: </PersonSpeaking>
<Content><ParaText>…) and the UK's historic Hansard XML (<p><member>Mr. Rees</member>
<membercontribution>: …</membercontribution></p>, and tabled questions
"6. <member>Mr. Carson</member> asked the Secretary of State …").

Read with lxml, never with regular expressions: entities are not expanded, no DTD or
network is fetched, so a hostile file cannot make the reader fetch or blow up anything.

A turn is an element whose first child element is a speaker element (PersonSpeaking,
member, speaker, from), with at most a question number before it. The label is the
speaker element's text; the person is the id the markup gives (Alpheus' DbId), else the
name in the label, so "Mr. Rees" and "The Secretary of State … (Mr. Merlyn Rees)" are
one person (speakers.py). Paragraphs (ParaText, p, QuotePara, <lb/>) stay paragraphs;
paragraphs between turns continue the turn before (the Speaker reading out the
Throne Speech); headings, page and column numbers, floor-language notes and metadata
are not speech.
"""

from __future__ import annotations

import datetime
import re

from ..dates import parse_date
from ..model import ParseError
from . import Layout
from .speakers import Speaker, Spoken, Structured, person_of, same_person_keys

SPEAKER_TAGS = {"personspeaking", "member", "speaker", "from", "speakername"}
BLOCK_TAGS = {"paratext", "p", "quotepara", "proceduraltext", "para", "li", "quote", "seg"}
# TEI (ParlaMint and other corpora): <u who="#PersonId"><seg>…</seg></u>, the person
# listed in the header as <person xml:id="PersonId"><persName>…</persName></person>.
UTTERANCE_TAGS = {"u"}
_XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
HEADING_TAGS = {"title", "subjectofbusinesstitle", "catchline", "heading", "documentname"}
# Not speech: page and column furniture, metadata, the floor language of the speech.
SKIP_TAGS = {
    "col",
    "image",
    "floorlanguage",
    "timestamp",
    "extractedinformation",
    "startpagenumber",
    "pagebreak",
    "page",
    "documenttitle",
    "teiheader",
}
ID_ATTRIBUTES = {"dbid", "personid", "memberid", "person_id", "member_id", "speakerid", "who", "ref", "href"}
_NUMBER_RE = re.compile(r"^\s*(?:\d{1,4}[a-z]?\.?|Q\d{1,4}\.?)?\s*$")
_XML_START_RE = re.compile(
    r"^\s*(?:<\?[^>]{0,500}\?>\s*|<!--.{0,2000}?-->\s*|<!DOCTYPE (?!html)[^>]{0,500}>\s*)*"
    r"<(?P<tag>[A-Za-z_][\w.\-]*(?::[\w.\-]+)?)",
    re.S | re.I,
)
NOT_WELL_FORMED = (
    "The file starts like XML but is not well-formed XML ({why}). Check that the whole file was "
    "saved (it may be cut short), or save the transcript as plain text and upload that."
)


def _local(el) -> str:
    tag = el.tag if isinstance(el.tag, str) else ""
    return tag.rsplit("}", 1)[-1].casefold()


def read(text: str) -> Layout | None:
    m = _XML_START_RE.match(text[:2000])
    if not m or m.group("tag").casefold() in ("html", "!doctype"):
        return None
    declared = text.lstrip("\ufeff \t\r\n").startswith("<?xml")
    root = _parse(text, declared)
    if root is None:
        return None
    reader = _Reader()
    reader.persons = {
        el.get(_XML_ID): " ".join(" ".join(el.find(".//{*}persName").itertext()).split())
        for el in root.iter("{*}person")
        if el.get(_XML_ID) and el.find(".//{*}persName") is not None
    }
    reader.walk(root)
    if not reader.turns:
        if declared:
            raise ParseError(
                "The XML file names no speakers: no element such as <PersonSpeaking> or <member> "
                "starts a speech. Check it is a transcript, or save it as plain text with 'Name:' labels."
            )
        return None
    keys = same_person_keys(list(dict.fromkeys(t.label for t in reader.turns)))
    speakers = {}
    for label in keys:
        name, title = person_of(label)
        key = reader.ids.get(label) or keys[label]
        speakers[label] = Speaker(key, name, title)
    _share_names(speakers)
    layout = Layout("", "xml", structured=Structured(reader.turns), speakers=speakers)
    layout.title = reader.title()
    layout.date = reader.date or reader.date_from_items()
    return layout


def _share_names(speakers: dict[str, Speaker]) -> None:
    """Every label of one person gets the fullest name and a title any of them states."""
    for label, speaker in list(speakers.items()):
        same = [s for s in speakers.values() if s.key == speaker.key]
        name = max((s.name for s in same), key=len, default="")
        title = next((s.title for s in same if s.title), "")
        speakers[label] = Speaker(speaker.key, name, title)


def _parse(text: str, declared: bool):
    from lxml import etree  # only XML files need it

    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True, recover=False
    )
    try:
        return etree.fromstring(text.lstrip("\ufeff").encode("utf-8"), parser)
    except etree.XMLSyntaxError as exc:
        if declared:
            raise ParseError(NOT_WELL_FORMED.format(why=exc)) from None
        return None  # text that merely starts with "<": not ours


class _Reader:
    def __init__(self):
        self.turns: list[Spoken] = []
        self.ids: dict[str, str] = {}
        self.headings: list[str] = []  # before the first turn
        self.items: dict[str, str] = {}  # Alpheus' <ExtractedItem Name=…>
        self.date: datetime.date | None = None
        self.persons: dict[str, str] = {}  # TEI person id -> name

    def walk(self, el) -> None:
        tag = _local(el)
        if tag == "extractedinformation":
            for item in el:
                self.items[(item.get("Name") or "").casefold()] = " ".join("".join(item.itertext()).split())
            return
        if tag == "date" and self.date is None:
            self.date = parse_date(el.get("format") or "") or parse_date(" ".join("".join(el.itertext()).split()))
        if tag in SKIP_TAGS or not tag:
            return
        speaker = self._speaker_child(el)
        if speaker is not None:
            self._turn(el, speaker)
            return
        who = (el.get("who") or "").strip().lstrip("#")
        if tag in UTTERANCE_TAGS and who:
            label = self.persons.get(who) or who
            paragraphs = _paragraphs(el)
            if paragraphs:
                self.ids.setdefault(label, f"id:{who}")
                self.turns.append(Spoken(label, paragraphs))
            return
        if tag in HEADING_TAGS:
            heading = " ".join("".join(el.itertext()).split())
            if heading and not self.turns:
                self.headings.append(heading)
            return
        if tag in BLOCK_TAGS and not any(self._speaker_child(d) is not None for d in el.iterdescendants()):
            paragraphs = _paragraphs(el)
            if self.turns and paragraphs:
                self.turns[-1].paragraphs += paragraphs
            return
        for child in el:
            self.walk(child)

    @staticmethod
    def _speaker_child(el):
        children = [c for c in el if _local(c) not in SKIP_TAGS]
        if not children or _local(children[0]) not in SPEAKER_TAGS or not _NUMBER_RE.match(el.text or ""):
            return None
        return children[0]

    def _turn(self, el, speaker) -> None:
        label = " ".join("".join(speaker.itertext()).split()).rstrip(":： ").strip()
        if not label:
            return
        for node in speaker.iter():
            ref = next((v for k, v in node.attrib.items() if k.rsplit("}", 1)[-1].casefold() in ID_ATTRIBUTES), "")
            if ref:
                self.ids.setdefault(label, f"id:{ref}")
                break
        parts: list[str] = [speaker.tail or ""]
        for sibling in speaker.itersiblings():
            _collect(sibling, parts)
        paragraphs = _split(parts)
        if paragraphs:
            paragraphs[0] = paragraphs[0].lstrip(":： ").strip() or paragraphs[0]
            paragraphs = [p for p in paragraphs if p.strip(":： ")]
        if paragraphs:
            self.turns.append(Spoken(label, paragraphs))

    def title(self) -> str:
        for name in ("institutiondebate", "institution"):
            if self.items.get(name):
                return self.items[name]
        return " — ".join(h for h in self.headings[-2:])

    def date_from_items(self) -> datetime.date | None:
        try:
            parts = [int(self.items[f"metadatenum{p}"]) for p in ("year", "month", "day")]
            return datetime.date(*parts)
        except (KeyError, ValueError):
            return None


BREAK = "\u2029"  # where a paragraph ends; the file's own newlines are only white space


def _collect(el, parts: list[str]) -> None:
    """The text of `el` and its tail into `parts`, BREAK where a paragraph ends."""
    tag = _local(el)
    if tag not in SKIP_TAGS and tag:
        block = tag in BLOCK_TAGS or tag in HEADING_TAGS
        if block:
            parts.append(BREAK)
        parts.append(el.text or "")
        for child in el:
            _collect(child, parts)
        if block or tag == "lb":
            parts.append(BREAK)
    parts.append(el.tail or "")


def _paragraphs(el) -> list[str]:
    parts: list[str] = []
    tail, el.tail = el.tail, None
    _collect(el, parts)
    el.tail = tail
    return _split(parts)


def _split(parts: list[str]) -> list[str]:
    return [" ".join(p.split()) for p in "".join(parts).split(BREAK) if p.strip()]
