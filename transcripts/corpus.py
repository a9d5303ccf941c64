"""A realistic synthetic archive for benchmarks: transcripts written in the words of the
sample transcripts (a word-level Markov chain, so word frequencies follow real speech),
spoken by a few hundred recurring people, over twenty years, with audience questions.
The output is transcript *text* with front matter, fed to the same importer as real files.
"""
from __future__ import annotations

import datetime
import random
import re
from collections import defaultdict
from pathlib import Path

from transcripts.parsing import parse_transcript

SAMPLES = Path(__file__).resolve().parent / "samples"

FIRST = ("Amara Ana Ben Carla Chen Daniel Dara Elena Emeka Farah Gabriel Hana Ian Ines Jamal Julia Kenji Laila "
         "Lucas Maya Mehmet Nadia Noor Omar Paula Priya Rafael Rosa Sami Sofia Tariq Uma Victor Wen Yara Zoe").split()
LAST = ("Abadi Alvarez Banerjee Becker Castillo Chowdhury Dubois Eriksen Fischer Garcia Haddad Ivanova Jensen Kim "
        "Kowalski Laurent Mbeki Moreau Nakamura Novak Okafor Ortiz Petrov Quinn Rahman Rossi Santos Schmidt Silva "
        "Tanaka Toure Varga Wang Weber Yilmaz Zhou").split()
INSTITUTIONS = ("Council on Foreign Relations;Brookings Institution;University of Nottingham;Polaris Project;"
                "Human Rights Watch;International Labour Organization;Georgetown University;World Bank;"
                "Walk Free Foundation;U.S. Department of State;IREX;Radio Free Asia;Oxford University").split(";")
POSITIONS = ("Senior Fellow;Professor of Law;Director;Former Ambassador-at-Large;Chief Economist;"
             "Program Officer;Executive Director;Visiting Scholar;Deputy Attorney General").split(";")
TOPICS = ("Human Trafficking;Modern Slavery;Human Rights;Supply Chains;Migration;Labor Rights;Criminal Justice;"
          "Public Health;Development;Technology;Diplomacy;International Law;Gender;Children;Corruption;"
          "Refugees;Trade;Sanctions;Global Governance;Economic Policy").split(";")
TITLE_PATTERNS = ("{t1} and {t2}: What Comes Next", "The Future of {t1}", "{t1} in a Changing World",
                  "Confronting {t1}", "{t1}, {t2}, and the Private Sector", "A Conversation on {t1}")


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
    texts = []
    for path in sorted(SAMPLES.glob("*.txt")):
        texts.extend(turn.text for turn in parse_transcript(path.read_text(encoding="utf-8")).turns)
    return texts


def people_pool(rng: random.Random, size: int) -> list[dict]:
    names = sorted({f"{f} {l}" for f in FIRST for l in LAST})
    rng.shuffle(names)
    return [
        {"name": name, "title": f"{rng.choice(POSITIONS)}, {rng.choice(INSTITUTIONS)}"}
        for name in names[:size]
    ]


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
    presider, panelists = speakers[0], speakers[1:rng.randint(3, 4)]
    topics = rng.sample(TOPICS, rng.randint(1, 3))
    title = rng.choice(TITLE_PATTERNS).format(t1=topics[0], t2=topics[-1]) + f" (No. {number})"
    date = start + datetime.timedelta(days=rng.randrange(20 * 365))
    labels = {p["name"]: p["name"].split()[-1].upper() for p in [presider, *panelists]}
    lines = ["---", f"title: {title}", f"date: {date.isoformat()}", "organiser: Verbatim Benchmark Series",
             "topics: " + ", ".join(topics), "participants:"]
    for person, role in [(presider, "presider")] + [(p, "panelist") for p in panelists]:
        lines += [f"  - name: {person['name']}", f"    label: {labels[person['name']]}", f"    role: {role}",
                  f"    title: {person['title']}"]
    lines += ["---", "", title, "", words.paragraph(rng, 2), ""]
    qa_at = int(count * 0.7)
    body, asker = [], None
    for position in range(count):
        if position == qa_at:
            body.append(f"{labels[presider['name']]}: So now at this time I'd like to invite members to join our conversation with questions.")
            continue
        if position > qa_at and (position - qa_at) % 3 == 1:
            asker = rng.choices(pool, weights)[0]
            body.append(f"OPERATOR: Our next question will be from {asker['name']}.")
            continue
        if position > qa_at and (position - qa_at) % 3 == 2:
            body.append(f"Q: I'm {asker['name']} from {rng.choice(INSTITUTIONS)}. {words.paragraph(rng, rng.randint(1, 3))}")
            continue
        speaker = presider if position % 2 == 0 else rng.choice(panelists)
        paragraphs = [words.paragraph(rng, rng.randint(1, 4)) for _ in range(rng.choice((1, 1, 1, 2, 3)))]
        body.append(f"{labels[speaker['name']]}: " + "\n\n".join(paragraphs))
    return "\n".join(lines) + "\n" + "\n\n".join(body) + "\n"
