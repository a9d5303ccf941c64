"""The alignment harness: how well captions time a transcript whose true times are known.

The corpus has the 2004 St. Louis town-hall debate twice: as a plain transcript
(`debate-…-townhall.txt`, "Name: words" turns, no times) and as a Zoom WebVTT export
(`services-…-zoom.vtt`) whose cues carry the speaker and the time; a turn truly starts at
the first cue of each speaker run. The harness turns those cues into the captions a
recogniser would give (lower case, no punctuation, a share of words misheard or lost, one
whole minute missing), aligns the plain transcript to them, and compares each turn's
start with the truth. Used by tests/test_alignment_corpus.py and the benchmark table.
"""

from __future__ import annotations

import random
import re
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from transcripts.media.alignment import align, tokens
from transcripts.media.captions import parse_cues, read_words

TRANSCRIPT = "debate-2004-10-08-st-louis-bush-kerry-townhall.txt"
CAPTIONS = "services-2004-10-08-st-louis-zoom.vtt"
_TURN = re.compile(r"([^:\n]+): (.*)", re.DOTALL)
# Words a recogniser puts in place of the ones said.
_MISHEARD = ["uh", "the", "and", "a", "in", "that", "um", "there", "of", "so", "its", "an"]


@dataclass
class HarnessResult:
    turns: int
    timed: int
    within_2s: int
    median_error: float
    p95_error: float
    align_seconds: float
    caption_words: int
    changed_or_dropped_percent: float
    missing_from: float  # where the missing minute starts (seconds)

    @property
    def within_2s_percent(self) -> float:
        return round(100 * self.within_2s / self.turns, 1)

    @property
    def coverage_percent(self) -> float:
        return round(100 * self.timed / self.turns, 1)


def corpus_files(corpus: Path) -> tuple[Path, Path] | None:
    transcript, captions = corpus / TRANSCRIPT, corpus / CAPTIONS
    return (transcript, captions) if transcript.exists() and captions.exists() else None


def read_plain_turns(text: str) -> list[tuple[str, str]]:
    """The debate file's "Name: words" blocks as (speaker, text)."""
    turns = []
    for block in (b for b in text.split("\n\n") if b.strip()):
        match = _TURN.match(block.strip())
        if match:
            turns.append((match.group(1).strip(), " ".join(match.group(2).split())))
    return turns


def true_starts(vtt_text: str) -> list[tuple[str, float]]:
    """(speaker, start) for the first cue of each speaker run."""
    runs, previous = [], None
    for cue, _ in parse_cues(vtt_text, "truth.vtt"):
        if cue.speaker != previous:
            runs.append((cue.speaker, cue.start))
            previous = cue.speaker
    return runs


def _stamp(t: float) -> str:
    hours, rest = divmod(t, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{int(hours):02d}:{int(minutes):02d}:{secs:06.3f}"


def noisy_captions(
    vtt_text: str, *, seed: int = 13, change: float = 0.04, drop: float = 0.03, missing_seconds: float = 60.0
) -> tuple[str, float, float]:
    """Recogniser-like WebVTT from the truth's cues: (vtt text, share of words changed or
    dropped, start of the missing stretch)."""
    rng = random.Random(seed)
    cues = [cue for cue, _ in parse_cues(vtt_text, "truth.vtt")]
    total_time = cues[-1].end
    gap_start = rng.uniform(0.3 * total_time, 0.7 * total_time)
    out, words, touched = ["WEBVTT", ""], 0, 0
    for cue in cues:
        if gap_start <= cue.start < gap_start + missing_seconds:
            continue
        kept = []
        for word in tokens(cue.text):
            words += 1
            roll = rng.random()
            if roll < drop:
                touched += 1
            elif roll < drop + change:
                touched += 1
                kept.append(rng.choice(_MISHEARD))
            else:
                kept.append(word)
        if kept:
            out += [f"{_stamp(cue.start)} --> {_stamp(cue.end)}", " ".join(kept), ""]
    return "\n".join(out), round(100 * touched / max(words, 1), 1), gap_start


def run(corpus: Path, *, seed: int = 13) -> HarnessResult:
    transcript_path, captions_path = corpus_files(corpus)
    turns = read_plain_turns(transcript_path.read_text(encoding="utf-8"))
    vtt = captions_path.read_text(encoding="utf-8")
    truth = true_starts(vtt)
    if [s for s, _ in truth] != [s for s, _ in turns]:
        raise ValueError("The corpus transcript and captions no longer have the same speaker turns.")
    captions, noise, gap = noisy_captions(vtt, seed=seed)
    started = time.perf_counter()
    words = read_words(captions, "noisy.vtt")
    result = align([[text] for _, text in turns], words)
    elapsed = time.perf_counter() - started
    errors = [abs(got - want) for got, (_, want) in zip(result.turn_starts, truth) if got is not None]
    ordered = sorted(errors)
    return HarnessResult(
        turns=len(turns),
        timed=len(errors),
        within_2s=sum(e <= 2.0 for e in errors),
        median_error=round(statistics.median(ordered), 2) if ordered else float("nan"),
        p95_error=round(ordered[int(0.95 * (len(ordered) - 1))], 2) if ordered else float("nan"),
        align_seconds=round(elapsed, 3),
        caption_words=len(words),
        changed_or_dropped_percent=noise,
        missing_from=round(gap, 1),
    )
