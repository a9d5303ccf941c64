"""What Verbatim changes in Whoosh 2.7.4, and the check that it is 2.7.4.

These replace Whoosh internals, so they are written for one version: `apply()` (called
from TranscriptsConfig.ready() when a connection uses Verbatim's Whoosh engine) refuses
any other, with a message saying what to install.

- Segment files are read in place from a memory map (`MappedFileStorage`, a storage
  subclass): Whoosh's BufferFile wrapped each mapped segment in BytesIO, which copies it,
  so every searcher held the postings and term index twice (about 90 MB at 100,000 turns).
- Two methods of W3PerDocReader are replaced on the class, since Whoosh picks that class
  itself (the codec is saved inside every segment of the index, so a subclass would tie
  every index file to this module's name):
  - `_cached_reader` asked the filesystem again for every posting of a field without
    lengths: a stat call per posting, a third of indexing time;
  - `doc_field_length`, asked once per scored document, is read from a list.
- `FileIndex._reader` reuses the open reader of every unchanged segment when a searcher
  is refreshed, as Whoosh means to: 2.7.4 looks its old readers up by generation instead
  of segment id, so it never finds one, and every search after an index update reopened
  every segment (a fifth of the first search's time at 100,000 turns).
"""

from __future__ import annotations

import contextlib
import mmap
import os

import whoosh
from django.core.exceptions import ImproperlyConfigured
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3PerDocReader, _lenfield
from whoosh.columns import NumericColumn
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import BufferFile, StructFile
from whoosh.index import FileIndex
from whoosh.reading import EmptyReader, MultiReader, SegmentReader
from whoosh.util.numeric import byte_to_length

PINNED_VERSION = (2, 7, 4)
SEGMENT_SUFFIX = ".seg"  # compound segment files: everything a reader maps


def check_version(version: tuple = whoosh.__version__) -> None:
    if tuple(version[:3]) != PINNED_VERSION:
        found, pinned = ".".join(map(str, version)), ".".join(map(str, PINNED_VERSION))
        raise ImproperlyConfigured(
            f"Verbatim's Whoosh adapter needs Whoosh {pinned} exactly, but Whoosh {found} is installed "
            f"(transcripts/search/whoosh_patches.py replaces {pinned} internals). "
            f"Install the pinned version: .venv/bin/pip install -r requirements.txt"
        )


def apply() -> None:
    """Check the version, then replace the two W3PerDocReader methods (once)."""
    check_version()
    W3PerDocReader._cached_reader = _cached_column_reader
    W3PerDocReader.doc_field_length = _doc_field_length
    FileIndex._reader = classmethod(_reader_reusing_segments)


def is_applied() -> bool:
    return W3PerDocReader.doc_field_length is _doc_field_length


# Storage: segments read in place --------------------------------------------------------


class _ViewFile:
    """A read-only file over a memoryview of the memory-mapped index."""

    def __init__(self, buf):
        self._view, self._pos = memoryview(buf), 0

    def read(self, size=-1):
        end = len(self._view) if size is None or size < 0 else min(len(self._view), self._pos + size)
        data = self._view[self._pos : end].tobytes()
        self._pos = end
        return data

    def readline(self, size=-1):
        stop = len(self._view) if size is None or size < 0 else self._pos + size
        rest = self._view[self._pos : stop].tobytes()
        line = rest[: rest.find(b"\n") + 1 or len(rest)]
        self._pos += len(line)
        return line

    def seek(self, offset, whence=0):
        self._pos = offset if whence == 0 else self._pos + offset if whence == 1 else len(self._view) + offset
        return self._pos

    def tell(self):
        return self._pos

    def flush(self):
        pass

    def close(self):
        self._view.release()


class ViewBufferFile(BufferFile):
    """BufferFile over a slice of the map, read in place (BufferFile copies it into BytesIO).
    It knows where in the map it starts, so pages read once can be released (see
    `release_pages`)."""

    def __init__(self, buf, name=None, onclose=None, mapped=None, start=0):
        StructFile.__init__(self, _ViewFile(buf), name=name, onclose=onclose)
        self._buf = buf
        self._mapped, self._start = mapped, start

    def release_pages(self, offset: int, length: int) -> None:
        """Drop bytes [offset, offset + length) of this part from the process's resident
        memory. The map is read-only and file-backed, so the kernel reads the pages back
        from the page cache if they are touched again; nothing is lost."""
        if self._mapped is None or length <= 0:
            return
        start = self._start + offset
        aligned = start - start % mmap.PAGESIZE
        with contextlib.suppress(OSError, ValueError):
            self._mapped.madvise(mmap.MADV_DONTNEED, aligned, start + length - aligned)


class MappedSegmentFile(StructFile):
    """A whole segment file, mapped. It has no fileno, so Whoosh's CompoundStorage does not
    map it again itself but asks `subset()` for each part: a view, not a copy."""

    def __init__(self, mapped, name=None, onclose=None):
        super().__init__(_ViewFile(mapped), name=name, onclose=onclose)
        self._mapped = mapped

    def subset(self, offset, length, name=None):
        view = memoryview(self._mapped)[offset : offset + length]
        return ViewBufferFile(view, name=name or self._name, mapped=self._mapped, start=offset)


