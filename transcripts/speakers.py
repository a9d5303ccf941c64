"""Who a transcript's speaker is: the one place that decides, for the importer, the upload
preview and its suggestions, with the reason and a confidence.

Names compare by `transcripts.normalise.name_key` (case, accents, quote styles and letters
such as ø, æ, ß, ł, đ folded the way search folds them). A speaker is matched on that key, then on the label the event
being corrected already gives them, then on a family-name label a regular used before,
then on family name and initial, then on spelling similarity.

The archive's people are read once per decision batch (`PeopleIndex`): a preview of a
transcript with thousands of speakers costs a handful of queries, not several per speaker.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from django.db.models import Count

from transcripts.models import Appearance, Event, Person, PersonRedirect
from transcripts.normalise import name_key
from transcripts.parsing.labels import HONORIFICS
from transcripts.parsing.people import is_generic_name

# At or above this a match is proposed (pre-filled in the preview); below it a look-alike
# is only offered in the autocomplete list.
PROPOSE_AT = 0.75
# How many look-alikes the autocomplete list offers, and how many are scored per speaker.
CANDIDATES_SHOWN = 8
CANDIDATES_SCORED = 50
NAME_SUFFIXES = {"jr", "sr", "ii", "iii", "iv", "phd", "md", "esq"}
# Labels that name a role, not a person: no family name to match.
ROLE_LABELS = {"Q", "A", "OPERATOR"}
EVENT_ONLY_REASON = "a speaker of this event only (no person page): type a real name to make them a person"


def is_event_only(name: str) -> bool:
    """A speaker named by a role or a placeholder ("Operator", "Q", "Speaker 2", "Unidentified
    Audience Member") is a speaker of one event, stored with no Person: no person page, no
    "appeared with", not in the People A–Z. Staff typing a real name makes them a person."""
    return is_generic_name(name)


@dataclass(frozen=True)
class PersonRef:
    """An existing person as the matcher sees them (no model instance per candidate)."""

    id: int
    name: str
    slug: str
    key: str
    appearances: int

    @property
    def pk(self) -> int:
        return self.id

    @property
    def events(self) -> str:
        return f"{self.appearances} event{'s' if self.appearances != 1 else ''}"


@dataclass(frozen=True)
class PersonMatch:
    person: PersonRef | None  # None: a new person will be created
    reason: str
    confidence: float  # 0..1; 1 is the same name
    candidates: tuple[PersonRef, ...] = field(default_factory=tuple)  # for the autocomplete list

    @property
    def percent(self) -> int:
        return round(self.confidence * 100)

    @property
    def proposed(self) -> bool:
        return self.person is not None and self.confidence >= PROPOSE_AT


def _name_parts(key: str) -> list[str]:
    parts = key.replace(",", " ").split()
    while len(parts) > 1 and parts[-1] in NAME_SUFFIXES:
        parts.pop()
    return parts


def strip_honorific(key: str) -> str:
    """ "mr lehrer" -> "lehrer": a label's honorific is no part of the name."""
    parts = key.split()
    return " ".join(parts[1:]) if len(parts) > 1 and parts[0] in HONORIFICS else key


def _likeness(parts: list[str], person: PersonRef) -> tuple[float, str]:
    """How likely `person` is the one named by `parts` (a normalised name), and why."""
    theirs = _name_parts(person.key)
    if not theirs or theirs[-1] != parts[-1]:
        ratio = difflib.SequenceMatcher(None, " ".join(parts), " ".join(theirs)).ratio()
        return ratio * 0.9, f"similar spelling ({round(ratio * 100)}% alike)"
    if len(parts) == 1:
        return 0.55, "same family name; the transcript gives no first name"
    if parts[0] == theirs[0]:
        return 0.9, "same first and family name (middle names differ)"
    if parts[0][0] == theirs[0][0]:
        return 0.8, "same family name and first initial"
    return 0.3, "same family name only"


class PeopleIndex:
    """The archive's people, read in a few queries, for deciding many speakers at once.
    `event` is the event being corrected (its labels are a strong hint); `labels` the
    transcript's labels (to find regulars who spoke under them before)."""

    def __init__(self, *, event: Event | None = None, labels=()):
        counts = dict(Appearance.objects.values_list("person").annotate(n=Count("id")).values_list("person", "n"))
        self.people: dict[int, PersonRef] = {}
        self.by_key: dict[str, list[PersonRef]] = {}
        self.by_slug: dict[str, PersonRef] = {}
        self.by_word: dict[str, list[PersonRef]] = {}
        for pk, name, key, slug in Person.objects.order_by("id").values_list("id", "name", "name_key", "slug"):
            ref = PersonRef(pk, name, slug, key, counts.get(pk, 0))
            self.people[pk] = ref
            self.by_key.setdefault(key, []).append(ref)
            self.by_slug[slug] = ref
            for word in set(key.split()):
                self.by_word.setdefault(word, []).append(ref)
        self.event_labels: dict[str, PersonRef] = {}
        if event is not None and event.pk:
            named = event.appearances.filter(person__isnull=False)  # not its speakers of the event only
            for label, pk in named.values_list("label", "person_id").order_by("order"):
                self.event_labels.setdefault(label, self.people[pk])
        self.label_users: dict[str, list[PersonRef]] = {}
        wanted = [label for label in dict.fromkeys(labels) if label]
        for start in range(0, len(wanted), 500):  # under SQLite's parameter limit
            rows = Appearance.objects.filter(label__in=wanted[start : start + 500], person__isnull=False)
            rows = rows.values_list("label", "person_id")
            for label, pk in rows.distinct().order_by("person_id"):
                users = self.label_users.setdefault(label, [])
                if self.people[pk] not in users:
                    users.append(self.people[pk])

    # -- proposing a person for a parsed speaker

    def match(self, name: str, label: str = "") -> PersonMatch:
        """The existing person a speaker most likely is (or None), with the reason."""
        if is_event_only(name):
            return PersonMatch(None, EVENT_ONLY_REASON, 0.0)
        key = strip_honorific(name_key(name) or name_key(label if label not in ROLE_LABELS else ""))
        if not key:
            return PersonMatch(None, "no name to match: type the speaker's name", 0.0)
        same = self.by_key.get(key, [])
        if len(same) == 1:
            return PersonMatch(same[0], f"same name as an existing person ({same[0].events})", 1.0, tuple(same))
        if same:
            return PersonMatch(
                same[0], f"{len(same)} people share this name; the oldest is proposed, check it", 0.6, tuple(same)
            )
        if label and label in self.event_labels:
            earlier = self.event_labels[label]
            return PersonMatch(earlier, f"spoke as {label} in the current version of this event", 0.95, (earlier,))
        parts = _name_parts(key)
        if len(parts) == 1 and label:
            # Only a family name (the label): a recurring speaker who used this label before.
            regulars = [p for p in self.label_users.get(label, []) if p.key.endswith(parts[0])][:2]
            if len(regulars) == 1:
                return PersonMatch(regulars[0], f"spoke as {label} before ({regulars[0].events})", 0.8, tuple(regulars))
        scored = sorted(
            ((*_likeness(parts, p), p) for p in self.by_word.get(parts[-1], [])[:CANDIDATES_SCORED]),
            key=lambda item: -item[0],
        )
        candidates = tuple(p for _, _, p in scored[:CANDIDATES_SHOWN])
        if scored and scored[0][0] >= PROPOSE_AT:
            confidence, why, person = scored[0]
            return PersonMatch(person, f"{why}; {person.events}", confidence, candidates)
        return PersonMatch(None, "no existing person matches: a new person will be created", 0.0, candidates)

    # -- what a reviewed choice means

    def pinned(self, typed_name: str, slug: str) -> PersonRef | None:
        """The person picked by slug, if the name typed is still theirs."""
        person = self.by_slug.get(slug or "")
        return person if person is not None and person.key == name_key(typed_name) else None

    def decide(self, proposed: PersonMatch, typed_name: str, pinned_slug: str = "") -> PersonMatch:
        """What storing does with a speaker whose name box says `typed_name`: a pinned slug
        that fits the name, else the same name (the oldest such person), else a new person;
        explained with the matcher's reason when it still applies. The importer's rule."""
        key = name_key(typed_name)
        if not key:
            return PersonMatch(None, "mapped to nobody: type a name", 0.0, proposed.candidates)
        if is_event_only(typed_name):
            return PersonMatch(None, EVENT_ONLY_REASON, 0.0)
        if proposed.person and proposed.person.key == key and (not pinned_slug or pinned_slug == proposed.person.slug):
            return proposed
        pinned = self.pinned(typed_name, pinned_slug)
        if pinned:
            return PersonMatch(pinned, f"picked from the list ({pinned.events})", 1.0, proposed.candidates)
        same = self.by_key.get(key)
        if same:
            return PersonMatch(same[0], f"same name as an existing person ({same[0].events})", 1.0, proposed.candidates)
        similar = ", ".join(p.name for p in proposed.candidates[:3])
        reason = f"no one has this name yet (similar: {similar})" if similar else "no one has this name yet"
        return PersonMatch(None, reason, 0.0, proposed.candidates)


def match_person(name: str, label: str = "", event: Event | None = None) -> PersonMatch:
    """One speaker's match (builds a PeopleIndex: for many speakers build one and reuse it)."""
    return PeopleIndex(event=event, labels=[label]).match(name, label)


def existing_people(wanted: list[tuple[str, str | None]]) -> list[Person | None]:
    """The person an import stores each (name, slug) speaker as: an explicit slug wins (or
    the record it was merged into), else the oldest person with the same name_key; None
    means a new person. A few queries however many speakers."""
    slugs = list({slug for _, slug in wanted if slug})
    keys = list({name_key(name) for name, _ in wanted})
    by_slug, by_key = {}, {}
    for start in range(0, max(len(slugs), len(keys)), 500):  # under SQLite's parameter limit
        by_slug.update((p.slug, p) for p in Person.objects.filter(slug__in=slugs[start : start + 500]))
        for person in Person.objects.filter(name_key__in=keys[start : start + 500]).order_by("id"):
            by_key.setdefault(person.name_key, person)
    gone = [slug for slug in slugs if slug not in by_slug]
    for start in range(0, len(gone), 500):
        redirects = PersonRedirect.objects.filter(old_slug__in=gone[start : start + 500]).select_related("person")
        by_slug.update((r.old_slug, r.person) for r in redirects)
    return [(by_slug.get(slug) if slug else None) or by_key.get(name_key(name)) for name, slug in wanted]


def existing_person(name: str, slug: str | None = None) -> Person | None:
    """existing_people for one speaker."""
    return existing_people([(name, slug)])[0]
