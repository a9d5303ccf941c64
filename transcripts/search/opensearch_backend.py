"""Verbatim's OpenSearch adapter: haystack's Elasticsearch 7 backend, with these changes.

- Analysis matches transcripts.search.text (what highlighting marks): words are runs of
  letters and digits, folded (lower case, accents and letters like ø to ASCII), the
  project's STOP_WORDS dropped, Porter-stemmed. tests/search/test_search_engines.py asks the
  engine's own analyzer and compares.
- The name in SEARCH_URL is an alias. An index is created only by clear() or a rebuild
  (`build_aside()`): a new index behind the scenes, swapped in under the alias in one
  atomic step, so search answers from the old one until the new one is complete.
  While it is built nobody reads it, so it is built the fast way: no replicas, no
  periodic refresh, documents sent in bulk requests of BULK_DOCUMENTS across events;
  the index's real settings are put back and its replicas copied before the swap.
  Reads and the queue consumer never create an index: a missing one is an error the
  search page and the consumer report (SearchBackendError).
- Every engine error (unreachable node, refused write) becomes SearchBackendError, never
  an empty result: haystack's silent failure would show "no results" for an outage.
- Shards, replicas and how many copies must take a write are SEARCH_URL options
  (archive/env.py); with write_copies=all a write is refused while a copy's node is
  away, and the queue keeps it until the node is back.
- A document the engine refuses (its mapping cannot take a value) is DocumentRefused, a
  plain error: the consumer sets that object aside after its tries, as on Whoosh.
- Searches as on Whoosh: the total counted exactly (not stopped at 10,000), facets of
  the size the page shows (years newest first), the spelling suggester only where
  "did you mean" is asked for.
- `matching_pks()` reads every match with the scroll API, past the engine's 10,000-hit
  window (the consumer asks which turns the index holds for an event).
- Languages: a field's analyzer is fixed in the mapping, so a turn of an event in another
  language keeps its words in a content field of that language's stemmer ("text_french",
  "text_unstemmed"; transcripts.languages.STEMMERS, the Snowball algorithms PyStemmer runs
  for Whoosh). A search narrowed to a language (text.searching_in) reads that field, the
  words typed stemmed in that language; any other search reads them all, the words
  stemmed as English, as Whoosh does.
"""

from __future__ import annotations

import copy
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import wraps

import elasticsearch
from elasticsearch.helpers import BulkIndexError, bulk, scan
from haystack import connections
from haystack.backends.elasticsearch7_backend import (
    Elasticsearch7SearchBackend,
    Elasticsearch7SearchEngine,
    Elasticsearch7SearchQuery,
)
from haystack.constants import ID
from haystack.exceptions import SearchBackendError, SkipDocument
from haystack.utils import get_identifier

from transcripts.languages import DEFAULT_STEMMER, NO_STEMMER, STEMMERS, stemmer_name
from transcripts.normalise import PUNCTUATION, STOP_WORDS
from transcripts.search.text import search_language

