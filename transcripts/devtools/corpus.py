"""A realistic synthetic archive for benchmarks: transcripts written in the words of the
sample transcripts (a word-level Markov chain, so word frequencies follow real speech),
spoken by a few hundred recurring people, over twenty years, with audience questions.
The output is transcript *text* with front matter, fed to the same importer as real files,
or, for a million turns, parsed the same way and written in bulk (write_corpus_in_bulk).
"""

from __future__ import annotations

import datetime
import random
import re
from collections import defaultdict

from django.conf import settings
from django.db import transaction

from transcripts.markup import render_markdown
from transcripts.models import Appearance, Event, EventRevision, Person, Topic, Turn
from transcripts.operations.imports import resolve_person, resolve_topics
from transcripts.parsing import parse_transcript
from transcripts.snapshots import STRING_FIELDS, EventSnapshot
from transcripts.turn_rows import assign_public_ids, build_turns, event_slug, group_appearances, sha256

FIRST = [
    "Amara",
    "Ana",
    "Ben",
    "Carla",
    "Chen",
    "Daniel",
    "Dara",
    "Elena",
    "Emeka",
    "Farah",
    "Gabriel",
    "Hana",
    "Ian",
    "Ines",
    "Jamal",
    "Julia",
    "Kenji",
    "Laila",
    "Lucas",
    "Maya",
    "Mehmet",
    "Nadia",
    "Noor",
    "Omar",
    "Paula",
    "Priya",
    "Rafael",
    "Rosa",
    "Sami",
    "Sofia",
    "Tariq",
    "Uma",
    "Victor",
    "Wen",
    "Yara",
    "Zoe",
]
LAST = [
    "Abadi",
    "Alvarez",
    "Banerjee",
    "Becker",
    "Castillo",
    "Chowdhury",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kim",
    "Kowalski",
    "Laurent",
    "Mbeki",
    "Moreau",
    "Nakamura",
    "Novak",
    "Okafor",
    "Ortiz",
    "Petrov",
    "Quinn",
    "Rahman",
    "Rossi",
    "Santos",
    "Schmidt",
    "Silva",
    "Tanaka",
    "Toure",
    "Varga",
    "Wang",
    "Weber",
    "Yilmaz",
    "Zhou",
]
INSTITUTIONS = [
    "Council on Foreign Relations",
    "Brookings Institution",
    "University of Nottingham",
    "Polaris Project",
    "Human Rights Watch",
    "International Labour Organization",
    "Georgetown University",
    "World Bank",
    "Walk Free Foundation",
    "U.S. Department of State",
    "IREX",
    "Radio Free Asia",
    "Oxford University",
]
POSITIONS = [
    "Senior Fellow",
    "Professor of Law",
    "Director",
    "Former Ambassador-at-Large",
    "Chief Economist",
    "Program Officer",
    "Executive Director",
    "Visiting Scholar",
    "Deputy Attorney General",
]
TOPICS = [
    "Human Trafficking",
    "Modern Slavery",
    "Human Rights",
    "Supply Chains",
    "Migration",
    "Labor Rights",
    "Criminal Justice",
    "Public Health",
    "Development",
    "Technology",
    "Diplomacy",
    "International Law",
    "Gender",
    "Children",
    "Corruption",
    "Refugees",
    "Trade",
    "Sanctions",
    "Global Governance",
    "Economic Policy",
]
TITLE_PATTERNS = (
    "{t1} and {t2}: What Comes Next",
    "The Future of {t1}",
    "{t1} in a Changing World",
    "Confronting {t1}",
    "{t1}, {t2}, and the Private Sector",
    "A Conversation on {t1}",
)


class MarkovText:
    """Order-2 word chain over the sample turns; sentences start where real ones did."""

    def __init__(self, texts: list[str]):
        self.chain: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.starts: list[tuple[str, str]] = []
        for text in texts:
            for sentence in re.split(r"(?<=[.?!])\s+", text):
                words = sentence.split()
                if len(words) < 3 or re.search(r"^[A-Z]+:|\(|\)", sentence):
                    continue
                self.starts.append((words[0], words[1]))
                for a, b, c in zip(words, words[1:], words[2:]):
                    self.chain[(a, b)].append(c)
                self.chain[(words[-2], words[-1])].append("")

    def sentence(self, rng: random.Random, limit: int = 40) -> str:
        a, b = rng.choice(self.starts)
        words = [a, b]
        while len(words) < limit:
            options = self.chain.get((a, b))
            if not options:
                break
            c = rng.choice(options)
            if not c:
                break
            words.append(c)
            a, b = b, c
        text = " ".join(words)
        return text if text[-1] in ".?!" else text + "."

    def paragraph(self, rng: random.Random, sentences: int) -> str:
        return " ".join(self.sentence(rng) for _ in range(sentences))


