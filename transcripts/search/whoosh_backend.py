"""Verbatim's Whoosh adapter: the only module that talks to Whoosh.

It is haystack's Whoosh engine with these changes:
- analysis is transcripts.search.text (folding, quotes, Porter stemming), the same code
  highlighting uses;
- only ids are stored (snippets come from the database), facet fields are unanalysed
  columns, sort keys are 64-bit sortable numbers;
- one searcher per backend (haystack keeps a backend per thread), refreshed only when
  the index changed, instead of a new searcher and a model-narrowing search per query;
- spelling is checked only for words the index lacks;
- writes happen in batches (`batched()`), and `build_aside()` builds a whole new index
  in a fresh directory and swaps it in atomically (the live path is a symlink), so
  readers never see a half-built or missing index.
A missing or unreadable index raises SearchBackendError (the search layer shows that as
"search unavailable"); reads never create an index.
"""
from __future__ import annotations

import os
import shutil
import struct
import threading
import time
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from haystack.backends import BaseEngine
from haystack.backends.whoosh_backend import WhooshSearchBackend, WhooshSearchQuery
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SearchBackendError, SkipDocument
from haystack.models import SearchResult
from haystack.utils import get_identifier, get_model_ct
from whoosh import index as whoosh_index
from whoosh.analysis import Token, Tokenizer
from whoosh.codec.whoosh3 import W3PerDocReader
from whoosh.fields import DATETIME, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.fields import ID as WHOOSH_ID
from whoosh.filedb.filestore import FileStorage
from whoosh.qparser import QueryParser
from whoosh.query import And, Or
from whoosh.query import Term as WhooshTerm
from whoosh.sorting import Count, FieldFacet
from whoosh.writing import CLEAR

from transcripts.search.text import Term, fold, stem, terms

WRITE_LOCK_TIMEOUT = 30.0  # seconds a writer waits for Whoosh's lock (only one consumer writes)
SET_SUFFIX = "__set"  # hidden column holding a multi-valued field's whole value, for fast facets
INDEX_ERRORS = (OSError, EOFError, struct.error, whoosh_index.IndexError)


def _cached_column_reader(self, fieldname, column):
    """W3PerDocReader._cached_reader, remembering a missing column too. Whoosh 2.7.4 asks
    the filesystem again for every posting of a field without lengths (ids, keywords,
    the spelling field): a stat call per posting, a third of indexing time. A segment's
    files never change once written, so the answer can be kept."""
    try:
        return self._readers[fieldname]
    except KeyError:
        reader = self.column_reader(fieldname, column) if self.has_column(fieldname) else None
        self._readers[fieldname] = reader
        return reader


W3PerDocReader._cached_reader = _cached_column_reader


class VerbatimTokenizer(Tokenizer):
    """Whoosh analyzer running transcripts.search.text.terms (stop words dropped and
    positions renumbered, so phrases skip them the same way in index and query)."""

    is_morph = True  # stems, so Whoosh keeps unstemmed words in a separate spelling field

    def __eq__(self, other):
        return isinstance(other, VerbatimTokenizer)

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", no_morph=False, **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if tokenize:
            items = list(terms(value, stem_words=not no_morph))
        else:  # a whole value as one term (Whoosh asks this for some query types)
            whole = fold(value.strip())
            items = [Term(whole if no_morph else stem(whole), 0, len(value))] if whole else []
        for pos, term in enumerate(items):
            token.text = term.text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = value[term.start:term.end]
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar, token.endchar = start_char + term.start, start_char + term.end
            yield token


