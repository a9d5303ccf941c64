"""Applying index work: the queue consumer and the full rebuild.

The database is the source of truth. A task only says "this turn / event / person may
have changed"; the consumer reads what the database holds now and makes the index
agree: published turns are (re)written, anything else is removed. So tasks can be
applied twice, late or out of order without harm.

One process writes at a time (a file lock beside the index): the consumer for a batch,
or a rebuild for its whole run; meanwhile tasks simply wait in the table. Everything
goes through haystack's backend API; `batched()` (one commit per batch) and
`build_aside()` (build elsewhere, swap in) are used when the backend offers them.
"""

from __future__ import annotations

import fcntl
import logging
import threading
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone
from haystack import connections
from haystack.exceptions import SearchBackendError
from haystack.query import SearchQuerySet
from haystack.utils import get_model_ct

from transcripts.models import Appearance, Event, Person, Turn
from transcripts.search.models import IndexTask
from transcripts.search.queue import EVENT, PERSON, TURN
from transcripts.search.search_indexes import TURN_COLUMNS

BATCH_SIZE = 500  # tasks per consumer batch
CHUNK = 500  # objects per database read / index update
ALIAS = "default"
log = logging.getLogger(__name__)
_thread_lock = threading.Lock()


@contextmanager
def writer_lock():
    """Held by whoever writes the index. flock is per open file, so this excludes other
    threads as well as other processes."""
    path = Path(settings.VAR_DIR) / "search-writer.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with _thread_lock, open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def backend():
    return connections[ALIAS].get_backend()


def search_index(model):
    return connections[ALIAS].get_unified_index().get_index(model)


def _chunks(ids, size=CHUNK):
    ids = iter(sorted(ids))
    while chunk := list(islice(ids, size)):
        yield chunk


def _identifier(model, pk) -> str:
    return f"{get_model_ct(model)}.{pk}"


def _indexed_pks(model, **filters) -> set[int]:
    """Which objects of `model` the index holds that match `filters` (read back, since the
    database may no longer know them)."""
    sqs = SearchQuerySet().using(ALIAS).models(model).filter(**filters)
    every_match = getattr(sqs.query.backend, "matching_pks", None)
    if every_match is not None:  # OpenSearch: a page is at most 10,000 hits, so scroll
        return every_match(sqs)
    # No index is not "an index holding nothing": that error goes up, and the consumer waits.
    total = sqs.count()
    return {int(result.pk) for result in sqs[:total]} if total else set()


def _write(target, model, queryset, pks) -> set[int]:
    """Write the objects of `queryset` among `pks`; return the pks written."""
    index, written = search_index(model), set()
    for chunk in _chunks(pks):
        objects = list(queryset.filter(pk__in=chunk))
        target.update(index, objects)
        written.update(obj.pk for obj in objects)
    return written


def _remove(target, model, pks):
    identifiers = [_identifier(model, pk) for pk in sorted(pks)]
    if not identifiers:
        return
    if hasattr(target, "remove_many"):
        target.remove_many(identifiers)
    else:
        for identifier in identifiers:
            target.remove(identifier)


def sync(turn_ids=(), event_ids=(), person_ids=()) -> None:
    """Make the index agree with the database for these objects and what depends on them."""
    with getattr(backend(), "without_time_limit", nullcontext)():
        _sync(turn_ids, event_ids, person_ids)


def _sync(turn_ids, event_ids, person_ids) -> None:
    turn_ids, event_ids, person_ids = set(turn_ids), set(event_ids), set(person_ids)
    event_doc_ids, person_doc_ids = set(event_ids), set(person_ids)
    if person_ids:  # a renamed person renames their turns and the events they spoke at
        turn_ids |= set(Turn.objects.filter(appearance__person_id__in=person_ids).values_list("pk", flat=True))
        event_doc_ids |= set(Appearance.objects.filter(person_id__in=person_ids).values_list("event_id", flat=True))
    if event_ids:
        # An event's title, date, topics and status show in every turn; its speakers'
        # documents list the published events they spoke at. Their turns at other events
        # are not touched: nothing about this event shows in them (rewriting every turn of
        # a frequent speaker on each import made ingest grow with the archive).
        turn_ids |= set(Turn.objects.filter(event_id__in=event_ids).values_list("pk", flat=True))
        turn_ids |= _indexed_pks(Turn, event_id__in=sorted(event_ids))
        speakers = Appearance.objects.filter(event_id__in=event_ids, person__isnull=False)  # not event-only ones
        person_doc_ids |= set(speakers.values_list("person_id", flat=True))
        person_doc_ids |= _indexed_pks(Person, event_ids__in=[str(pk) for pk in event_ids])
    target = backend()
    with getattr(target, "batched", nullcontext)():
        for model, pks in ((Turn, turn_ids), (Event, event_doc_ids), (Person, person_doc_ids)):
            written = _write(target, model, search_index(model).index_queryset(using=ALIAS), pks)
            _remove(target, model, pks - written)


