"""What the search index holds: one document per turn (the unit a reader wants to land
on), plus people and events so a name or a title can be shown above the turns.

Only published events and what was said at them are indexed; the queue consumer
(transcripts/search/indexing.py) keeps it that way. Nothing but ids is stored: result
pages read the turns from the database and make their snippets there.
"""

import datetime

from django.db.models import Prefetch
from haystack import indexes
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.fields import FacetMultiValueField
from haystack.utils import get_model_ct

from transcripts.models import Appearance, Event, Person, Turn
from transcripts.search.text import LanguageText

# Sort keys: "oldest" and "newest" both ascend, and keep a panel's turns in spoken order.
POSITIONS_PER_EVENT = 100_000
LAST_DAY = datetime.date.max.toordinal()


# What TurnIndex's prepare_* methods read, and nothing else (no paragraphs, no source text).
TURN_COLUMNS = (
    "event",
    "position",
    "label",
    "text",
    "section",
    "appearance__id",
    "appearance__role",
    "appearance__person__id",
    "appearance__person__name",
    "appearance__person__slug",
)
TURN_DOCUMENT_COLUMNS = (*TURN_COLUMNS, "event__id", "event__slug", "event__date", "event__language")
# Event columns no document reads and that can be large: never loaded to index.
EVENT_UNINDEXED_COLUMNS = ("source_text", "description_html", "alignment")


def _ordinal(day):
    return day.toordinal() if day else 0


class TurnIndex(indexes.SearchIndex, indexes.Indexable):
    # Only fields a query or a facet reads: every term of a turn document is written at each
    # rebuild (the event's title was indexed in every turn, a tenth of all postings, and no
    # query asked for it; a title is found through the event's own document).
    text = indexes.CharField(document=True, stored=False)  # speaker's name + what they said
    speaker = indexes.CharField(stored=False)  # the full name, for speaker:kara
    person = indexes.FacetCharField(stored=False)  # person slug
    role = indexes.FacetCharField(stored=False)
    section = indexes.FacetCharField(stored=False)
    event = indexes.FacetCharField(stored=False)  # event slug
    event_id = indexes.IntegerField(stored=False)  # lets the consumer find turns an event no longer has
    topic = FacetMultiValueField(stored=False)  # topic slugs
    language = indexes.FacetCharField(stored=False, null=True)  # the event's ISO 639-1 code, if said
    year = indexes.FacetCharField(stored=False)
    date = indexes.DateField(null=True, stored=False)
    oldest = indexes.IntegerField(stored=False, indexed=False)  # sort keys only, never searched
    newest = indexes.IntegerField(stored=False, indexed=False)

    def get_model(self):
        return Turn

    def index_queryset(self, using=None):
        # Only the columns a turn document is made of. Each turn carries its own copy of the
        # event row: with the event's whole source text in it, indexing a big transcript took
        # memory in turns x transcript size (gigabytes for one 5 MB upload).
        return (
            Turn.objects.filter(event__status=Event.Status.PUBLISHED)
            .select_related("event", "appearance__person")
            .only(*TURN_DOCUMENT_COLUMNS)
            .prefetch_related("event__topics")
        )

    def full_prepare(self, turn, with_string_facet=True):
        """What haystack's full_prepare gives (tests/search/test_index_documents.py compares the
        two), without its generic work per field and document: every field here has its
        prepare_<name>, so haystack's field.prepare would only be overwritten (it rendered
        a template per turn), and no field is a facet of another. A rebuild prepares every
        turn; this was a fifth of its time."""
        ct = get_model_ct(Turn)
        doc = {ID: f"{ct}.{turn.pk}", DJANGO_CT: ct, DJANGO_ID: str(turn.pk)}
        for name, method, nullable in self._preparers:
            value = getattr(self, method)(turn)  # looked up each time, as haystack does
            if value is not None or not nullable:  # haystack leaves out empty null=True fields
                doc[name] = value
        self.prepared_data = doc
        return doc

    @property
    def _preparers(self) -> list:
        if not hasattr(self, "_preparer_list"):
            self._preparer_list = [
                (field.index_fieldname, f"prepare_{name}", field.null is True) for name, field in self.fields.items()
            ]
        return self._preparer_list

    def prepare_text(self, turn):
        # In the event's language, whose stemmer the engine indexes it with (search/text.py).
        text = f"{self.prepare_speaker(turn)}\n{turn.text}"
        return LanguageText(text, turn.event.language) if turn.event.language else text

    def prepare_speaker(self, turn):
        return turn.appearance.speaker_name if turn.appearance_id else turn.label

    def prepare_person(self, turn):
        return turn.appearance.person.slug if turn.appearance_id and turn.appearance.person_id else None

    def prepare_role(self, turn):
        return turn.appearance.role if turn.appearance_id else "other"

    def prepare_section(self, turn):
        return turn.section

    def prepare_event(self, turn):
        return turn.event.slug

    def prepare_event_id(self, turn):
        return turn.event_id

    def prepare_topic(self, turn):
        # Asked once per event object: a rebuild shares one event among all its turns, and
        # a fresh queryset per turn (topics.all()) was a tenth of preparing a turn.
        event = turn.event
        if getattr(event, "_indexed_topic_slugs", None) is None:
            event._indexed_topic_slugs = [topic.slug for topic in event.topics.all()]
        return list(event._indexed_topic_slugs)

    def prepare_language(self, turn):
        return turn.event.language or None

    def prepare_year(self, turn):
        return str(turn.event.date.year) if turn.event.date else None

    def prepare_date(self, turn):
        return turn.event.date

    def prepare_oldest(self, turn):
        return _ordinal(turn.event.date) * POSITIONS_PER_EVENT + turn.position

    def prepare_newest(self, turn):
        return (LAST_DAY - _ordinal(turn.event.date)) * POSITIONS_PER_EVENT + turn.position


