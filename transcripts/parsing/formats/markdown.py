"""Markdown transcripts (the Changelog's, for one): bold labels "**Jane Doe:**" or
"**Jane Doe**:", escapes such as "\\[00:04:22\\]" and "\\*", and inline emphasis.

Recognised by two or more bold labels at line starts. Bold labels become plain
"Jane Doe:" labels and are listed as speakers (bold at a line start is deliberate
markup); emphasis markers and backslash escapes are removed everywhere, so "\\[laughter\\]"
reads "[laughter]" and "**important**" reads "important".
"""

from __future__ import annotations

import re

from ..labels import is_pseudo_label
from . import Layout

BOLD_LABEL_RE = re.compile(r"^(?P<indent>[^\S\n]*)\*\*(?P<name>[^*\n]{1,60}?)(?::\*\*|\*\*[^\S\n]*:)(?=\s|$)", re.M)
_ESCAPE_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|~])")
_STRONG_RE = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EM_RE = re.compile(r"(?<![\w*\\])([*_])(?=\S)([^*_\n]+?)(?<=\S)\1(?![\w*])")


def read(text: str) -> Layout | None:
    found = BOLD_LABEL_RE.findall(text)
    if len(found) < 2:
        return None
    labels = {" ".join(name.split()) for _, name in found}
    labels = {label for label in labels if not is_pseudo_label(label)}
    text = BOLD_LABEL_RE.sub(_unbold, text)
    return Layout(plain(text), "markdown", [], labels)


def _unbold(m: re.Match) -> str:
    """ "**Jane Doe:**" -> "Jane Doe:"; a pseudo-speaker "**Break:**" -> a stage direction "[Break]"."""
    name = " ".join(m.group("name").split())
    if is_pseudo_label(name):
        return f"{m.group('indent')}[{name}]"
    return f"{m.group('indent')}{name}:"


def plain(text: str) -> str:
    """Markdown inline markup -> the words it shows."""
    text = _STRONG_RE.sub(r"\2", text)
    text = _EM_RE.sub(r"\2", text)
    return _ESCAPE_RE.sub(r"\1", text)
