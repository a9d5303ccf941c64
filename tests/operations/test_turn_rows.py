"""The rows an import makes before it writes (transcripts.turn_rows): each turn's public id,
decided one case at a time. A quote link carries the id, so the same text must get the same
ids on every import, and no two turns anywhere may share one."""

import dataclasses

import pytest

from transcripts.models import Event, Person, Turn
from transcripts.operations.imports import import_transcript
from transcripts.parsing import Participant, parse_transcript
from transcripts.snapshots import EventSnapshot
from transcripts.turn_rows import assign_public_ids, build_turns, group_appearances

pytestmark = pytest.mark.django_db

PANEL = (
    "A Small Panel\n\nJanuary 5, 2021\n\nSMITH: Hello there.\n\nJONES: Hello back, friend.\n\nSMITH: One more thing.\n"
)
# The ids PANEL's turns are made from (the event's slug, the label, the words, the occurrence).
PANEL_IDS = ["oqogaiw2ah", "ugeoyg5srb", "bfril2occx"]


def parsed(text=PANEL) -> EventSnapshot:
    return EventSnapshot.from_transcript(parse_transcript(text))


def panel_event() -> Event:
    return Event.objects.create(title="A Small Panel", slug="a-small-panel-2021-01-05")


def test_the_ids_are_made_from_the_slug_label_words_and_occurrence():
    assert assign_public_ids(panel_event(), parsed(), {}) == PANEL_IDS


def test_ids_given_to_turns_not_written_yet_are_avoided_and_the_new_ones_added_to_them():
    """A bulk writer (the benchmark's corpus) gives ids to many events' turns before it
    writes any: an id it gave in this batch is taken as a stored one is."""
    event, batch = panel_event(), {PANEL_IDS[1], "elsewhere"}
    ids = assign_public_ids(event, parsed(), {}, unsaved=batch)
    assert ids == [PANEL_IDS[0], "gsuury5wi2", PANEL_IDS[2]]  # JONES's made again, from occurrence 1001
    assert batch == {"elsewhere", *PANEL_IDS, "gsuury5wi2"}
    # The one made again is taken too: the next one is made from occurrence 2001.
    batch = {PANEL_IDS[1], "gsuury5wi2"}
    assert assign_public_ids(event, parsed(), {}, unsaved=batch)[1] == "llhhahksnq"


def test_without_a_batch_each_call_starts_afresh():
    event = panel_event()
    assert assign_public_ids(event, parsed(), {}) == assign_public_ids(event, parsed(), {}) == PANEL_IDS


def test_the_event_s_own_stored_turns_are_no_clash():
    """The turns being replaced hold the ids their words were made into: a turn made again
    from the same words (it carries no id, and none is inherited) gets its id back."""
    event = import_transcript(PANEL).event
    assert list(event.turns.order_by("position").values_list("public_id", flat=True)) == PANEL_IDS
    stored = EventSnapshot.from_event(event)
    bare = dataclasses.replace(stored, turns=tuple(dataclasses.replace(t, public_id=None) for t in stored.turns))
    assert assign_public_ids(event, bare, {}) == PANEL_IDS


def hold(*public_ids):
    """Another event's turns holding these ids."""
    other = Event.objects.create(title="Other", slug="other")
    for position, public_id in enumerate(public_ids, start=1):
        Turn.objects.create(event=other, position=position, label="X", paragraphs=["Hi."], public_id=public_id)