MAX_ATTEMPTS = 3  # failed tries before a task is set aside
TRANSIENT_DB_ERRORS = ("locked", "busy", "connection", "could not connect", "server closed", "timeout")


class IndexUnavailable(SearchBackendError):
    """The index is missing or unreadable: the consumer leaves the queue alone (it never
    builds an index from scratch, which would hold only the queued changes)."""


@dataclass(frozen=True)
class SetAside:
    model: str
    object_id: int
    attempts: int
    error: str

    def __str__(self):
        return f"{self.model} {self.object_id} (tried {self.attempts} times): {self.error}"


@dataclass
class BatchOutcome:
    taken: int = 0  # tasks read from the queue
    applied: int = 0  # tasks done and removed from the queue
    failed: int = 0  # tasks that failed this time (still queued, or set aside)
    set_aside: list[SetAside] = field(default_factory=list)  # set aside by this batch


def _is_transient(exc: Exception) -> bool:
    """A database that is busy or unreachable fails every task alike; that is not the
    tasks' fault, so it is retried later without counting against them."""
    if isinstance(exc, InterfaceError):
        return True
    return isinstance(exc, OperationalError) and any(word in str(exc).lower() for word in TRANSIENT_DB_ERRORS)


def _sync_tasks(tasks) -> None:
    """Sync what `tasks` name. Outside any transaction: it only reads the database, and a
    transaction would be a write transaction on SQLite (BEGIN IMMEDIATE), locking every
    other writer out for as long as the index takes to write. In autocommit a failed
    query leaves the connection usable; inside a caller's transaction (the tests) a
    savepoint does that on PostgreSQL."""
    by_model = {TURN: set(), EVENT: set(), PERSON: set()}
    for _, model, object_id in tasks:
        by_model.setdefault(model, set()).add(object_id)
    with transaction.atomic() if transaction.get_connection().in_atomic_block else nullcontext():
        sync(by_model[TURN], by_model[EVENT], by_model[PERSON])


def _sync_one_by_one(tasks) -> dict[tuple[str, int], Exception]:
    """After a batch failed: each object on its own (in one index commit), so one bad
    object cannot hold back the others. Returns the failures by (model, object id)."""
    failures = {}
    keys = dict.fromkeys((model, object_id) for _, model, object_id in tasks)
    target = backend()
    with getattr(target, "batched", nullcontext)():
        for model, object_id in keys:
            try:
                _sync_tasks([(None, model, object_id)])
            except SearchBackendError:
                raise
            except Exception as exc:  # recorded on the task and logged in full
                if _is_transient(exc):
                    raise
                log.exception("Index queue: %s %s failed", model, object_id)
                failures[(model, object_id)] = exc
    return failures


@transaction.atomic
def _record(tasks, failures) -> tuple[int, list[SetAside]]:
    """Drop the tasks that were applied; count a try against the others, setting aside
    those that have failed MAX_ATTEMPTS times."""
    done = [task_id for task_id, model, object_id in tasks if (model, object_id) not in failures]
    for chunk in _chunks(done):
        IndexTask.objects.filter(id__in=chunk).delete()
    set_aside = []
    for (model, object_id), exc in failures.items():
        ids = [task_id for task_id, m, o in tasks if (m, o) == (model, object_id)]
        error = f"{exc.__class__.__name__}: {exc}"[:2000]
        IndexTask.objects.filter(id__in=ids).update(attempts=F("attempts") + 1, last_error=error)
        tried = max(IndexTask.objects.filter(id__in=ids).values_list("attempts", flat=True))
        if tried >= MAX_ATTEMPTS:
            IndexTask.objects.filter(id__in=ids).update(set_aside_at=timezone.now())
            set_aside.append(SetAside(model, object_id, tried, error))
    return len(done), set_aside


