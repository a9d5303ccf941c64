"""Verbatim's Whoosh adapter: the only module that talks to Whoosh.

It is haystack's Whoosh engine with these changes:
- analysis is transcripts.search.text (folding, quotes, Porter stemming), the same code
  highlighting uses;
- only ids are stored (snippets come from the database), facet fields are unanalysed
  columns, sort keys are 64-bit sortable numbers;
- one searcher per backend (haystack keeps a backend per thread), refreshed only when
  the index changed, instead of a new searcher and a model-narrowing search per query;
  narrowing to a model is a cached set of document numbers, people and events keep
  their words in fields of their own, and the total and facet counts come from the
  same pass that finds the top documents (facet values cached per segment); one word,
  two words or a two-word phrase are scored in bulk (bulk_scoring.py), same scores;
- spelling is checked only for words the index lacks, against the stems the index
  has (no separate spelling field);
- sort keys are columns only, id numbers one term each (not sixteen range tiers);
- a rebuild writes with one process per available core;
- segments are read in place from a memory map (MappedFileStorage), and two Whoosh
  2.7.4 costs are patched from TranscriptsConfig.ready() (whoosh_patches.py);
- writes happen in batches (`batched()`), and `build_aside()` builds a whole new index
  in a fresh directory and swaps it in atomically (the live path is a symlink), so
  readers never see a half-built or missing index.
A missing or unreadable index raises SearchBackendError (the search layer shows that as
"search unavailable"); reads never create an index.
"""

from __future__ import annotations

import heapq
import os
import pickle
import shutil
import struct
import threading
import time
import zlib
from array import array
from bisect import bisect_right
from collections import Counter
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
from whoosh.collectors import FilterCollector, SortingCollector, TopCollector
from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, DATETIME, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.fields import ID as WHOOSH_ID
from whoosh.formats import Positions
from whoosh.qparser import MultifieldParser, QueryParser
from whoosh.query import And, Or
from whoosh.query import Term as WhooshTerm
from whoosh.searching import TimeLimit
from whoosh.sorting import FieldFacet
from whoosh.writing import CLEAR

from transcripts.search import bulk_scoring, whoosh_patches, word_overlap
from transcripts.search.results import SearchTimeLimit
from transcripts.search.text import Term, fold, search_language, stem, stem_in, term_positions, terms
from transcripts.search.whoosh_patches import MappedFileStorage

# Seconds a search may spend matching (OPTIONS "TIME_LIMIT"): a query that matches too
# much in too many ways is stopped rather than keep a server thread busy.
SEARCH_TIME_LIMIT = 1.0
# The limit counts this thread's CPU time, the work a search does: on a machine busy with
# other processes, wall-clock time would cut ordinary searches short.
WORK_CLOCK = time.thread_time
WRITE_LOCK_TIMEOUT = 30.0  # seconds a writer waits for Whoosh's lock (only one consumer writes)
SET_SUFFIX = "__set"  # hidden column holding a multi-valued field's whole value, for fast facets
# Models whose documents keep their words in a content field of their own ("text__<model>"),
# so a search narrowed to them (names and titles above the turns) reads only their
# postings instead of walking every turn that has the word.
OWN_CONTENT_FIELD = ("transcripts.event", "transcripts.person")
# What a missing, truncated or overwritten index raises in Whoosh (tests/search/test_faults.py
# damages an index each of these ways): its own IndexError (EmptyIndexError, a table of
# contents it cannot read), files gone or unreadable, data cut short, bytes that do not
# decompress or unpickle. Programming errors (TypeError, AttributeError, KeyError...) are not here.
INDEX_ERRORS = (OSError, EOFError, struct.error, zlib.error, pickle.UnpicklingError, whoosh_index.IndexError)