def sample_texts() -> list[str]:
    """The turns of the reference sample panel, the words the corpus is made of."""
    text = settings.VERBATIM_REFERENCE_SAMPLE.read_text(encoding="utf-8")
    return [turn.text for turn in parse_transcript(text).turns]


def people_pool(rng: random.Random, size: int) -> list[dict]:
    names = sorted({f"{first} {last}" for first in FIRST for last in LAST})
    rng.shuffle(names)
    return [{"name": name, "title": f"{rng.choice(POSITIONS)}, {rng.choice(INSTITUTIONS)}"} for name in names[:size]]


def generate_transcripts(turns: int, seed: int = 1, people: int = 300, per_event: tuple[int, int] = (40, 90)):
    """Yield transcript texts until about `turns` turns have been written, each event
    with a number of turns drawn from `per_event`."""
    rng = random.Random(seed)
    words = MarkovText(sample_texts())
    pool = people_pool(rng, people)
    # A few people speak far more often than most, as in a real archive.
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(pool))]
    start = datetime.date(2006, 1, 1)
    written, number = 0, 0
    while written < turns:
        number += 1
        count = max(4, min(turns - written, rng.randint(*per_event)))
        yield _transcript(rng, words, pool, weights, start, number, count)
        written += count


def _transcript(rng, words, pool, weights, start, number, count) -> str:
    speakers = []
    while len(speakers) < 4:
        person = rng.choices(pool, weights)[0]
        if person not in speakers:
            speakers.append(person)
    presider, panelists = speakers[0], speakers[1 : rng.randint(3, 4)]
    topics = rng.sample(TOPICS, rng.randint(1, 3))
    title = rng.choice(TITLE_PATTERNS).format(t1=topics[0], t2=topics[-1]) + f" (No. {number})"
    date = start + datetime.timedelta(days=rng.randrange(20 * 365))
    labels = {p["name"]: p["name"].split()[-1].upper() for p in [presider, *panelists]}
    lines = [
        "---",
        f"title: {title}",
        f"date: {date.isoformat()}",
        "organiser: Verbatim Benchmark Series",
        "topics: " + ", ".join(topics),
        "participants:",
    ]
    for person, role in [(presider, "presider")] + [(p, "panelist") for p in panelists]:
        lines += [
            f"  - name: {person['name']}",
            f"    label: {labels[person['name']]}",
            f"    role: {role}",
            f"    title: {person['title']}",
        ]
    lines += ["---", "", title, "", words.paragraph(rng, 2), ""]
    qa_at = int(count * 0.7)
    body, asker = [], None
    for position in range(count):
        if position == qa_at:
            body.append(
                f"{labels[presider['name']]}: So now at this time I'd like to invite members to join "
                "our conversation with questions."
            )
            continue
        if position > qa_at and (position - qa_at) % 3 == 1:
            asker = rng.choices(pool, weights)[0]
            body.append(f"OPERATOR: Our next question will be from {asker['name']}.")
            continue
        if position > qa_at and (position - qa_at) % 3 == 2:
            institution = rng.choice(INSTITUTIONS)  # drawn before the question, as always (same corpus per seed)
            body.append(f"Q: I'm {asker['name']} from {institution}. {words.paragraph(rng, rng.randint(1, 3))}")
            continue
        speaker = presider if position % 2 == 0 else rng.choice(panelists)
        paragraphs = [words.paragraph(rng, rng.randint(1, 4)) for _ in range(rng.choice((1, 1, 1, 2, 3)))]
        body.append(f"{labels[speaker['name']]}: " + "\n\n".join(paragraphs))
    return "\n".join(lines) + "\n" + "\n\n".join(body) + "\n"