def process_batch(limit: int = BATCH_SIZE) -> BatchOutcome:
    """Apply up to `limit` queued tasks (not those set aside). A batch that fails is
    retried object by object; what still fails is left queued with its error, and set
    aside after MAX_ATTEMPTS tries. Raises IndexUnavailable when there is no usable
    index, and transient database errors, leaving every task as it was."""
    with writer_lock():
        tasks = list(
            IndexTask.objects.filter(set_aside_at__isnull=True)
            .order_by("id")
            .values_list("id", "model", "object_id")[:limit]
        )
        if not tasks:
            return BatchOutcome()
        try:
            try:
                _sync_tasks(tasks)
                failures = {}
            except SearchBackendError:
                raise
            except Exception as exc:  # narrowed down object by object below
                if _is_transient(exc):
                    raise
                log.warning("Index queue: a batch of %d task(s) failed (%r); retrying them one by one", len(tasks), exc)
                failures = _sync_one_by_one(tasks)
        except SearchBackendError as exc:
            raise IndexUnavailable(
                f"The search index is missing or unreadable ({exc}). Queued work is kept; "
                "run `manage.py rebuild_index --noinput` to build a complete index."
            ) from exc
        applied, set_aside = _record(tasks, failures)
    return BatchOutcome(taken=len(tasks), applied=applied, failed=len(tasks) - applied, set_aside=set_aside)


def process_queue(batch_size: int = BATCH_SIZE) -> int:
    """Apply every queued task (tests and `process_index_queue` call this); return how
    many were applied. Stops when only set-aside tasks are left."""
    total = 0
    while (outcome := process_batch(batch_size)).taken:
        total += outcome.applied
    return total


def set_aside_tasks() -> list[SetAside]:
    tasks = IndexTask.objects.filter(set_aside_at__isnull=False).order_by("id")
    return [SetAside(t.model, t.object_id, t.attempts, t.last_error) for t in tasks]


def retry_set_aside() -> int:
    """Put set-aside tasks back in the queue with a clean slate; return how many."""
    return IndexTask.objects.filter(set_aside_at__isnull=False).update(set_aside_at=None, attempts=0)


def _write_everything(target, progress=None) -> dict[str, int]:
    """Write every published event, its turns and its people; `progress(n)` is told of
    each event's n turns as they are written."""
    counts = {"turns": 0, "events": 0, "people": 0}
    turn_index = search_index(Turn)
    for event in search_index(Event).index_queryset(using=ALIAS).iterator(chunk_size=100):
        turns = list(Turn.objects.filter(event=event).select_related("appearance__person").only(*TURN_COLUMNS))
        for turn in turns:
            turn.event = event  # one Event (with its topics) shared by all its turns
        target.update(turn_index, turns)
        counts["turns"] += len(turns)
        target.update(search_index(Event), [event])
        counts["events"] += 1
        if progress:
            progress(len(turns))
    person_ids = set(search_index(Person).index_queryset(using=ALIAS).values_list("pk", flat=True))
    counts["people"] = len(_write(target, Person, search_index(Person).index_queryset(using=ALIAS), person_ids))
    return counts


@contextmanager
def _rebuild_in_place(target):
    """For engines without build_aside (Elasticsearch, Solr): clear, then write."""
    target.clear()
    yield target


def turns_to_index() -> int:
    """How many turns a rebuild writes (for its progress report)."""
    return search_index(Turn).index_queryset(using=ALIAS).count()


def rebuild(progress=None) -> dict[str, int]:
    """Index everything the database holds, into a fresh index swapped in at the end
    (search keeps answering from the old one meanwhile). Tasks queued before the
    rebuild started are covered by it and dropped; later ones stay for the consumer."""
    with writer_lock():
        covered = list(IndexTask.objects.values_list("id", flat=True))
        live = backend()
        with live.build_aside() if hasattr(live, "build_aside") else _rebuild_in_place(live) as target:
            counts = _write_everything(target, progress)
        for chunk in _chunks(covered):
            IndexTask.objects.filter(id__in=chunk).delete()
    return counts


def index_exists() -> bool:
    """Whether there is an index to search: False on a new server (the consumer never
    creates one) or when it cannot be read. Asked through haystack, so any engine works."""
    try:
        list(SearchQuerySet().using(ALIAS).filter(django_id="0")[:1])
    except SearchBackendError:
        return False
    return True