def _word_with_stem(word: str, word_stem: str, wanted_stem: str) -> str:
    """A word whose stem is `wanted_stem`, ending like `word` if possible:
    ("trafikking", "trafik", "traffick") -> "trafficking"."""
    for cut in range(max(0, len(word_stem) - 1), len(word) + 1):  # the longest ending first
        candidate = wanted_stem + word[cut:]
        if stem(candidate) == wanted_stem:
            return candidate
    return wanted_stem


def _own_field(content_field_name: str, ct: str) -> str:
    return f"{content_field_name}__{ct.replace('.', '_')}"


class MatchRecordingCollector(TopCollector):
    """The top `limit` documents by score, remembering every match on the way (for the
    total and the facet counts). Every match is scored, so block skipping is off: on this
    corpus's postings it skipped almost nothing (each block of a common word holds some
    short turn that could still make the top 20), and the skip checks cost more. Matcher
    replacement is off too (`replace=0`): Whoosh swaps a sub-matcher that cannot reach
    the current top for nothing, every 10 matches, so a small segment's matches (the
    consumer's latest) went uncounted in the total and the facets."""

    def __init__(self, limit):
        super().__init__(limit=limit, usequality=False, replace=0)

    def prepare(self, top_searcher, q, context):
        super().prepare(top_searcher, q, context)
        self.matched = []

    def _collect(self, global_docnum, score):
        self.matched.append(global_docnum)
        return super()._collect(global_docnum, score)


class DeadlineFilterCollector(FilterCollector):
    """Whoosh's FilterCollector that also gives up at a deadline, raising TimeLimit as
    Whoosh's TimeLimitCollector does. That collector cannot be used here: wrapped around
    a FilterCollector it bypasses the filtering, wrapped inside one it is bypassed; and it
    stops searches with SIGALRM, which only works in a process's main thread."""

    CHECK_EVERY = 256  # matches between looks at the clock

    def __init__(self, child, allow=None, restrict=None, *, deadline: float):
        super().__init__(child, allow, restrict)
        self.deadline = deadline

    def collect_matches(self):
        child, allow, restrict = self.child, self._allow, self._restrict
        filtered = 0
        for n, sub_docnum in enumerate(child.matches()):
            if not n % self.CHECK_EVERY and WORK_CLOCK() > self.deadline:
                raise TimeLimit
            global_docnum = self.offset + sub_docnum
            if (allow is not None and global_docnum not in allow) or (
                restrict is not None and global_docnum in restrict
            ):
                filtered += 1
                continue
            child.collect(sub_docnum)
        self.filtered_count += filtered
        if WORK_CLOCK() > self.deadline:  # one segment's matcher can be slow between matches
            raise TimeLimit


class VerbatimTokenizer(Tokenizer):
    """Whoosh analyzer running transcripts.search.text.terms (stop words dropped and
    positions renumbered, so phrases skip them the same way in index and query).
    `by_language`: the content field, whose documents may be in any language: a value
    is indexed in its LanguageText's language, and a query is stemmed in the language
    the search is narrowed to (text.searching_in). Other fields (names) are English."""

    is_morph = True  # stems
    by_language = False  # indexes built before languages were recorded keep this default

    def __init__(self, by_language: bool = False):
        self.by_language = by_language

    def __eq__(self, other):
        return isinstance(other, VerbatimTokenizer)

    def _language(self, value, mode: str) -> str:
        if not self.by_language:
            return ""
        return getattr(value, "language", "") if mode == "index" or not mode else search_language()

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        no_morph=False,
        **kwargs,
    ):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        language = self._language(value, mode)
        if tokenize:
            items = list(terms(value, stem_words=not no_morph, language=language))
        else:  # a whole value as one term (Whoosh asks this for some query types)
            whole = fold(value.strip())
            items = [Term(whole if no_morph else stem_in(whole, language), 0, len(value))] if whole else []
        for pos, term in enumerate(items):
            token.text = term.text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = value[term.start : term.end]
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar, token.endchar = start_char + term.start, start_char + term.end
            yield token


