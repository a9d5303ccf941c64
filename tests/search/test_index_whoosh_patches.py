"""The Whoosh fixes: applied from AppConfig.ready(), only on the pinned
Whoosh (anything else refuses to start with a clear message), and segments read in place
through a storage subclass instead of a patched Whoosh class."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from search_helpers import process_queue, search_index, searchable_sample  # noqa: F401
from whoosh.codec.whoosh3 import W3PerDocReader
from whoosh.fields import ID
from whoosh.filedb.structfile import BufferFile

from transcripts.search import indexing, whoosh_patches
from transcripts.search.api import find_turns

ROOT = Path(__file__).resolve().parents[2]


def test_the_fixes_are_applied_at_startup_and_whoosh_classes_keep_their_own_init():
    assert whoosh_patches.is_applied()
    assert W3PerDocReader.doc_field_length is whoosh_patches._doc_field_length
    assert BufferFile.__init__.__module__ == "whoosh.filedb.structfile"  # no longer patched


@pytest.mark.parametrize("version", [(2, 7, 5), (2, 7, 3), (3, 0, 0)])
def test_another_whoosh_version_is_refused_with_what_to_install(version):
    found = ".".join(map(str, version))
    with pytest.raises(
        ImproperlyConfigured,
        match=rf"needs Whoosh 2\.7\.4 exactly, but Whoosh {found} is installed"
        r".*pip install -r requirements\.txt",
    ):
        whoosh_patches.check_version(version)
    whoosh_patches.check_version((2, 7, 4))  # the pinned one passes


def test_manage_py_refuses_to_start_on_another_whoosh(tmp_path):
    script = (
        "import runpy, sys, whoosh; whoosh.__version__ = (2, 7, 5); "
        "sys.argv = ['manage.py', 'check']; runpy.run_path('manage.py', run_name='__main__')"
    )
    env = {**os.environ, "DJANGO_DEBUG": "1", "VERBATIM_VAR_DIR": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "Configuration error: Verbatim's Whoosh adapter needs Whoosh 2.7.4 exactly, but Whoosh 2.7.5 is installed "
        "(transcripts/search/whoosh_patches.py replaces 2.7.4 internals). "
        "Install the pinned version: .venv/bin/pip install -r requirements.txt"
    )


@pytest.mark.django_db
def test_segments_are_read_in_place_from_the_map(searchable_sample):
    searcher = indexing.backend()._current_searcher()
    files = []
    for reader, _ in searcher.reader().leaf_readers():
        postings = reader._terms._dbfile if hasattr(reader._terms, "_dbfile") else None
        files.append(postings)
    assert files and all(isinstance(f, whoosh_patches.ViewBufferFile) for f in files), files
    assert all(isinstance(f.file, whoosh_patches._ViewFile) for f in files)  # a view, not a BytesIO copy
    assert len(find_turns("trafficking", limit=100)) == 26


class _RecordingMap:
    def __init__(self):
        self.calls = []

    def madvise(self, option, start, length):
        self.calls.append((option, start, length))


def test_released_pages_are_whole_pages_covering_the_range_asked_for():
    import mmap

    mapped = _RecordingMap()
    part = whoosh_patches.ViewBufferFile(memoryview(bytes(100)), mapped=mapped, start=mmap.PAGESIZE + 10)
    part.release_pages(5, 3 * mmap.PAGESIZE)
    ((option, start, length),) = mapped.calls
    assert option == mmap.MADV_DONTNEED and start == mmap.PAGESIZE
    assert start + length == mmap.PAGESIZE + 15 + 3 * mmap.PAGESIZE  # to the range's last byte
    part.release_pages(0, 0)  # nothing to release
    assert len(mapped.calls) == 1


@pytest.mark.django_db
def test_facet_columns_read_after_their_pages_were_released_give_the_same_values(searchable_sample):
    backend = indexing.backend()
    searcher = backend._current_searcher()
    # The facet columns: ID fields kept as columns (the values a facet counts).
    columns = [name for name, field in searcher.schema.items() if field.column_type and isinstance(field, ID)]
    assert columns
    for reader, _ in searcher.reader().leaf_readers():
        for column in columns:
            if not reader.has_column(column):
                continue
            before = list(reader.column_reader(column))
            kept = backend._segment_values(reader, column)  # reads, keeps compact, releases the pages
            assert [kept[doc] for doc in range(len(before))] == before
            assert isinstance(reader._perdoc._colfiles[column][0], whoosh_patches.ViewBufferFile)  # releasable
            assert list(reader.column_reader(column)) == before  # the map reads the pages back
    assert len(find_turns("trafficking", limit=100)) == 26


def test_a_facet_column_keeps_each_documents_value_and_counts_them():
    from transcripts.search.whoosh_backend import FacetColumn

    column = FacetColumn.read(["kara", "lagon", "kara", "", "kara"])
    assert [column[doc] for doc in range(5)] == ["kara", "lagon", "kara", "", "kara"]
    assert column.codes.itemsize == 2 and column.values == ["kara", "lagon", ""]
    assert column.counts([0, 1, 2, 4]) == {"kara": 3, "lagon": 1}
    assert FacetColumn.read(str(n) for n in range(70_000)).codes.itemsize == 4
    assert FacetColumn.empty(3).counts([0, 2]) == {"": 2}
