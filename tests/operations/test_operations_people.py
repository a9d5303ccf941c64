"""Saving a person as the admin's form changed them (transcripts.operations.people), called
directly: the row stored and what hangs off it saved in the same operation. (The index work
and the page cache each operation leaves are test_operations_effects.py's.)"""

import pytest

from transcripts.models import Person, PersonRedirect
from transcripts.operations.people import save_person

pytestmark = pytest.mark.django_db


def test_a_person_and_what_hangs_off_them_are_saved_in_one_operation():
    person = Person.objects.create(name="Ana Ortiz", slug="ana-ortiz")
    person.name, person.slug, person.bio = "Ana María Ortiz", "ana-maria-ortiz", "Harbour master."

    def save_related():  # as the admin's inline of old addresses does
        PersonRedirect.objects.create(old_slug="ana-ortiz", person=person)

    assert save_person(person, save_related=save_related) is person
    stored = Person.objects.get()
    assert (stored.name, stored.slug, stored.bio) == ("Ana María Ortiz", "ana-maria-ortiz", "Harbour master.")
    assert list(PersonRedirect.objects.values_list("old_slug", "person__slug")) == [("ana-ortiz", "ana-maria-ortiz")]