def release_column_pages(segment_reader, fieldname: str) -> None:
    """Release the mapped pages of a column that was read whole and is kept in another
    form (facet columns: 20-40 bytes a document, read once per segment)."""
    perdoc = getattr(segment_reader, "_perdoc", None)
    place = getattr(perdoc, "_colfiles", {}).get(fieldname)
    if place is not None and isinstance(place[0], ViewBufferFile):
        colfile, offset, length = place
        colfile.release_pages(offset, length)


class MappedFileStorage(FileStorage):
    """Whoosh's FileStorage, opening segment files as MappedSegmentFile."""

    def open_file(self, name, **kwargs):
        if not name.endswith(SEGMENT_SUFFIX):
            return super().open_file(name, **kwargs)
        with open(self._fpath(name), "rb") as handle:
            if not os.fstat(handle.fileno()).st_size:  # an empty file cannot be mapped
                return super().open_file(name, **kwargs)
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        return MappedSegmentFile(mapped, name=name, **kwargs)


# W3PerDocReader ---------------------------------------------------------------------------


def _cached_column_reader(self, fieldname, column):
    """W3PerDocReader._cached_reader, remembering a missing column too (a segment's
    files never change once written, so the answer can be kept)."""
    try:
        return self._readers[fieldname]
    except KeyError:
        reader = self.column_reader(fieldname, column) if self.has_column(fieldname) else None
        self._readers[fieldname] = reader
        return reader


LENGTH_OF_BYTE = [byte_to_length(b) for b in range(256)]


# Field lengths by (segment id, field): a segment's files never change once written and
# deleting documents does not change lengths, so this outlives the reader objects that
# Whoosh opens anew for every segment after each index update (keyed per reader, every
# cold search decoded every segment's lengths again: a third to half of its time).
# `keep_segments` prunes it to the segments of the index being read.
_SEGMENT_LENGTHS: dict[tuple[str, str], bytes | None] = {}


def _segment_key(perdoc: W3PerDocReader):
    segment = getattr(perdoc, "_segment", None)
    return segment.segment_id() if segment is not None else id(perdoc)


def keep_segments(segment_ids) -> None:
    """Forget the cached lengths of segments that are no longer in the index."""
    live = set(segment_ids)
    for key in [key for key in list(_SEGMENT_LENGTHS) if key[0] not in live]:
        _SEGMENT_LENGTHS.pop(key, None)


def _read_lengths(reader, doccount: int) -> bytes:
    """The length column's bytes in one slice (one byte per document; documents past the
    written ones have the default, 0), falling back to one read per document."""
    if type(reader) is NumericColumn.Reader and reader._fixedlen == 1 and not reader._default:
        written = min(reader._count, doccount)
        data = bytes(reader._dbfile.get(reader._basepos, written)) if written else b""
        return data + bytes(doccount - written)
    return bytes(reader[n] for n in range(doccount))


def length_bytes(perdoc: W3PerDocReader, fieldname: str) -> bytes | None:
    """Every document's field length in a segment, as Whoosh's one-byte codes (decoded
    by LENGTH_OF_BYTE); read once per segment and field, None when the field has none."""
    key = (_segment_key(perdoc), fieldname)
    try:
        return _SEGMENT_LENGTHS[key]
    except KeyError:
        reader = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        lengths = None if reader is None else _read_lengths(reader, perdoc._doccount)
        _SEGMENT_LENGTHS[key] = lengths
        return lengths


def _doc_field_length(self, docnum, fieldname, default=0):
    """W3PerDocReader.doc_field_length from a list of the segment's length bytes, read
    once: scoring asks for every matching document's length, and each lookup went
    through four layers of column readers (half the time of a common-word search)."""
    if docnum > self._doccount:
        raise IndexError(f"Asked for docnum {docnum!r} of {self._doccount}")
    # Kept on the reader as well: a segment flush asks once per posting it writes, and
    # finding the segment's key each time was most of that.
    by_field = self.__dict__.setdefault("_verbatim_lengths", {})
    if fieldname not in by_field:
        by_field[fieldname] = length_bytes(self, fieldname)
    lengths = by_field[fieldname]
    if lengths is None:
        return default
    lbyte = lengths[docnum]
    return LENGTH_OF_BYTE[lbyte] if lbyte else None  # None for 0, as Whoosh does


# FileIndex ------------------------------------------------------------------------------


def _reader_reusing_segments(cls, storage, schema, segments, generation, reuse=None):
    """FileIndex._reader: a reader over `segments`, taking from `reuse` (the reader being
    refreshed) every segment reader whose segment is unchanged: same id (its files never
    change) and as many deleted documents (deletions only grow, so the same ones). The
    readers of `reuse` not taken are closed, as Whoosh does."""
    if not segments:
        return EmptyReader(schema)
    reusable = {}
    if reuse is not None:
        for leaf, _offset in reuse.leaf_readers():
            if type(leaf) is SegmentReader and not leaf.is_closed:
                reusable[leaf.segment().segment_id()] = leaf
    readers = []
    try:
        for segment in segments:
            old = reusable.get(segment.segment_id())
            if old is not None and old.segment().deleted_count() == segment.deleted_count():
                del reusable[segment.segment_id()]
                old._gen = generation  # a reader answers generation() with the index's
                readers.append(old)
            else:
                readers.append(SegmentReader(storage, schema, segment, generation=generation))
    finally:
        for leaf in reusable.values():
            leaf.close()
    return readers[0] if len(readers) == 1 else MultiReader(readers, generation=generation)
