"""The search box's language, parsed by us rather than by the engine.

    words            all must match (stemmed: trafficker finds trafficking)
    "exact phrase"   the words in this order
    -word, -"a b"    leave out turns that have it (NOT word works too)
    a OR b           either
    speaker:kara     only turns spoken by someone whose name matches

Parsing here means any input, however broken, becomes a well-formed query plus
messages for the reader; the engine never sees raw user syntax. The parsed query is
turned into haystack SQ objects, which every haystack backend understands.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from transcripts.search.text import STOP_WORDS, WORD_RE, fold, normalize_punctuation

# Bounds on the work one query can ask for; each cut is said in a message.
MAX_QUERY_CHARS = 500
MAX_TERMS = 24  # words and phrases in all
MAX_ALTERNATIVES = 8  # terms joined by OR in one group: each adds a whole pass over its postings
MAX_PHRASE_WORDS = 8  # a longer phrase is cut to its first words (positions are checked word by word)
SPEAKER_PREFIX = re.compile(r"(?i)^(speaker|by):")
OPERATORS = {"OR": "or", "|": "or", "||": "or", "AND": "and", "&&": "and", "+": "and", "NOT": "not"}


@dataclass(frozen=True)
class Term:
    """One word, or a phrase of several, as typed (accents and case kept)."""

    words: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.words)

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1

    def is_stop_words_only(self) -> bool:
        return all(fold(w) in STOP_WORDS for w in self.words)


@dataclass
class ParsedQuery:
    raw: str = ""
    groups: list[list[Term]] = field(default_factory=list)  # all groups must match; any term in a group
    excluded: list[Term] = field(default_factory=list)
    speakers: list[Term] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)

    @property
    def has_positive(self) -> bool:
        return bool(self.groups)

    def positive_terms(self) -> list[str]:
        return [term.text for group in self.groups for term in group]

    def positive_word_list(self) -> list[str]:
        return [w for group in self.groups for term in group for w in term.words]

    def to_sq(self):
        """The query as haystack SQ (None when it has no condition of its own)."""
        from haystack.inputs import Clean, Exact
        from haystack.query import SQ

        def term_sq(term: Term, fieldname: str = "content") -> SQ:
            text = term.text.lower()
            return SQ(**{fieldname: Exact(text, clean=True) if term.is_phrase else Clean(text)})

        parts = []
        for group in self.groups:
            sq = term_sq(group[0])
            for term in group[1:]:
                sq |= term_sq(term)
            parts.append(sq)
        parts += [term_sq(term, "speaker") for term in self.speakers]
        parts += [~term_sq(term) for term in self.excluded]
        if not parts:
            return None
        combined = parts[0]
        for sq in parts[1:]:
            combined &= sq
        return combined

    def with_words_replaced(self, replacements: dict[str, str]) -> str:
        """The query as typed, with some words swapped (for "Did you mean …")."""

        def swap(match: re.Match) -> str:
            return replacements.get(fold(match.group()), match.group())

        text = WORD_RE.sub(swap, self.raw) if replacements else self.raw
        if text.count('"') % 2:  # drop the quotation mark that was never closed
            cut = text.rfind('"')
            text = " ".join((text[:cut] + text[cut + 1 :]).split())
        return text


def _clean_input(raw: str) -> str:
    text = unicodedata.normalize("NFC", normalize_punctuation(raw or ""))
    # Control and format characters (and lone surrogates) carry no words and upset engines.
    return "".join(c if unicodedata.category(c)[0] != "C" else " " for c in text)


def _words(chunk: str) -> tuple[str, ...]:
    return tuple(m.group() for m in WORD_RE.finditer(chunk))


def _scan(text: str, messages: list[str]):
    """Yield (kind, payload) items: ("op", "or"|"and"|"not"), ("term", (sign, words)),
    ("speaker", words)."""
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        sign = ""
        if text[i] in "-!+" and i + 1 < n and not text[i + 1].isspace():
            sign = "-" if text[i] in "-!" else "+"
            i += 1
        if text[i] == '"':
            close = text.find('"', i + 1)
            if close == -1:
                messages.append("A quotation mark was not closed, so those words were searched separately.")
                i += 1
                continue
            yield "term", (sign, _words(text[i + 1 : close]))
            i = close + 1
            continue
        j = i
        while j < n and not text[j].isspace() and text[j] != '"':
            j += 1
        chunk = text[i:j]
        i = j
        prefix = SPEAKER_PREFIX.match(chunk)
        if prefix:
            value = chunk[prefix.end() :]
            if not value and i < n and text[i] == '"':
                close = text.find('"', i + 1)
                value = text[i + 1 : close] if close != -1 else text[i + 1 :]
                i = close + 1 if close != -1 else n
            words = _words(value)
            if not words:
                messages.append("speaker: needs a name after it, as in speaker:kara.")
            else:
                yield "speaker", words
            continue
        if not sign and chunk in OPERATORS:
            yield "op", OPERATORS[chunk]
            continue
        words = _words(chunk)
        if words:
            yield "term", (sign, words)
        elif any(c in "*?~^" for c in chunk):
            messages.append("Wildcards such as * are not needed: word endings are matched already.")


def quoted(query: str) -> str:
    """A query as a title or sentence shows it: in curly quotes, unless it holds a quoted
    phrase already (one pair of quotes, not “"forced labor"”)."""
    return query if any(mark in query for mark in '"“”') else f"“{query}”"


def parse_query(raw: str) -> ParsedQuery:
    parsed = ParsedQuery()
    text = _clean_input(raw)
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        parsed.messages.append(f"Your search was long, so only its first {MAX_QUERY_CHARS} characters were used.")
    parsed.raw = " ".join(text.split())
    pending_or = pending_not = False
    dropped_common: list[str] = []
    count = 0
    for kind, payload in _scan(text, parsed.messages):
        if kind == "op":
            if payload == "or":
                pending_or = bool(parsed.groups) and not pending_not
                if not pending_or:
                    parsed.messages.append("OR needs a word on each side, as in cobalt OR mica.")
            elif payload == "not":
                pending_not = True
            continue
        count += 1
        if count > MAX_TERMS:
            parsed.messages.append(f"Only the first {MAX_TERMS} words or phrases were used.")
            break
        if kind == "speaker":
            term = Term(payload)
            if term.is_stop_words_only():
                dropped_common.append(term.text)
            else:
                parsed.speakers.append(term)
            pending_or = pending_not = False
            continue
        sign, words = payload
        if len(words) > MAX_PHRASE_WORDS:
            words = words[:MAX_PHRASE_WORDS]
            parsed.messages.append(f"Only the first {MAX_PHRASE_WORDS} words of a quoted phrase were used.")
        term = Term(words)
        if not term.text:  # "" : nothing to look for
            parsed.messages.append("Empty quotation marks were left out: put the words of a phrase between them.")
            continue
        if term.is_stop_words_only():
            dropped_common.append(term.text)
        elif sign == "-" or pending_not:
            parsed.excluded.append(term)
        elif pending_or and len(parsed.groups[-1]) >= MAX_ALTERNATIVES:
            parsed.messages.append(f"Only the first {MAX_ALTERNATIVES} words joined by OR were used.")
        elif pending_or:
            parsed.groups[-1].append(term)
        else:
            parsed.groups.append([term])
        pending_or = pending_not = False
    if pending_or:
        parsed.messages.append("OR needs a word on each side, as in cobalt OR mica.")
    if pending_not:
        parsed.messages.append("NOT needs a word after it, as in NOT cobalt.")
    if dropped_common:
        shown = ", ".join(f"“{w}”" for w in dict.fromkeys(dropped_common))
        parsed.messages.append(f"Very common words are left out of searches: {shown}.")
    parsed.messages = list(dict.fromkeys(parsed.messages))
    return parsed
