"""Fixes to Whoosh 2.7.4 that Verbatim's adapter relies on, applied on import.

- W3PerDocReader._cached_reader asked the filesystem again for every posting of a field
  without lengths: a stat call per posting, a third of indexing time.
- BufferFile wrapped each memory-mapped segment file in BytesIO, which copies it: every
  searcher held the postings and term index twice (about 90 MB at 100,000 turns).
- W3PerDocReader.doc_field_length, asked once per scored document, is read from a list.
"""
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3PerDocReader, _lenfield
from whoosh.filedb.structfile import BufferFile
from whoosh.util.numeric import byte_to_length


def _cached_column_reader(self, fieldname, column):
    """W3PerDocReader._cached_reader, remembering a missing column too (a segment's
    files never change once written, so the answer can be kept)."""
    try:
        return self._readers[fieldname]
    except KeyError:
        reader = self.column_reader(fieldname, column) if self.has_column(fieldname) else None
        self._readers[fieldname] = reader
        return reader


W3PerDocReader._cached_reader = _cached_column_reader


class _ViewFile:
    """A read-only file over a memoryview of the memory-mapped index."""

    def __init__(self, buf):
        self._view, self._pos = memoryview(buf), 0

    def read(self, size=-1):
        end = len(self._view) if size is None or size < 0 else min(len(self._view), self._pos + size)
        data = self._view[self._pos:end].tobytes()
        self._pos = end
        return data

    def readline(self, size=-1):
        rest = self._view[self._pos:].tobytes() if size is None or size < 0 else self._view[self._pos:self._pos + size].tobytes()
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


def _buffer_file_init(self, buf, name=None, onclose=None):
    """BufferFile.__init__ reading the mapped file in place instead of copying it."""
    self._buf, self._name, self.onclose = buf, name, onclose
    self.file = _ViewFile(buf)
    self.is_real = False
    self.is_closed = False


BufferFile.__init__ = _buffer_file_init


LENGTH_OF_BYTE = [byte_to_length(b) for b in range(256)]


def length_bytes(perdoc: W3PerDocReader, fieldname: str) -> bytes | None:
    """Every document's field length in a segment, as Whoosh's one-byte codes (decoded
    by LENGTH_OF_BYTE); read once per segment and field, None when the field has none."""
    cache = perdoc.__dict__.setdefault("_length_bytes", {})
    if fieldname not in cache:
        reader = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        cache[fieldname] = None if reader is None else bytes(reader[n] for n in range(perdoc._doccount))
    return cache[fieldname]


def _doc_field_length(self, docnum, fieldname, default=0):
    """W3PerDocReader.doc_field_length from a list of the segment's length bytes, read
    once: scoring asks for every matching document's length, and each lookup went
    through four layers of column readers (half the time of a common-word search)."""
    if docnum > self._doccount:
        raise IndexError(f"Asked for docnum {docnum!r} of {self._doccount}")
    lengths = length_bytes(self, fieldname)
    if lengths is None:
        return default
    lbyte = lengths[docnum]
    return LENGTH_OF_BYTE[lbyte] if lbyte else None  # None for 0, as Whoosh does


W3PerDocReader.doc_field_length = _doc_field_length