ANALYZER = "verbatim"
# Did-you-mean reads whole words, not stems: the content field keeps its words unstemmed
# in a subfield the engine's term suggester reads.
SPELLING_ANALYZER = "verbatim_words"
SPELLING_SUBFIELD = "words"
ENGLISH_SEARCH_SUBFIELD = "english"  # see build_schema
# What normalise.WORD_RE calls a word: letters and digits (and the accents after them).
WORD_SEPARATORS = r"[^\p{L}\p{N}\p{M}]+"
# OpenSearch's name (its `snowball` filter) for each Snowball algorithm PyStemmer runs.
SNOWBALL_NAMES = {
    "danish": "Danish",
    "dutch_porter": "Dutch",
    "finnish": "Finnish",
    "french": "French",
    "german": "German2",  # the nearer to PyStemmer's German (umlauts written ae, oe, ue)
    "hungarian": "Hungarian",
    "italian": "Italian",
    "norwegian": "Norwegian",
    "portuguese": "Portuguese",
    "romanian": "Romanian",
    "russian": "Russian",
    "spanish": "Spanish",
    "swedish": "Swedish",
    "turkish": "Turkish",
}
# The stemmers other than English a content field of its own is kept for, and "" for the
# languages searched unstemmed.
OTHER_STEMMERS = (*sorted(set(STEMMERS.values()) - {DEFAULT_STEMMER}), NO_STEMMER)
WRITE_WAIT = "5s"  # how long a write waits for the copies it needs before it is refused
SCROLL_PAGE = 1000
# A rebuild sends documents in requests of this many (a turn document is about 1 kB, so
# a request is a few MB: big enough to amortise the round trip, small enough for a 512 MB
# node heap).
BULK_DOCUMENTS = 2000
# While a rebuild writes its index: no replica to write each document to twice, and no
# refresh every second making new segments nobody reads. Put back before the swap.
BUILDING_SETTINGS = {"number_of_replicas": 0, "refresh_interval": "-1"}
# How long the swap waits for the new index's replicas to be copied (a million turns is
# about a gigabyte per copy); past that it swaps with the primaries alone unless every
# copy was asked for (write_copies=all), in which case the rebuild fails.
REPLICA_WAIT_SECONDS = 900
# The alias moves to the new index at once, but the old one is deleted only this long after:
# a search that resolved the alias just before the move is still reading the old index, and
# deleting it under that search fails it (its search context missing, its analyzers closed,
# or "all shards failed" with none named). Longer than a search takes.
SWAP_DRAIN_SECONDS = 3.0


def _analysis_settings() -> dict:
    mappings = sorted(f"{chr(k)}=>{v}" for k, v in PUNCTUATION.items() if v.strip())
    return {
        "char_filter": {"verbatim_punctuation": {"type": "mapping", "mappings": mappings}},
        "tokenizer": {"verbatim_words": {"type": "pattern", "pattern": WORD_SEPARATORS}},
        "filter": {
            "verbatim_stop": {"type": "stop", "stopwords": sorted(STOP_WORDS)},
            "verbatim_porter": {"type": "snowball", "language": "Porter"},  # text.stem's algorithm
            **{
                f"verbatim_{algorithm}": {"type": "snowball", "language": SNOWBALL_NAMES[algorithm]}
                for algorithm in OTHER_STEMMERS
                if algorithm != NO_STEMMER
            },
        },
        "analyzer": {
            **{
                language_analyzer(algorithm): {
                    "type": "custom",
                    "char_filter": ["verbatim_punctuation"],
                    "tokenizer": "verbatim_words",
                    "filter": ["lowercase", "asciifolding", "verbatim_stop", f"verbatim_{algorithm}"],
                }
                for algorithm in OTHER_STEMMERS
                if algorithm != NO_STEMMER
            },
            ANALYZER: {
                "type": "custom",
                "char_filter": ["verbatim_punctuation"],
                "tokenizer": "verbatim_words",
                "filter": ["lowercase", "asciifolding", "verbatim_stop", "verbatim_porter"],
            },
            SPELLING_ANALYZER: {
                "type": "custom",
                "char_filter": ["verbatim_punctuation"],
                "tokenizer": "verbatim_words",
                "filter": ["lowercase", "asciifolding", "verbatim_stop"],
            },
        },
    }


# A facet's values are counted on each shard, and each shard's top values only are
# returned: a value that is not near the top on every shard could be undercounted.
FACET_SHARD_SIZE = 200


def language_analyzer(algorithm: str) -> str:
    """The analyzer of a content field for one stemmer (the unstemmed one: the spelling's)."""
    return f"{ANALYZER}_{algorithm}" if algorithm != NO_STEMMER else SPELLING_ANALYZER


def language_field(content_field: str, algorithm: str) -> str:
    """Where a document whose words this stemmer stems keeps them ("text" for English)."""
    if algorithm == DEFAULT_STEMMER:
        return content_field
    return f"{content_field}_{algorithm or 'unstemmed'}"


class DocumentRefused(ValueError):
    """The engine refused a document itself (a value its mapping cannot take): the
    object's fault, not the engine's, so the consumer retries it alone and sets it aside
    after its tries, and the rest of the queue goes on."""


