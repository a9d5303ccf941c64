"""Optional front matter: a block between two "---" lines at the very top of the file.

Only a small YAML-like subset is read (no PyYAML dependency, and nothing executable):

    ---
    title: Combating Human Trafficking
    date: 2022-02-17
    organiser: Council on Foreign Relations      (or organizer:)
    source_url: https://…
    media_url: https://…
    language: fr                                 (ISO 639-1; or a name: French)
    topics: Human trafficking, Slavery           (or a list of "- item" lines below)
    description: One paragraph; indented lines below continue it.
    participants:
      - name: Mark Lagon
        label: LAGON
        role: presider
        title: Chief Policy Officer, Friends of the Global Fight
    ---

The date may also be written "February 17, 2022". Values may be quoted; lines starting
with "#" are comments (a "#" inside a value is kept: "Panel #3"). Anything else is a
ParseError naming the line, because a half-read header would silently put wrong
metadata into the archive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from transcripts.event_fields import ALIASES, FRONT_MATTER_FIELDS

from .model import (
    CHAIR,
    COUNSEL,
    HOST,
    MEMBER,
    OPERATOR,
    OTHER,
    PANELIST,
    PRESIDER,
    QUESTIONER,
    SPEAKER,
    WITNESS,
    ParseError,
)

# The event's fields front matter may give (transcripts.event_fields), one value each;
# topics and participants are lists.
SCALAR_KEYS = set(FRONT_MATTER_FIELDS) - {"topics"}
KEY_ALIASES = {**ALIASES, "speakers": "participants"}
PERSON_KEYS = {"name", "label", "role", "title", "affiliation"}
ROLES = {HOST, PRESIDER, CHAIR, MEMBER, PANELIST, SPEAKER, WITNESS, COUNSEL, QUESTIONER, OPERATOR, OTHER}
_KEY_RE = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)[ \t]*:(?:[ \t]+(?P<value>.*))?$")


@dataclass
class FrontMatter:
    fields: dict[str, str] = field(default_factory=dict)  # scalar keys, as written
    topics: list[str] = field(default_factory=list)
    participants: list[dict[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return _double_quoted(value)
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1]
    return value.strip()


_YAML_ESCAPE_RE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|x[0-9a-fA-F]{2}|.)")
_YAML_ESCAPES = {
    "n": " ",
    "t": " ",
    " ": " ",
    "_": "\u00a0",
    "/": "/",
    '"': '"',
    "\\": "\\",
    "N": "\u0085",
    "L": "\u2028",
    "P": "\u2029",
    "0": "",
}


def _double_quoted(value: str) -> str:
    """A YAML double-quoted scalar, as scrapers write wrapped titles: "…Economic\\
    \\ Advisers … President\\u2019s\\_Budget" -> the text it stands for."""
    if not (len(value) >= 2 and value[0] == value[-1] == '"'):
        return value

    def unescape(m):
        code = m.group(1)
        if code[0] in "uUx" and len(code) > 1:
            return chr(int(code[1:], 16))
        return _YAML_ESCAPES.get(code, code)

    return " ".join(_YAML_ESCAPE_RE.sub(unescape, value[1:-1]).split())


def _split_list(value: str) -> list[str]:
    value = value.strip()
    if value.startswith("[") and value.endswith("]"):
        value = value[1:-1]
    return [_unquote(v) for v in value.split(",") if _unquote(v)]


def split_front_matter(text: str) -> tuple[FrontMatter | None, str, int]:
    """(front matter or None, the rest of the text, number of lines consumed)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, text, 0
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        raise ParseError(
            "The file starts with '---' (front matter) on line 1 but no closing '---' line "
            "follows. Add a '---' line after the last front-matter line, or remove line 1."
        )
    return _parse_block(lines[1:end], first_line=2), "\n".join(lines[end + 1 :]), end + 1


def _parse_block(lines: list[str], first_line: int) -> FrontMatter:
    fm = FrontMatter()
    key = None  # the top-level key the following indented / "- " lines belong to
    person: dict[str, str] | None = None
    for number, raw in enumerate(lines, start=first_line):
        line = raw.rstrip()
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue

        def fail(why: str, number=number, stripped=stripped):
            raise ParseError(f"Front matter line {number} ({stripped[:60]!r}): {why}")

        indented = line[:1] in (" ", "\t")
        if not indented and not stripped.startswith("- "):
            m = _KEY_RE.match(stripped)
            if not m:
                fail("expected 'key: value' (e.g. 'title: …').")
            key = KEY_ALIASES.get(m.group("key").lower(), m.group("key").lower())
            value = (m.group("value") or "").strip()
            person = None
            if key in SCALAR_KEYS:
                fm.fields[key] = _unquote(value) if value not in ("|", ">") else ""
            elif key == "topics":
                fm.topics.extend(_split_list(value))
            elif key == "participants":
                if value:
                    fail("list the participants on the following lines as '- name: …'.")
            else:
                fm.warnings.append(f"Front matter line {number}: unknown key '{key}' was ignored.")
                key = None
            continue
        if key is None:
            continue  # continuation of an ignored key
        if stripped.startswith("-") and key in ("topics", "participants"):
            item = stripped[1:].strip()
            if key == "topics":
                if item:
                    fm.topics.append(_unquote(item))
                continue
            person = {}
            fm.participants.append(person)
            stripped = item
            if not stripped:
                continue
        if key == "participants":
            m = _KEY_RE.match(stripped)
            if person is not None and not person and not m:  # "speakers: [- Ann Lee, …]": names only
                person["name"] = _unquote(stripped)
                continue
            if person is None or not m:
                fail("participants are '- name: …' items with 'label:', 'role:', 'title:' lines.")
            sub = m.group("key").lower()
            if sub not in PERSON_KEYS:
                fail(f"unknown participant field '{sub}'; use one of {', '.join(sorted(PERSON_KEYS))}.")
            person[sub] = _unquote(m.group("value") or "")
        elif key in SCALAR_KEYS:
            # Indented continuation of a scalar (e.g. a long description).
            fm.fields[key] = (fm.fields.get(key, "") + " " + _unquote(stripped)).strip()
        else:
            fail(f"unexpected indented line under '{key}'.")
    fm.fields = {k: _double_quoted(v) for k, v in fm.fields.items()}
    for i, person in enumerate(fm.participants, start=1):
        if not person.get("name"):
            raise ParseError(f"Front matter participant {i} has no 'name:'; every participant needs one.")
        role = person.get("role", "").lower()
        if role and role not in ROLES:
            fm.warnings.append(
                f"Front matter: role '{person['role']}' of {person['name']} is not one of "
                f"{', '.join(sorted(ROLES))}; it was read as 'other'."
            )
            role = OTHER
        person["role"] = role
    return fm