class VerbatimText(TEXT):
    """Whoosh's TEXT field, indexing a value in one pass (transcripts.search.text.
    term_positions) instead of one Token object per word through Whoosh's Positions
    format: the same postings, bytes for bytes (tests/search/test_index_documents.py), in about
    half the time, and analysing text is most of what a rebuild's writer processes do.
    Other formats, analyzers and values take Whoosh's way."""

    def index(self, value, **kwargs):
        if not (
            isinstance(value, str)
            and type(self.format) is Positions
            and isinstance(self.analyzer, VerbatimTokenizer)
            and kwargs.get("mode", "index") == "index"
        ):
            return super().index(value, **kwargs)
        boost, encode = self.format.field_boost, self.format.encode
        return [
            (term.encode("utf-8"), len(where), float(len(where)) * boost, encode(where))
            for term, where in term_positions(value if self.analyzer.by_language else str(value)).items()
        ]


def _add_counts(total: dict[str, int], counts) -> None:
    """Add `counts` (value -> number) into `total`: the first segment's copied in one
    dict.update, the others' added value by value (Counter.update's own loop, and
    intersecting the two key sets first, cost twice as much for fifteen thousand events)."""
    if not total:
        total.update(counts)
        return
    get = total.get
    for value, count in counts.items():
        total[value] = get(value, 0) + count


def _top_values(counts: dict[str, int], size: int | None, *, by_value: bool) -> list[tuple[str, int]]:
    """The `size` (None: all) values with the most documents, ties by value, or with
    `by_value` the greatest values; values at no documents left out. The most frequent are
    found from the `size`-th greatest count, so the thousands of values below it are only
    compared, not sorted."""
    if by_value:
        return sorted(((value, count) for value, count in counts.items() if count > 0), reverse=True)[:size]
    if size is not None and len(counts) > size:
        least = max(1, heapq.nlargest(size, counts.values())[-1])
        counts = {value: count for value, count in counts.items() if count >= least}
    chosen = sorted(((-count, value) for value, count in counts.items() if count > 0))[:size]
    return [(value, -negative) for negative, value in chosen]


class FacetColumn:
    """A segment's values of one facet column, compact: each document's value as a 2- or
    4-byte code into the list of the segment's distinct values. At 1,000,000 turns a list
    of one reference per document and column held 8 bytes each (32 MB for four columns)."""

    __slots__ = ("codes", "values")

    def __init__(self, codes: array, values: list[str]):
        self.codes, self.values = codes, values

    @classmethod
    def read(cls, column_values) -> FacetColumn:
        code_of: dict[str, int] = {}
        codes = [code_of.setdefault(value, len(code_of)) for value in column_values]
        return cls(array("H" if len(code_of) < 1 << 16 else "I", codes), list(code_of))

    @classmethod
    def empty(cls, size: int) -> FacetColumn:
        return cls(array("H", bytes(2 * size)), [""])

    def __getitem__(self, doc: int) -> str:
        return self.values[self.codes[doc]]

    def counts(self, docs) -> Counter:
        """How many of `docs` (segment document numbers) have each value."""
        by_code = Counter(map(self.codes.__getitem__, docs))
        return Counter({self.values[code]: n for code, n in by_code.items()})