def test_an_id_made_again_after_a_clash_may_be_the_event_s_own_but_no_other_event_s():
    hold("oqogaiw2ah")  # the first turn's id
    event = import_transcript(PANEL).event
    stored = EventSnapshot.from_event(event)
    assert [t.public_id for t in stored.turns] == ["aj7ty6ehy6", *PANEL_IDS[1:]]  # from occurrence 1001
    bare = dataclasses.replace(stored, turns=tuple(dataclasses.replace(t, public_id=None) for t in stored.turns))
    # Made again, the first turn clashes again and gets back the id it holds.
    assert assign_public_ids(event, bare, {}) == ["aj7ty6ehy6", *PANEL_IDS[1:]]
    # Were that id another event's, it would be made from occurrence 2001.
    Turn.objects.filter(event=event).delete()
    Turn.objects.create(
        event=Event.objects.get(slug="other"), position=2, label="X", paragraphs=["Hi."], public_id="aj7ty6ehy6"
    )
    assert assign_public_ids(event, bare, {}) == ["7t5rejcrbo", *PANEL_IDS[1:]]


def test_two_ids_made_again_after_clashes_never_meet():
    """The 1st and the 1001st "Yes." both clash with another event's turns: the 1st is made
    from occurrence 1001 (the 1001st's), then 2001; the 1001st from 2001 (now the 1st's), then 3001."""
    hold("sijqiy3ws7", "3ecttzvpye")  # "Yes." from occurrences 1 and 1001
    snapshot = parsed("Echo Panel\n\nMay 1, 2023\n\nSMITH: Yes.\n")
    event = Event.objects.create(title="Echo Panel", slug="echo-panel-2023-05-01")
    ids = assign_public_ids(event, dataclasses.replace(snapshot, turns=snapshot.turns * 1001), {})
    assert len(set(ids)) == 1001 and (ids[0], ids[1000]) == ("vgepcnyjv2", "wyi2vy7xmr")


def test_an_id_made_again_is_never_made_for_a_later_turn_too():
    """The first "Yes." finds its id carried by another turn and is made again from occurrence
    1001; the 1001st "Yes." would be made from occurrence 1001 too, so it is made again in turn."""
    snapshot = parsed("Echo Panel\n\nMay 1, 2023\n\nSMITH: Yes.\n\nJONES: No.\n")
    yes, no = snapshot.turns
    event = Event.objects.create(title="Echo Panel", slug="echo-panel-2023-05-01")
    first = assign_public_ids(event, snapshot, {})[0]
    turns = (yes,) * 1001 + (dataclasses.replace(no, public_id=first),)
    ids = assign_public_ids(event, dataclasses.replace(snapshot, turns=turns), {})
    assert len(set(ids)) == 1002 and ids[-1] == first


def test_turns_built_without_times_are_untimed():
    """As the benchmark's corpus builds them: no times given."""
    event = panel_event()
    snapshot = parsed()
    turns = build_turns(event, snapshot, PANEL_IDS, {})
    assert [(t.position, t.label, t.text, t.public_id) for t in turns] == [
        (1, "SMITH", "Hello there.", PANEL_IDS[0]),
        (2, "JONES", "Hello back, friend.", PANEL_IDS[1]),
        (3, "SMITH", "One more thing.", PANEL_IDS[2]),
    ]
    assert [(t.start_seconds, t.paragraph_starts, t.appearance, t.pk) for t in turns] == [(None, [], None, None)] * 3


def test_appearances_are_one_per_person_whatever_each_label_calls_them():
    """Staff attached two labels with different names to one person, and two people share a
    name (told apart by their address): one appearance for the one, two for the two."""
    event = panel_event()
    ann = Person.objects.create(name="Ann Lee", slug="ann-lee")
    other_ann = Person.objects.create(name="Ann Lee", slug="ann-lee-2")
    participants = [
        Participant(key="a", name="Ann Lee", label="LEE"),
        Participant(key="b", name="Dr Ann Lee-Park", label="DR LEE-PARK"),
        Participant(key="c", name="Ann Lee", label="ANN LEE"),
    ]
    by_key, ordered = group_appearances(event, participants, [ann, ann, other_ann])
    assert [(a.person, a.label, a.order) for a in ordered] == [(ann, "LEE", 0), (other_ann, "ANN LEE", 2)]
    assert by_key == {"a": ordered[0], "b": ordered[0], "c": ordered[1]}
