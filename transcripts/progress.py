"""Progress for long commands: a tqdm bar (counts, rate, time left) on a terminal, and a
plain line every so many items or seconds otherwise, so logs and CI output stay readable.

    for path in progress(paths, total=len(paths), desc="Importing", stream=self.stderr):
        ...
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator

from tqdm import tqdm

# Without a terminal: one line per this many items, or per this many seconds, whichever comes first.
EVERY_ITEMS = 100
EVERY_SECONDS = 10.0


def progress(
    iterable: Iterable,
    total: int | None,
    desc: str,
    stream=None,
    *,
    size=None,
    every_items: int = EVERY_ITEMS,
    every_seconds: float = EVERY_SECONDS,
) -> Iterator:
    """Yield from `iterable`, showing progress on `stream` (default: standard error).
    `size(item)` says how many units of `total` an item is (default 1), e.g. the turns of an event."""
    size = size or (lambda item: 1)
    # Write to the real stream: Django's OutputWrapper (self.stdout) would end each of
    # tqdm's carriage-return redraws with a newline.
    stream = getattr(stream, "_out", stream) if stream is not None else sys.stderr
    if _is_terminal(stream):
        with tqdm(total=total, desc=desc, file=stream, dynamic_ncols=True) as bar:
            for item in iterable:
                yield item
                bar.update(size(item))
        return
    yield from _plain_lines(iterable, total, desc, stream, size, every_items, every_seconds)


def _plain_lines(iterable, total, desc, stream, size, every_items, every_seconds):
    started = last = time.monotonic()
    done = reported = 0
    for item in iterable:
        yield item
        before, done = done, done + size(item)
        now = time.monotonic()
        if done // every_items > before // every_items or now - last >= every_seconds:
            _write(stream, _line(desc, done, total, now - started))
            last, reported = now, done
    if done != reported:  # the closing count, unless the last line already said it
        _write(stream, _line(desc, done, total, time.monotonic() - started))


def _line(desc: str, done: int, total: int | None, elapsed: float) -> str:
    rate = done / elapsed if elapsed > 0 else 0.0
    counted = f"{done:,}/{total:,}" if total else f"{done:,}"
    line = f"{desc}: {counted} ({rate:,.1f}/s, {elapsed:,.0f} s elapsed"
    if total and rate > 0 and done < total:
        line += f", about {(total - done) / rate:,.0f} s left"
    return line + ")"


def _is_terminal(stream) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _write(stream, line: str) -> None:
    stream.write(line + "\n")
    stream.flush()