class EventIndex(indexes.SearchIndex, indexes.Indexable):
    text = indexes.CharField(document=True, use_template=True, stored=False)  # title, topics, speakers, description
    date = indexes.DateField(null=True, stored=False)
    topic = FacetMultiValueField(stored=False)

    def get_model(self):
        return Event

    def index_queryset(self, using=None):
        # The speakers through a Prefetch of appearances with their people joined: prefetching
        # "appearances__person" made Django 5.2 fetch the people with one "id = ? OR" per
        # speaker, which SQLite refuses beyond 1,000.
        return (
            Event.objects.published()
            .defer(*EVENT_UNINDEXED_COLUMNS)
            .prefetch_related("topics", Prefetch("appearances", queryset=Appearance.objects.select_related("person")))
        )

    def prepare_date(self, event):
        return event.date

    def prepare_topic(self, event):
        return [topic.slug for topic in event.topics.all()]


class PersonIndex(indexes.SearchIndex, indexes.Indexable):
    text = indexes.CharField(document=True, use_template=True, stored=False)  # name, titles held at events
    event_ids = FacetMultiValueField(stored=False)  # published events they spoke at

    def get_model(self):
        return Person

    def index_queryset(self, using=None):
        return (
            Person.objects.filter(appearances__event__status=Event.Status.PUBLISHED)
            .distinct()
            # Events joined, not prefetched: a frequent speaker's events, fetched by id,
            # made one query too large for SQLite in a big archive.
            .prefetch_related(
                Prefetch(
                    "appearances",
                    queryset=Appearance.objects.select_related("event").only(
                        "person_id", "event_id", "title", "affiliation", "event__status"
                    ),
                )
            )
        )

    def published_appearances(self, person):
        return [a for a in person.appearances.all() if a.event.status == Event.Status.PUBLISHED]

    def prepare_event_ids(self, person):
        return sorted({str(a.event_id) for a in self.published_appearances(person)})