def _raise_for_refused(exc: BulkIndexError):
    """A bulk write with failed documents: DocumentRefused when every failure is the
    document's (a 4xx other than 429, too many requests); otherwise the engine could not
    take the write (a copy missing, overloaded) and the error goes up as it is."""
    statuses = [next(iter(item.values())).get("status", 500) for item in exc.errors]
    if statuses and all(400 <= status < 500 and status != 429 for status in statuses):
        first = next(iter(exc.errors[0].values())).get("error")
        raise DocumentRefused(f"OpenSearch refused {len(statuses)} document(s): {first!r}"[:1000]) from exc
    raise exc


def _engine_errors(method):
    """Turn the client's errors into SearchBackendError, which the search page shows as
    "search unavailable" and the consumer answers by keeping its tasks."""

    @wraps(method)
    def guarded(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except elasticsearch.ElasticsearchException as exc:
            raise SearchBackendError(f"OpenSearch at {self.url}: {exc!r}"[:1000]) from exc

    return guarded


# How OpenSearch says the index a search was reading went away under it: its search
# context dropped between the query and fetch phases (404), the index gone (404), or its
# analyzers closed while the query was being built on a shard (400).
_INDEX_GONE_KINDS = ("search_context_missing_exception", "index_not_found_exception", "already_closed_exception")


def _index_gone_under(exc) -> bool:
    """Whether a search failed because the index it was reading was deleted meanwhile."""
    return any(kind in repr(exc) for kind in _INDEX_GONE_KINDS)


class VerbatimOpenSearchBackend(Elasticsearch7SearchBackend):
    DEFAULT_FIELD_MAPPING = {"type": "text", "analyzer": ANALYZER}

    def __init__(self, connection_alias, **connection_options):
        options = {"SILENTLY_FAIL": False, **connection_options}
        super().__init__(connection_alias, **options)
        self.options = options
        self.url = options["URL"]
        self.shards = int(options.get("SHARDS", 2))
        self.replicas = int(options.get("REPLICAS", 1))
        self.write_copies = str(options.get("WRITE_COPIES", "1"))
        self._batching = False
        self._pending = None  # documents waiting for a bulk request, while a rebuild writes
        self._sender = None  # while a rebuild writes: the thread sending its bulk requests
        self._in_flight = None  # the bulk request that thread is sending

    def index_settings(self, building: bool = False) -> dict:
        index = {
            "number_of_shards": self.shards,
            "number_of_replicas": self.replicas,
            "write.wait_for_active_shards": self.write_copies,
        }
        if building:
            index.update(BUILDING_SETTINGS, **{"write.wait_for_active_shards": "1"})
        return {
            "settings": {
                "index": index,
                "analysis": _analysis_settings(),
            }
        }

    def build_schema(self, fields):
        content_field, mapping = super().build_schema(fields)
        if content_field:
            words = {"type": "text", "analyzer": SPELLING_ANALYZER}
            mapping[content_field] = {**mapping[content_field], "fields": {SPELLING_SUBFIELD: words}}
            for algorithm in OTHER_STEMMERS:
                # The words as their language stems them, searched in that language; the
                # subfield holds the same terms for a search in no language, whose words
                # are stemmed as English (as on Whoosh, which has one content field).
                analyzer = language_analyzer(algorithm)
                english = {"type": "text", "analyzer": analyzer, "search_analyzer": ANALYZER}
                mapping[language_field(content_field, algorithm)] = {
                    "type": "text",
                    "analyzer": analyzer,
                    "fields": {ENGLISH_SEARCH_SUBFIELD: english},
                }
        return content_field, mapping

    def _content_fields(self) -> list[str]:
        """The content fields a search reads: the one of the language it is narrowed to, else all."""
        content = self.content_field_name or "text"
        language = search_language()
        if language:
            return [language_field(content, stemmer_name(language))]
        others = (language_field(content, algorithm) for algorithm in OTHER_STEMMERS)
        return [content, *(f"{field}.{ENGLISH_SEARCH_SUBFIELD}" for field in others)]

    def build_search_kwargs(self, query_string, **kwargs):
        search = super().build_search_kwargs(query_string, **kwargs)
        if not kwargs.get("spelling_query"):
            # Haystack asks for spelling on every search; only the turn search that shows
            # "did you mean" wants it (as on Whoosh). The people and events boxes above the
            # results paid for a suggester and a second request to check its words.
            search.pop("suggest", None)
        # The engine stops counting at 10,000 matches unless asked: the archive's totals
        # are exact on both engines ("total_is_estimate": false).
        search["track_total_hits"] = True
        for aggregation in search.get("aggs", {}).values():
            terms = aggregation.get("terms")
            if terms is None:
                continue
            # The search's facet options (engine.FACET_OPTIONS): `size` is the engine's own,
            # `by_value` lists the values in descending order (the latest years) rather than
            # the most frequent.
            if terms.pop("by_value", False):
                terms["order"] = {"_key": "desc"}
            terms.setdefault("shard_size", FACET_SHARD_SIZE)
        words = _query_string(search.get("query"))
        if words is not None and "default_field" in words:
            del words["default_field"]
            words["fields"] = self._content_fields()
        term = search.get("suggest", {}).get("suggest", {}).get("term")
        if term is not None:
            term["field"] = f"{self.content_field_name or 'text'}.{SPELLING_SUBFIELD}"
        return search

    def _process_results(self, raw_results, *args, **kwargs):
        """Did-you-mean from the engine's term suggester, checked against the whole index:
        the suggester judges "missing" shard by shard, so it corrected a word that only
        the other shard holds. A word the index holds is kept as typed; a word neither
        held nor close to one means no suggestion at all (haystack kept it as typed)."""
        results = super()._process_results(raw_results, *args, **kwargs)
        entries = (raw_results.get("suggest") or {}).get("suggest") or []
        if entries:
            held = self._held_words([entry["text"] for entry in entries])
            fixed = []
            for entry in entries:
                if entry["text"] in held or not entry["options"]:
                    fixed.append(entry["text"] if entry["text"] in held else None)
                else:
                    fixed.append(entry["options"][0]["text"])
            results["spelling_suggestion"] = None if None in fixed else " ".join(fixed)
        return results

    def _held_words(self, words: list[str]) -> set[str]:
        """Which of `words` the spelling subfield holds anywhere, in one request."""
        field = f"{self.content_field_name or 'text'}.{SPELLING_SUBFIELD}"
        aggs = {str(i): {"filter": {"term": {field: word}}} for i, word in enumerate(words)}
        answer = self.conn.search(index=self.index_name, body={"size": 0, "aggs": aggs})["aggregations"]
        return {word for i, word in enumerate(words) if answer[str(i)]["doc_count"]}

    def _schema(self) -> dict:
        unified_index = connections[self.connection_alias].get_unified_index()
        self.content_field_name, field_mapping = self.build_schema(unified_index.all_searchfields())
        return self._get_current_mapping(field_mapping)

    @_engine_errors
    def setup(self):
        """Read the schema; never create the index (see the module's docstring)."""
        if not self.conn.indices.exists(index=self.index_name):
            raise SearchBackendError(
                f"There is no search index {self.index_name!r} on {self.url}: "
                "run `manage.py rebuild_index --noinput` to build it."
            )
        self._schema()
        self.setup_complete = True

    @_engine_errors
    def update(self, index, iterable, commit=True):
        if not self.setup_complete:
            self.setup()
        documents = []
        for obj in iterable:
            try:
                prepared = self._prepare_object(index, obj)
            except SkipDocument:
                continue
            document = {key: self._from_python(value) for key, value in prepared.items()}
            content = self.content_field_name
            algorithm = stemmer_name(getattr(prepared.get(content), "language", ""))
            if algorithm != DEFAULT_STEMMER:  # another language's words: its own field
                document[language_field(content, algorithm)] = str(document.pop(content))
            document["_id"] = document[ID]
            documents.append(document)
        if self._pending is not None:  # a rebuild: gathered across calls
            self._pending.extend(documents)
            if len(self._pending) >= BULK_DOCUMENTS:
                self._send_pending()
            return
        self._send(documents)
        if commit and not self._batching:
            self.conn.indices.refresh(index=self.index_name)

    def _send(self, documents):
        if documents:
            try:
                bulk(self.conn, documents, index=self.index_name, timeout=WRITE_WAIT, chunk_size=BULK_DOCUMENTS)
            except BulkIndexError as exc:
                _raise_for_refused(exc)

    @_engine_errors
    def _send_pending(self):
        """Hand what a rebuild gathered to its sending thread, so the next documents are
        read and prepared while the cluster indexes these (sent in turn, the rebuild took
        the two times added). At most one request in flight: memory stays at two batches."""
        documents, self._pending = self._pending, []
        self._wait_for_sending()
        self._in_flight = self._sender.submit(self._send, documents)

    @_engine_errors
    def _wait_for_sending(self):
        """Wait for the bulk request in flight; its refusal or error is raised here."""
        in_flight, self._in_flight = self._in_flight, None
        if in_flight is not None:
            in_flight.result()

    @_engine_errors
    def remove_many(self, identifiers, commit=True):
        if not self.setup_complete:
            self.setup()
        actions = ({"_op_type": "delete", "_id": identifier} for identifier in identifiers)
        # A document already gone is what was asked for, not an error.
        _, errors = bulk(self.conn, actions, index=self.index_name, timeout=WRITE_WAIT, raise_on_error=False)
        refused = [error for error in errors if error.get("delete", {}).get("status") != 404]
        if refused:
            message = f"OpenSearch at {self.url} refused {len(refused)} removal(s): {refused[0]!r}"
            raise SearchBackendError(message[:1000])
        if commit and not self._batching:
            self.conn.indices.refresh(index=self.index_name)

    def remove(self, obj_or_string, commit=True):
        self.remove_many([get_identifier(obj_or_string)], commit=commit)

    @contextmanager
    def batched(self, **_options):
        """One refresh for every write inside the block instead of one per call."""
        if self._batching:
            yield self
            return
        self._batching = True
        try:
            yield self
        finally:
            self._batching = False
        self._refresh()

    @_engine_errors
    def _refresh(self):
        if self.conn.indices.exists(index=self.index_name):
            self.conn.indices.refresh(index=self.index_name)

    def clear(self, models=None, commit=True):
        if models is not None:
            return self._guarded_clear(models, commit)
        with self.build_aside():  # an empty index, swapped in
            pass

    @_engine_errors
    def _guarded_clear(self, models, commit):
        if not self.setup_complete:
            self.setup()
        return super().clear(models, commit)

    @_engine_errors
    def search(self, query_string, **kwargs):
        if not self.setup_complete:
            self.setup()
        try:
            return super().search(query_string, **kwargs)
        except (elasticsearch.NotFoundError, elasticsearch.RequestError) as exc:
            if not _index_gone_under(exc):
                raise
            # A rebuild moved the alias and deleted the index this search had started on
            # (between its query and fetch phases): the alias names the new index now, so
            # the same search once more answers from it.
            return super().search(query_string, **kwargs)

    @contextmanager
    def build_aside(self):
        """A backend writing a brand-new index; when the block ends without error the
        index gets its real settings and replicas, then the alias moves to it (and the
        indices it named are deleted once the searches reading them are done)."""
        name = f"{self.index_name}-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:6]}"
        aside = type(self)(self.connection_alias, **{**self.options, "INDEX_NAME": name})
        aside._create(self._schema(), building=True)
        aside._batching = True  # nobody reads it before the swap: one refresh, at the end
        aside._pending = []
        try:
            # Leaving this block, however it ends, waits for the request in flight (at most
            # one, nothing queued), so nothing writes to the index after it is deleted.
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="opensearch-rebuild") as aside._sender:
                yield aside
                aside._send_pending()
                aside._wait_for_sending()
            aside._pending = None
            aside._batching = False
            aside._finish_build()
            self._swap_alias(name)
        except BaseException:
            aside._delete()
            raise
        self.setup_complete = False  # the schema is read again from the new index

    @_engine_errors
    def _create(self, mapping, building=False):
        body = copy.deepcopy(self.index_settings(building=building))
        body["mappings"] = mapping
        # Its primaries are ready before the first write goes to them.
        self.conn.indices.create(index=self.index_name, body=body, wait_for_active_shards=1)
        self.setup_complete = True

    @_engine_errors
    def _finish_build(self):
        """The documents made searchable and committed, the settings BUILDING_SETTINGS
        changed put back, and the replicas copied (waited for while the cluster has the
        nodes to hold them)."""
        self.conn.indices.refresh(index=self.index_name)
        # Committed to disk first: a replica then copies the segment files. Unflushed, it
        # replays every write from the primary's translog, indexing each document again
        # (minutes at 100,000 turns, against seconds).
        self.conn.indices.flush(index=self.index_name, wait_if_ongoing=True, request_timeout=REPLICA_WAIT_SECONDS)
        real = self.index_settings()["settings"]["index"]
        restored = {key: real.get(key) for key in ("number_of_replicas", "refresh_interval")}
        restored["write.wait_for_active_shards"] = self.write_copies
        self.conn.indices.put_settings(index=self.index_name, body={"index": restored})
        if self.replicas == 0:
            return
        missing = f"The rebuilt index {self.index_name!r} did not get all its copies"
        advice = "so it was not swapped in (write_copies=all): start every node, then run rebuild_index again."
        if self.conn.cluster.health()["number_of_data_nodes"] <= self.replicas:
            # A replica never shares a node with its primary: it waits for a node to come.
            if self.write_copies == "all":
                raise SearchBackendError(f"{missing} (too few nodes), {advice}")
            return
        health = self.conn.cluster.health(
            index=self.index_name,
            wait_for_status="green",
            timeout=f"{REPLICA_WAIT_SECONDS}s",
            request_timeout=REPLICA_WAIT_SECONDS + 30,
            ignore=408,  # timed out: answered below
        )
        if health.get("timed_out") and self.write_copies == "all":
            raise SearchBackendError(f"{missing} in {REPLICA_WAIT_SECONDS} s, {advice}")

    @_engine_errors
    def _delete(self):
        self.conn.indices.delete(index=self.index_name, ignore=404)

    @_engine_errors
    def _swap_alias(self, new_index):
        """Move the alias to `new_index` in one atomic request, then, once the searches
        already reading the old indices have had time to finish, delete those."""
        actions = [{"add": {"index": new_index, "alias": self.index_name}}]
        old = []
        if self.conn.indices.exists_alias(name=self.index_name):
            old = [name for name in sorted(self.conn.indices.get_alias(name=self.index_name)) if name != new_index]
            actions += [{"remove": {"index": name, "alias": self.index_name}} for name in old]
        elif self.conn.indices.exists(index=self.index_name):  # a plain index by the alias's name
            actions.append({"remove_index": {"index": self.index_name}})  # must go in the same request
        self.conn.indices.update_aliases(body={"actions": actions})
        if old:
            time.sleep(SWAP_DRAIN_SECONDS)
            self.conn.indices.delete(index=",".join(old), ignore_unavailable=True)

    @_engine_errors
    def indices_behind_alias(self) -> list[str]:
        if not self.conn.indices.exists_alias(name=self.index_name):
            return []
        return sorted(self.conn.indices.get_alias(name=self.index_name))

    @_engine_errors
    def matching_pks(self, sqs) -> set[int]:
        """The primary keys of every document `sqs` matches, however many."""
        if not self.setup_complete:
            self.setup()
        query = sqs.query
        kwargs = self.build_search_kwargs(query.build_query(), models=query.models, narrow_queries=query.narrow_queries)
        hits = scan(self.conn, query={"query": kwargs["query"]}, index=self.index_name, size=SCROLL_PAGE, _source=False)
        return {int(hit["_id"].rsplit(".", 1)[1]) for hit in hits}


def _query_string(query: dict | None) -> dict | None:
    """The query_string clause haystack made of the words typed, inside its bool filters."""
    if not query:
        return None
    if "query_string" in query:
        return query["query_string"]
    must = query.get("bool", {}).get("must")
    return _query_string(must) if isinstance(must, dict) else None


class VerbatimOpenSearchEngine(Elasticsearch7SearchEngine):
    backend = VerbatimOpenSearchBackend
    query = Elasticsearch7SearchQuery
