"""Warnings for the reviewer about how labels were read: a label used only once, and
one speaker holding most of the words while many label-like line starts were not
taken as speakers (a sign that turns were attributed to the wrong person)."""

from __future__ import annotations

from collections import Counter

from .grammar import Grammar
from .labels import is_pseudo_label
from .model import Transcript

DOMINANT_SHARE = 0.6
MANY_REJECTED = 5
MIN_TURNS_FOR_ONCE = 10  # in a short exchange a label used once is normal


def review_warnings(result: Transcript, grammar: Grammar) -> list[str]:
    warnings = []
    once = [label for label in grammar.once if not is_pseudo_label(label)]  # "录音": a recording, no speaker
    if once and len(result.turns) >= MIN_TURNS_FOR_ONCE:
        shown = ", ".join(f"'{label}'" for label in once[:12])
        more = f" and {len(once) - 12} more" if len(once) > 12 else ""
        warnings.append(
            f"These labels start only one turn each: {shown}{more}. "
            "Check that each is a speaker (and not text that happens to end in a colon)."
        )
    words = Counter()
    for turn in result.turns:
        words[turn.label] += len(turn.text.split())
    total = sum(words.values())
    rejected = sum(r.count for r in grammar.rejected)
    if total and rejected >= MANY_REJECTED:
        label, most = words.most_common(1)[0]
        if most > DOMINANT_SHARE * total:
            examples = ", ".join(f"'{r.label}'" for r in sorted(grammar.rejected, key=lambda r: -r.count)[:5])
            warnings.append(
                f"'{label}' holds {round(100 * most / total)}% of the words, and {rejected} label-like line "
                f"starts were not read as speakers ({examples}). If some are speakers, choose them as speakers."
            )
    return warnings
