"""Captions made from an event's own words, with known times, for the media tests."""

from transcripts.media.alignment import spoken_paragraphs, tokens

SECONDS_PER_WORD = 0.4


def stamp(t: float) -> str:
    hours, rest = divmod(t, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{int(hours):02d}:{int(minutes):02d}:{secs:06.3f}"


def captions_for(turns, *, offset=10.0, words_per_cue=8, skip=lambda turn_index: False):
    """(WebVTT text, true start per turn, true start per paragraph) where each word lasts
    SECONDS_PER_WORD; turns for which `skip(i)` is true are left out of the captions
    (a stretch the recogniser lost) but still take their time."""
    t = offset
    lines, turn_starts, paragraph_starts = ["WEBVTT", ""], [], []
    for index, turn in enumerate(turns):
        turn_starts.append(t)
        starts = []
        for paragraph in spoken_paragraphs(turn.paragraphs):
            words = tokens(paragraph)
            starts.append(t if words else None)
            for k in range(0, len(words), words_per_cue):
                chunk = words[k : k + words_per_cue]
                if not skip(index):
                    lines += [f"{stamp(t)} --> {stamp(t + len(chunk) * SECONDS_PER_WORD)}", " ".join(chunk), ""]
                t += len(chunk) * SECONDS_PER_WORD
        paragraph_starts.append(starts)
    return "\n".join(lines), turn_starts, paragraph_starts


def write_tone_wav(path, seconds: float = 30.0, rate: int = 8000) -> None:
    """A few seconds of quiet tone as 8 kHz mono WAV (Python's wave module: no tool needed)."""
    import math
    import struct
    import wave

    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        frames = bytearray()
        for n in range(int(seconds * rate)):
            frames += struct.pack("<h", int(2000 * math.sin(2 * math.pi * 440 * n / rate)))
        out.writeframes(bytes(frames))