class VerbatimWhooshSearchBackend(WhooshSearchBackend):
    def __init__(self, connection_alias, **options):
        if options.get("STORAGE", "file") != "file":
            raise ImproperlyConfigured("Verbatim's Whoosh backend stores its index in files only (set PATH).")
        super().__init__(connection_alias, **options)
        self.options = options
        self.multivalued: set[str] = set()
        self._searcher = None
        self._searcher_target = None
        self._batch_writer = None
        self._commit_options: dict = {}

    # Schema and storage ---------------------------------------------------------------

    def build_schema(self, fields):
        schema = {ID: WHOOSH_ID(stored=True, unique=True), DJANGO_CT: WHOOSH_ID(stored=True),
                  DJANGO_ID: WHOOSH_ID(stored=True)}
        content_field_name = ""
        for field in fields.values():
            name = field.index_fieldname
            if field.is_multivalued:
                schema[name] = KEYWORD(commas=True, lowercase=False, stored=field.stored)
                if hasattr(field, "facet_for"):
                    self.multivalued.add(name)
                    schema[name + SET_SUFFIX] = WHOOSH_ID(sortable=True)
            elif hasattr(field, "facet_for"):
                schema[name] = WHOOSH_ID(stored=field.stored, sortable=True)
            elif field.field_type in ("date", "datetime"):
                schema[name] = DATETIME(stored=field.stored, sortable=True)
            elif field.field_type == "integer":
                schema[name] = NUMERIC(numtype=int, bits=64, stored=field.stored, sortable=True)
            else:
                schema[name] = TEXT(stored=field.stored, analyzer=VerbatimTokenizer(), spelling=field.document)
            if field.document:
                content_field_name = name
        if not content_field_name:
            raise SearchBackendError("No document field was found in any search index.")
        return content_field_name, Schema(**schema)

    def _load_schema(self):
        from haystack import connections

        self.content_field_name, self.schema = self.build_schema(
            connections[self.connection_alias].get_unified_index().all_searchfields()
        )
        self.parser = QueryParser(self.content_field_name, schema=self.schema)

    def setup(self, create=False):
        self._load_schema()
        if not os.path.exists(self.path):
            if not create:
                raise SearchBackendError("The search index has not been built yet.")
            self._create_linked_index()
        self.storage = FileStorage(self.path)
        try:
            self.index = self.storage.open_index(schema=self.schema)
        except whoosh_index.EmptyIndexError:
            if not create:
                raise SearchBackendError("The search index has not been built yet.") from None
            self.index = self.storage.create_index(self.schema)
        self.setup_complete = True

    def _builds_dir(self) -> Path:
        return Path(f"{self.path}.builds")

    def _new_build_dir(self) -> Path:
        target = self._builds_dir() / f"{time.strftime('%Y%m%d-%H%M%S')}-{time.time_ns()}"
        target.mkdir(parents=True)
        FileStorage(str(target)).create_index(self.schema)
        return target

    def _create_linked_index(self):
        self._swap_in(self._new_build_dir())

    def _swap_in(self, target: Path):
        """Point the live path at `target` in one rename, then drop older builds."""
        live = Path(self.path)
        if live.exists() and not live.is_symlink():  # an index from before builds were kept aside
            live.rename(self._builds_dir() / f"previous-{time.time_ns()}")
        link = live.with_name(f".{live.name}.{os.getpid()}.{threading.get_ident()}.link")
        link.unlink(missing_ok=True)
        link.symlink_to(os.path.relpath(target, live.parent))
        os.replace(link, live)
        # Builds run under the index writer lock (transcripts.search.indexing), so no
        # other build is in progress; searchers still reading an old one keep their open files.
        for old in self._builds_dir().iterdir():
            if old.resolve() != target.resolve():
                shutil.rmtree(old, ignore_errors=True)

    # Reading --------------------------------------------------------------------------

    def _current_searcher(self):
        """This backend's searcher, reopened when a rebuild swapped the directory and
        refreshed (cheaply: a directory listing) when the consumer committed."""
        try:
            target = os.path.realpath(self.path)
            if self._searcher is None or target != self._searcher_target:
                if self._searcher is not None:
                    self._searcher.close()
                self.setup()
                self._searcher, self._searcher_target = self.index.searcher(), target
            else:
                self._searcher = self._searcher.refresh()
        except INDEX_ERRORS as exc:
            self._searcher = None
            raise SearchBackendError(f"The search index could not be opened ({exc.__class__.__name__}).") from exc
        return self._searcher

    def search(self, query_string, sort_by=None, start_offset=0, end_offset=None, fields="",
               highlight=False, facets=None, date_facets=None, query_facets=None, narrow_queries=None,
               spelling_query=None, models=None, limit_to_registered_models=None, result_class=None, **kwargs):
        searcher = self._current_searcher()
        try:
            query = self.parser.parse(str(query_string))
            conditions = [query]
            if models:
                conditions.append(Or([WhooshTerm(DJANGO_CT, get_model_ct(m)) for m in models]))
            conditions += [self.parser.parse(str(nq)) for nq in narrow_queries or ()]
            query = And(conditions) if len(conditions) > 1 else query
            end = end_offset if end_offset is not None else start_offset + 1000
            groups = {name: FieldFacet(name + SET_SUFFIX if name in self.multivalued else name, maptype=Count)
                      for name in facets or ()}
            reverse = bool(sort_by) and sort_by[0].startswith("-")
            sortedby = [FieldFacet(key.lstrip("-")) for key in sort_by] if sort_by else None
            results = searcher.search(query, limit=max(end, 1), sortedby=sortedby, reverse=reverse,
                                      groupedby=groups or None)
            hits = len(results)
            found = []
            for offset in range(start_offset, min(end, results.scored_length())):
                stored = results[offset].fields()
                app_label, model_name = stored[DJANGO_CT].split(".")
                found.append((result_class or SearchResult)(app_label, model_name, stored[DJANGO_ID],
                                                            results.score(offset) or 0.0))
            return {
                "results": found,
                "hits": hits,
                "facets": {"fields": {name: self._facet_counts(results, name) for name in groups},
                           "dates": {}, "queries": {}},
                "spelling_suggestion": self.create_spelling_suggestion(spelling_query) if spelling_query else None,
            }
        except INDEX_ERRORS as exc:
            self._searcher = None
            raise SearchBackendError(f"The search index could not be read ({exc.__class__.__name__}).") from exc

    def _facet_counts(self, results, name):
        counts: dict[str, int] = {}
        for key, count in results.groups(name).items():
            for value in (key.split(",") if name in self.multivalued else [key]) if key else ():
                counts[value] = counts.get(value, 0) + count
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))

    def create_spelling_suggestion(self, query_string):
        """The words with each word the index lacks replaced by the closest one it has;
        None when every word is known, or when some unknown word has nothing close."""
        searcher = self._current_searcher()
        reader = searcher.reader()
        corrector = None
        words, changed = [], False
        for word in str(query_string).split():
            analysed = list(terms(word))
            if not analysed or (self.content_field_name, analysed[0].text) in reader:
                words.append(word)
                continue
            corrector = corrector or searcher.corrector(self.content_field_name)
            unstemmed = next(terms(word, stem_words=False)).text
            suggestions = corrector.suggest(unstemmed, limit=1, maxdist=2, prefix=1)
            if not suggestions:  # a word with no near match: no suggestion would find anything
                return None
            changed = True
            words.append(suggestions[0])
        return " ".join(words) if changed else None

    # Writing --------------------------------------------------------------------------

    @contextmanager
    def batched(self, **writer_options):
        """Collect every update/remove inside the block into one commit."""
        if self._batch_writer is not None:
            yield self
            return
        if not self.setup_complete or not os.path.exists(self.path):
            self.setup(create=True)
        self.index = self.storage.open_index(schema=self.schema)
        self._batch_writer = self.index.writer(timeout=WRITE_LOCK_TIMEOUT, **writer_options)
        self._commit_options = {}
        try:
            yield self
        except BaseException:
            self._batch_writer.cancel()
            raise
        else:
            self._batch_writer.commit(**self._commit_options)
        finally:
            self._batch_writer = None

    def _document(self, index, obj):
        try:
            doc = index.full_prepare(obj)
        except SkipDocument:
            return None
        doc.pop("boost", None)
        for key, value in list(doc.items()):
            if isinstance(value, date) and not isinstance(value, datetime):
                value = datetime(value.year, value.month, value.day)
            doc[key] = self._from_python(value) if not isinstance(value, (datetime, int, float)) else value
        for name in self.multivalued & doc.keys():
            doc[name + SET_SUFFIX] = ",".join(sorted(filter(None, doc[name].split(","))))
        return doc

    def update(self, index, iterable, commit=True):
        with self.batched():
            for obj in iterable:
                doc = self._document(index, obj)
                if doc is not None:
                    self._batch_writer.update_document(**doc)

    def remove_many(self, identifiers):
        with self.batched():
            for identifier in identifiers:
                self._batch_writer.delete_by_term(ID, identifier)

    def remove(self, obj_or_string, commit=True):
        self.remove_many([get_identifier(obj_or_string)])

    def clear(self, models=None, commit=True):
        if models is None:
            with self.batched():
                self._commit_options["mergetype"] = CLEAR  # drop every segment in one commit
            return
        with self.batched():
            self._batch_writer.delete_by_query(Or([WhooshTerm(DJANGO_CT, get_model_ct(m)) for m in models]))

    @contextmanager
    def build_aside(self):
        """A backend writing a brand-new index in its own directory; when the block ends
        without error, the live path is switched to it (readers keep answering meanwhile)."""
        self._load_schema()
        target = self._new_build_dir()
        aside = type(self)(self.connection_alias, **{**self.options, "PATH": str(target)})
        try:
            with aside.batched(limitmb=512):
                yield aside
        except BaseException:
            shutil.rmtree(target, ignore_errors=True)
            raise
        self._swap_in(target)


class VerbatimWhooshEngine(BaseEngine):
    backend = VerbatimWhooshSearchBackend
    query = WhooshSearchQuery
