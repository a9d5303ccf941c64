"""transcripts.normalise where it is stored and searched: the importer keeps two spellings of
a name as one person, a migration refolds stored keys, search finds a name typed without its
accents. These need the database (and an index), so they are kept out of test_normalise.py,
the file mutation testing runs for every change to normalise.py."""

import pytest
from django.apps import apps
from search_helpers import make_event, process_queue, search_index  # noqa: F401

from transcripts.models import Person
from transcripts.operations.imports import import_transcript
from transcripts.search.api import find_turns


@pytest.mark.django_db
def test_the_importer_stores_both_spellings_as_one_person():
    first = import_transcript(
        "---\ntitle: Oslo panel\ndate: 2022-01-01\n---\n\nJØRGEN LØKKE: Velkommen.\n\nCONAN O’BRIEN: Thanks.\n"
    )
    second = import_transcript(
        "---\ntitle: Bergen panel\ndate: 2022-02-01\n---\n\n"
        "JORGEN LOKKE: Hello again.\n\nCONAN O'BRIEN: Thanks again.\n"
    )
    assert first.event != second.event
    assert sorted(Person.objects.values_list("name", flat=True)) == ["Conan O’Brien", "Jørgen Løkke"]
    assert [p.appearances.count() for p in Person.objects.order_by("name")] == [2, 2]


@pytest.mark.django_db
def test_the_migration_refolds_keys_stored_before():
    """Keys stored by the old fold (curly apostrophe kept) are recomputed, so the next import finds them."""
    refold = __import__("transcripts.migrations.0007_norm_refold_name_keys", fromlist=["x"]).refold_name_keys
    person = Person.objects.create(name="Conan O’Brien", slug="conan-obrien")
    Person.objects.filter(pk=person.pk).update(name_key="conan o’brien")
    refold(apps, None)
    person.refresh_from_db()
    assert person.name_key == "conan o'brien"


@pytest.mark.django_db
def test_search_finds_an_accented_name_typed_without_accents(search_index):  # noqa: F811
    make_event(
        "Nordic Fisheries",
        date=None,
        turns=[
            ("Jørgen Løkke", "presider", "Welcome to Ærø, where Løkke’s boats land cod."),
            ("Jo Bloggs", "panelist", "Thanks; the harbour is small."),
        ],
    )
    process_queue()
    for query in ("lokke", "LØKKE", "Løkke’s", "aero"):
        hits = find_turns(query)
        assert [h.speaker_name for h in hits] == ["Jørgen Løkke"], query
    assert [h.turn_id for h in find_turns("lökke")] == [h.turn_id for h in find_turns("lokke")] != []