class VerbatimWhooshSearchBackend(WhooshSearchBackend):
    def __init__(self, connection_alias, **options):
        if options.get("STORAGE", "file") != "file":
            raise ImproperlyConfigured("Verbatim's Whoosh backend stores its index in files only (set PATH).")
        super().__init__(connection_alias, **options)
        self.options = options
        self.time_limit = float(options.get("TIME_LIMIT", SEARCH_TIME_LIMIT))
        self.multivalued: set[str] = set()
        self._searcher = None
        self._searcher_target = None
        self._batch_writer = None
        self._batch_searcher = None  # finds the documents an update replaces, one per batch
        self._fresh = False  # True while build_aside fills an empty index
        self._cache_owner, self._cache = None, {}  # see _searcher_cache
        self._segment_columns: dict[tuple, object] = {}  # per segment id: see _segment_values, _segment_docs
        self._commit_options: dict = {}

    # Schema and storage ---------------------------------------------------------------

    def build_schema(self, fields):
        schema = {
            ID: WHOOSH_ID(stored=True, unique=True),
            DJANGO_CT: WHOOSH_ID(stored=True),
            DJANGO_ID: WHOOSH_ID(stored=True),
        }
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
            elif field.field_type == "integer" and not field.indexed:  # a sort key: a column, no terms
                schema[name] = COLUMN(NumericColumn("q"))
            elif field.field_type == "integer":
                # Exact values only (ids): one term per value, not Whoosh's sixteen range tiers.
                schema[name] = NUMERIC(numtype=int, bits=64, stored=field.stored, sortable=True, shift_step=0)
            else:
                # No separate spelling field (a third of all postings written): "did you
                # mean" looks among the stems this field already has (see below).
                schema[name] = VerbatimText(stored=field.stored, analyzer=VerbatimTokenizer(by_language=field.document))
            if field.document:
                content_field_name = name
        if not content_field_name:
            raise SearchBackendError("No document field was found in any search index.")
        for ct in OWN_CONTENT_FIELD:
            schema[_own_field(content_field_name, ct)] = VerbatimText(analyzer=VerbatimTokenizer())
        return content_field_name, Schema(**schema)

    def _load_schema(self):
        from haystack import connections

        self.content_field_name, self.schema = self.build_schema(
            connections[self.connection_alias].get_unified_index().all_searchfields()
        )
        self.parser = QueryParser(self.content_field_name, schema=self.schema)
        self.own_parsers = {
            ct: QueryParser(_own_field(self.content_field_name, ct), schema=self.schema) for ct in OWN_CONTENT_FIELD
        }
        self.all_parser = MultifieldParser(
            [self.content_field_name, *(p.fieldname for p in self.own_parsers.values())], schema=self.schema
        )

    def setup(self, create=False):
        self._load_schema()
        if not os.path.exists(self.path):
            if not create:
                raise SearchBackendError("The search index has not been built yet.")
            self._create_linked_index()
        self.storage = MappedFileStorage(self.path)
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
        MappedFileStorage(str(target)).create_index(self.schema)
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
                refreshed = self._searcher.refresh()
                if refreshed is not self._searcher:  # a new generation: forget what removed segments held
                    live = _segment_ids(refreshed)
                    whoosh_patches.keep_segments(live)
                    bulk_scoring.keep_segments(live)
                    kept = set(live)
                    self._segment_columns = {k: v for k, v in self._segment_columns.items() if k[0] in kept}
                self._searcher = refreshed
        except SearchBackendError:
            self._searcher = None
            raise
        except INDEX_ERRORS as exc:
            self._searcher = None
            raise SearchBackendError(f"The search index could not be opened ({exc.__class__.__name__}).") from exc
        return self._searcher

    def search(
        self,
        query_string,
        sort_by=None,
        start_offset=0,
        end_offset=None,
        fields="",
        highlight=False,
        facets=None,
        date_facets=None,
        query_facets=None,
        narrow_queries=None,
        spelling_query=None,
        models=None,
        limit_to_registered_models=None,
        result_class=None,
        **kwargs,
    ):
        searcher = self._current_searcher()
        try:
            parser = self._parser_for(models)
            query = parser.parse(str(query_string))
            narrowing = [parser.parse(str(nq)) for nq in narrow_queries or ()]
            query = And([query, *narrowing]) if narrowing else query
            allow, exclude = self._model_docs(searcher, models) if models else (None, None)
            end = end_offset if end_offset is not None else start_offset + 1000
            if allow is not None and not allow:  # none of these models is indexed
                results, matched = None, []
            elif sort_by:
                sorting = SortingCollector(
                    [FieldFacet(k.lstrip("-")) for k in sort_by], limit=max(end, 1), reverse=sort_by[0].startswith("-")
                )
                results = self._collect(searcher, query, sorting, allow, exclude)
                matched = results.docs()
            else:
                narrowing = frozenset(get_model_ct(m) for m in models) if models else None
                results, matched = self._top_and_all(searcher, query, max(end, 1), allow, exclude, narrowing)
            found = []
            for offset in range(start_offset, min(end, results.scored_length() if results else 0)):
                stored = results[offset].fields()
                app_label, model_name = stored[DJANGO_CT].split(".")
                found.append(
                    (result_class or SearchResult)(
                        app_label, model_name, stored[DJANGO_ID], results.score(offset) or 0.0
                    )
                )
            return {
                "results": found,
                "hits": len(matched),
                "facets": {
                    "fields": {
                        name: self._facet_counts(searcher, name, matched, options)
                        for name, options in (facets or {}).items()
                    },
                    "dates": {},
                    "queries": {},
                },
                "spelling_suggestion": self.create_spelling_suggestion(spelling_query) if spelling_query else None,
            }
        except INDEX_ERRORS as exc:
            # A damaged or vanished segment: the index must be rebuilt, and the search page
            # says so. Anything else is a bug in this code and goes up as one (logged, a 500).
            self._searcher = None
            raise SearchBackendError(f"The search index could not be read ({exc.__class__.__name__}: {exc}).") from exc

    def _top_and_all(self, searcher, query, limit, allow, exclude, narrowing=None):
        """The `limit` best documents by score, and every matching document number.
        One word or two are scored in bulk (bulk_scoring); other queries in one pass of
        Whoosh's collector that keeps every match, for the total and the facet counts
        (Whoosh would otherwise match everything a second time). `narrowing` names the
        models `allow`/`exclude` stand for, so bulk scoring can keep each segment's matches."""
        bulk = bulk_scoring.top_and_all(searcher, query, limit, allow, exclude, narrowing)
        if bulk is not None:
            return bulk
        recorder = MatchRecordingCollector(limit=limit)
        return self._collect(searcher, query, recorder, allow, exclude), recorder.matched

    def turns_holding_most(self, words, limit: int, *, person: str = "") -> list[tuple[int, float]]:
        """(turn id, score) of the turns holding the most of the rarest of `words`, best
        first (word_overlap.py: the quote checker's candidates), within one person's turns
        when `person` (a slug) is given."""
        from transcripts.models import Turn

        searcher = self._current_searcher()
        try:
            allow, exclude = self._model_docs(searcher, [Turn])
            if person:
                held = set()
                if ("person", person) in searcher.reader():
                    held = set(searcher.postings("person", person).all_ids())
                allow = held if allow is None else held & allow
            stems = _stems_in_every_language(searcher, words)
            best = word_overlap.most_holding(
                searcher, self.content_field_name, stems, limit, allowed=allow, excluded=exclude
            )
            return [(int(searcher.stored_fields(doc)[DJANGO_ID]), score) for doc, score in best]
        except INDEX_ERRORS as exc:
            self._searcher = None
            raise SearchBackendError(f"The search index could not be read ({exc.__class__.__name__}: {exc}).") from exc

    @contextmanager
    def without_time_limit(self):
        """For the consumer's own reads (which turns the index holds for an event): they
        must finish, and no reader is waiting on them. The backend is per thread."""
        previous, self.time_limit = self.time_limit, float("inf")
        try:
            yield self
        finally:
            self.time_limit = previous

    def _collect(self, searcher, query, collector, allow, exclude):
        """Run `collector` over the matches of `query`, filtered, within the time limit."""
        limited = DeadlineFilterCollector(collector, allow, exclude or None, deadline=WORK_CLOCK() + self.time_limit)
        try:
            searcher.search_with_collector(query, limited)
        except TimeLimit:
            raise SearchTimeLimit(f"The search ran out of its {self.time_limit:g} s.") from None
        return limited.results()

    def _parser_for(self, models):
        """Words without a field are looked up in the content field the models use."""
        cts = {get_model_ct(m) for m in models or ()}
        if len(cts) == 1 and next(iter(cts)) in self.own_parsers:
            return self.own_parsers[next(iter(cts))]
        if cts and not cts & set(OWN_CONTENT_FIELD):
            return self.parser
        return self.all_parser

    def _searcher_cache(self, searcher) -> dict:
        """Facts about the documents of one searcher (they change only when it is refreshed)."""
        if self._cache_owner is not searcher:
            self._cache_owner, self._cache = searcher, {}
        return self._cache

    def _model_docs(self, searcher, models):
        """(allow, exclude): the documents of `models`, or of every other model, whichever
        set is smaller, so narrowing to turns costs a set lookup instead of intersecting
        each query with a term every turn has. Each segment's part is kept by segment id,
        so after an index update only the new segments are read."""
        wanted = {get_model_ct(m) for m in models}
        cache = self._searcher_cache(searcher)
        key = ("models", frozenset(wanted))
        if key not in cache:
            reader = searcher.reader()
            sizes: Counter = Counter()
            for leaf, _offset in reader.leaf_readers():
                sizes.update(self._segment_model_sizes(leaf))
            inside = sum(n for ct, n in sizes.items() if ct in wanted)
            keep_inside = inside < sum(sizes.values()) - inside
            # Only the smaller side is read (a few thousand people and events, not every turn).
            side = sorted(ct for ct in sizes if (ct in wanted) == keep_inside)
            docs = set()
            for leaf, offset in reader.leaf_readers():
                docs.update(self._segment_docs(leaf, side, offset))
            cache[key] = (docs, None) if keep_inside else (None, docs)
        return cache[key]

    def _segment_model_sizes(self, leaf) -> dict[str, int]:
        """How many documents of each content type a segment holds (deleted ones too, as
        Whoosh's document frequency counts them), kept by segment id: merging every
        segment's lexicon for this after each index update cost 4 ms a search."""
        key = (self._segment_key(leaf), "model sizes")
        if key not in self._segment_columns:
            self._segment_columns[key] = {ct: leaf.doc_frequency(DJANGO_CT, ct) for ct in leaf.field_terms(DJANGO_CT)}
        return self._segment_columns[key]

    def _segment_docs(self, leaf, cts: list[str], offset: int) -> frozenset[int]:
        """The segment's documents of these content types, numbered index-wide (the segment
        starting at `offset`). Deleted documents may be among them: they match nothing, so
        allowing or excluding them changes nothing. Kept by segment and offset: an update
        adds a segment after the others, whose offsets stay, so a search after it renumbers
        only the new segment's (16,000 people and events renumbered cost 10 ms a search)."""
        key = (self._segment_key(leaf), "models", tuple(cts), offset)
        if key not in self._segment_columns:
            docs = []
            for ct in cts:
                if (DJANGO_CT, ct) in leaf:
                    docs.extend(leaf.postings(DJANGO_CT, ct).all_ids())
            self._segment_columns[key] = frozenset(offset + doc for doc in docs)
        return self._segment_columns[key]

    def generation(self) -> str:
        """Names the index as it is now: the build directory and Whoosh's generation in it.
        Anything cached under this name is stale once it changes (an update commits a new
        generation, a rebuild swaps in a new directory)."""
        searcher = self._current_searcher()
        return f"{os.path.basename(self._searcher_target)}:{searcher.reader().generation()}"

    def _column_counts(self, searcher, column: str, docs) -> Counter:
        """How many of `docs` (index-wide document numbers) have each value of the column,
        read segment by segment from the kept per-segment columns."""
        leaves = searcher.reader().leaf_readers()
        starts = [offset for _reader, offset in leaves]
        by_leaf: dict[int, list[int]] = {}
        for doc in docs:
            index = bisect_right(starts, doc) - 1
            by_leaf.setdefault(index, []).append(doc - starts[index])
        total: Counter = Counter()
        for index, local in by_leaf.items():
            total.update(self._segment_values(leaves[index][0], column).counts(local))
        return total

    @staticmethod
    def _segment_key(reader):
        segment = reader.segment()
        return segment.segment_id() if segment else id(reader)

    def _segment_values(self, reader, column: str) -> FacetColumn:
        """One segment's values of a facet column, by segment document number."""
        key = (self._segment_key(reader), column)
        if key not in self._segment_columns:
            if reader.has_column(column):
                self._segment_columns[key] = FacetColumn.read(reader.column_reader(column))
                # Read once, kept compact: the column's pages of the mapped segment file are
                # not needed again, so they leave this worker's resident memory at once.
                whoosh_patches.release_column_pages(reader, column)
            else:
                self._segment_columns[key] = FacetColumn.empty(reader.doc_count_all())
        return self._segment_columns[key]

    def _value_counts(self, searcher, column: str, docs) -> dict[str, int]:
        """How many of `docs` have each value of the column (values at no documents may be
        left in, at 0). Matches from bulk scoring are counted segment by segment, and each
        segment's counts kept with its matches, so a search after an index update counts
        only the new segment's documents."""
        if not isinstance(docs, bulk_scoring.Matches):
            return self._column_counts(searcher, column, docs)
        total: dict[str, int] = {}
        for part in docs.parts:
            _add_counts(total, self._part_counts(part, column))
            if part.gone:
                _add_counts(total, self._gone_counts(part, column))
        return total

    def _part_counts(self, part, column: str) -> Counter:
        """A segment's matches' value counts, deleted documents included, kept with them."""
        if column not in part.matches.facets:
            part.matches.keep_facet(column, self._segment_values(part.reader, column).counts(part.matches.docs()))
        return part.matches.facets[column]

    def _gone_counts(self, part, column: str) -> dict[str, int]:
        """What the part's matches deleted since they were read take from its counts (negative)."""
        return {value: -n for value, n in self._segment_values(part.reader, column).counts(part.gone).items()}

    def _facet_counts(self, searcher, name, docs, options=None) -> list[tuple[str, int]]:
        """(value, count) for the values `docs` have, the most frequent first (ties by value);
        with haystack's facet options `size`, only that many, and `by_value`, the greatest
        values first instead (engine.FACET_OPTIONS). Every count is exact."""
        options = options or {}
        size, by_value = options.get("size"), options.get("by_value", False)
        counted = self._value_counts(searcher, name + SET_SUFFIX if name in self.multivalued else name, docs)
        if name in self.multivalued:
            counts: dict[str, int] = {}
            for key, count in counted.items():
                for value in key.split(",") if key and count > 0 else ():
                    counts[value] = counts.get(value, 0) + count
        else:
            counts = counted
        counts.pop("", None)  # no value
        return _top_values(counts, size, by_value=by_value)

    def create_spelling_suggestion(self, query_string):
        """The words with each word the index lacks replaced by the closest one it has;
        None when every word is known, or when some unknown word has nothing close.
        Corrections are found among the index's stems, then written as a word that has
        that stem (the misspelt word's own ending, when it fits)."""
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
            suggestions = corrector.suggest(analysed[0].text, limit=1, maxdist=2, prefix=1)
            if not suggestions:  # a word with no near match: no suggestion would find anything
                return None
            changed = True
            words.append(_word_with_stem(next(terms(word, stem_words=False)).text, analysed[0].text, suggestions[0]))
        return " ".join(words) if changed else None

    # Writing --------------------------------------------------------------------------

    @contextmanager
    def batched(self, create=False, **writer_options):
        """Collect every update/remove inside the block into one commit. Only `create`
        (clear() and nothing else) makes an index where there is none: the consumer
        writing into a new empty index would leave one holding only its batch."""
        if self._batch_writer is not None:
            yield self
            return
        try:
            self.setup(create=create)
            self._batch_writer = self.index.writer(timeout=WRITE_LOCK_TIMEOUT, **writer_options)
        except INDEX_ERRORS as exc:
            raise SearchBackendError(f"The search index could not be opened for writing ({exc!r}).") from exc
        self._commit_options = {}
        try:
            yield self
        except BaseException:
            self._close_batch_searcher()
            self._batch_writer.cancel()
            raise
        else:
            self._close_batch_searcher()
            self._batch_writer.commit(**self._commit_options)
        finally:
            self._batch_writer = None

    def _close_batch_searcher(self):
        if self._batch_searcher is not None:
            self._batch_searcher.close()
            self._batch_searcher = None

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
        if doc.get(DJANGO_CT) in OWN_CONTENT_FIELD and self.content_field_name in doc:
            doc[_own_field(self.content_field_name, doc[DJANGO_CT])] = doc.pop(self.content_field_name)
        for name in self.multivalued & doc.keys():
            doc[name + SET_SUFFIX] = ",".join(sorted(filter(None, doc[name].split(","))))
        return doc

    def update(self, index, iterable, commit=True):
        with self.batched():
            for obj in iterable:
                doc = self._document(index, obj)
                if doc is not None:
                    if not self._fresh:
                        self._delete_existing(doc[ID])
                    self._batch_writer.add_document(**doc)

    def _delete_existing(self, identifier):
        """What Whoosh's update_document does, with one searcher per batch: Whoosh opens
        a reader over every segment for each document, most of the time of an update.
        The writer's reader only sees committed segments either way, and deletions it
        makes are marked on those shared segments, so the answers are the same."""
        if self._batch_searcher is None:
            self._batch_searcher = self._batch_writer.searcher()
        docnum = self._batch_searcher.document_number(**{ID: identifier})
        if docnum is not None:
            self._batch_writer.delete_document(docnum)

    def remove_many(self, identifiers):
        with self.batched():
            for identifier in identifiers:
                self._batch_writer.delete_by_term(ID, identifier)

    def remove(self, obj_or_string, commit=True):
        self.remove_many([get_identifier(obj_or_string)])

    def clear(self, models=None, commit=True):
        if models is None:
            with self.batched(create=True):
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
        aside._fresh = True  # nothing to replace in an empty index
        # Analysis and posting writes run in one writer process per available core
        # (each leaves its own segment); preparing documents stays in this process. Each
        # writer holds about limitmb of postings before it spills a sorted run to disk and
        # merges the runs at the end: at 100,000 turns 1 GB means no spill.
        procs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
        options = (
            {"limitmb": 1024, "procs": procs, "multisegment": True, "batchsize": 250}
            if procs > 1
            else {"limitmb": 1024}
        )
        try:
            with aside.batched(**options):
                yield aside
        except BaseException:
            shutil.rmtree(target, ignore_errors=True)
            raise
        self._swap_in(target)


def _segment_ids(searcher) -> list[str]:
    return [leaf.segment().segment_id() for leaf, _offset in searcher.reader().leaf_readers() if leaf.segment()]


class VerbatimWhooshEngine(BaseEngine):
    backend = VerbatimWhooshSearchBackend
    query = WhooshSearchQuery


def _stems_in_every_language(searcher, words) -> list[str]:
    """The index terms of `words` as each language the index holds stems them: a turn is
    indexed with its event's stemmer, so a quote from a French event is found by its French
    stems (English first: the stemmer of a text whose language is not said)."""
    languages = [""]
    if "language" in searcher.schema:
        languages += [code.decode() if isinstance(code, bytes) else code for code in searcher.lexicon("language")]
    return list(
        dict.fromkeys(term.text for language in languages for word in words for term in terms(word, language=language))
    )