def write_corpus_in_bulk(turns: int, *, seed: int = 1, people: int = 300, batch: int = 100, progress=None) -> dict:
    """The same transcripts as `generate_transcripts`, parsed by the same parser, written
    straight to the database: rows in large bulk inserts, one transaction per `batch`
    events, no index tasks (run `rebuild_index` afterwards). For measuring at a million
    turns, where going through the importer and the index queue would take hours.
    Each event gets the rows an import gives it: its source text, appearances, turns
    and a first revision. Returns counts of what was written."""
    from transcripts.counts import recount_everything

    writer = _BulkWriter()
    texts = generate_transcripts(turns, seed=seed, people=people)
    written = {"events": 0, "turns": 0}
    while chunk := [text for _, text in zip(range(batch), texts)]:
        with transaction.atomic():
            events, turn_rows = writer.write(chunk)
        written["events"] += events
        written["turns"] += turn_rows
        if progress:
            progress(written)
    recount_everything()  # bulk_create keeps no counters: count everything once, as the migration does
    return written


class _BulkWriter:
    """Resolves people and topics through the importer's own functions, once per name,
    and writes everything else with bulk_create."""

    def __init__(self):
        self.people: dict[tuple[str, str | None], Person] = {}
        self.topics: dict[str, Topic] = {}
        self.slugs = set(Event.objects.values_list("slug", flat=True))
        self.public_ids: set[str] = set()  # given to turns of this batch, not written yet

    def write(self, texts: list[str]) -> tuple[int, int]:
        parsed = [(text, EventSnapshot.from_transcript(parse_transcript(text))) for text in texts]
        events = Event.objects.bulk_create([self._event(text, snapshot) for text, snapshot in parsed])
        through, appearances, turns, revisions = [], [], [], []
        for event, (text, snapshot) in zip(events, parsed):
            topics = {topic.pk: topic for topic in map(self._topic, snapshot.event.topics) if topic}
            through += [Event.topics.through(event_id=event.pk, topic_id=pk) for pk in topics]
            by_key, ordered = self._appearances(event, snapshot.participants)
            appearances += ordered
            event_turns = self._turns(event, snapshot, by_key)
            turns += event_turns
            revisions.append((event, [t.name for t in topics.values()], ordered, event_turns, text))
        Event.topics.through.objects.bulk_create(through)
        Appearance.objects.bulk_create(appearances, batch_size=2000)
        Turn.objects.bulk_create(turns, batch_size=2000)  # bulk_create takes each appearance's new id
        self.public_ids.clear()  # written: the next batch finds them in the table
        EventRevision.objects.bulk_create(
            [
                EventRevision(
                    event=event,
                    number=1,
                    note="generate_corpus --bulk",
                    source_text=text,
                    snapshot=EventSnapshot.from_rows(event, names, ordered, event_turns).to_json(),
                )
                for event, names, ordered, event_turns, text in revisions
            ],
            batch_size=200,
        )
        return len(events), len(turns)

    def _event(self, text: str, snapshot: EventSnapshot) -> Event:
        meta = snapshot.event
        slug = base = event_slug(meta.title, meta.date)
        while slug in self.slugs:
            slug = f"{base}-{len(self.slugs)}"
        self.slugs.add(slug)
        return Event(  # bulk_create skips Event.save, so the description is rendered here
            **{name: getattr(meta, name) for name in STRING_FIELDS},
            slug=slug,
            date=meta.date,
            status=Event.Status.PUBLISHED,
            description_html=render_markdown(meta.description),
            source_text=text,
            # What import_transcript stores for a text imported without metadata: importing
            # the same file later finds the event unchanged.
            source_sha256=sha256(text + repr([]) + repr([])),
        )

    def _topic(self, name: str) -> Topic | None:
        key = " ".join(name.split()).casefold()
        if key not in self.topics:
            found = resolve_topics([name])
            self.topics[key] = found[0] if found else None
        return self.topics[key]

    def _appearances(self, event: Event, participants) -> tuple[dict, list[Appearance]]:
        """As an import makes them (importer.group_appearances), people resolved once per corpus."""
        for p in participants:
            if (p.name, p.person) not in self.people:
                self.people[(p.name, p.person)] = resolve_person(p.name, p.person)
        return group_appearances(event, participants, [self.people[(p.name, p.person)] for p in participants])

    def _turns(self, event: Event, snapshot: EventSnapshot, by_key: dict) -> list[Turn]:
        """As an import makes them (transcripts.turn_rows), public ids and all."""
        public_ids = assign_public_ids(event, snapshot, {}, unsaved=self.public_ids)
        return build_turns(event, snapshot, public_ids, by_key)
