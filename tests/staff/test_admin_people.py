"""Merging two Person records, the speaker lookup, and the admin's list pages."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from tests.staff.test_admin_support import editor, editor_client  # noqa: F401  (fixtures)
from transcripts.models import Appearance, Event, Person, PersonRedirect
from transcripts.operations.imports import import_transcript, restore_revision
from transcripts.operations.people import merge_people
from transcripts.search.models import IndexTask

pytestmark = pytest.mark.django_db

SECOND_PANEL = """---
title: Labor Rights in Global Supply Chains
date: 2023-04-05
participants:
  - name: M. Lagon
    label: LAGON
    role: presider
  - name: Jane Roe
    label: ROE
    role: panelist
---
LAGON: Welcome to our panel on supply chains.

ROE: Thank you for having me.

LAGON: Let us begin with cobalt.
"""


@pytest.fixture
def duplicate(sample_event):
    """“M. Lagon”: the presider of the sample, spelled another way at a second event."""
    import_transcript(SECOND_PANEL, status="published")
    return Person.objects.get(name="M. Lagon")


def merge_via_admin(client, keep, *others):
    changelist = reverse("admin:transcripts_person_changelist")
    selected = [keep.pk, *[o.pk for o in others]]
    page = client.post(changelist, {"action": "merge", "_selected_action": selected})
    assert page.status_code == 200 and "Choose the one to keep" in page.content.decode()
    assert Person.objects.filter(pk__in=selected).count() == len(selected)  # nothing merged yet
    return client.post(changelist, {"action": "merge", "_selected_action": selected, "confirm": "yes", "keep": keep.pk})


def test_merge_moves_appearances_and_turns_and_redirects(editor_client, sample_event, duplicate):
    keep = Person.objects.get(name="Mark Lagon")
    second = Event.objects.get(slug__startswith="labor-rights")
    response = merge_via_admin(editor_client, keep, duplicate)
    assert response.status_code == 302
    assert not Person.objects.filter(pk=duplicate.pk).exists()
    appearance = second.appearances.get(label="LAGON")
    assert appearance.person == keep and appearance.turns.count() == 2
    assert keep.appearances.count() == 2
    assert PersonRedirect.objects.get(old_slug=duplicate.slug).person == keep
    # The old person page redirects to the kept one (the reader's person view).
    old_page = editor_client.get(f"/people/{duplicate.slug}/")
    assert old_page.status_code == 301 and old_page["Location"] == keep.get_absolute_url()
    assert second.revisions.order_by("-number").first().note == "Merged M. Lagon into Mark Lagon"
    assert IndexTask.objects.filter(model="transcripts.event", object_id=second.pk).exists()
    assert IndexTask.objects.filter(model="transcripts.person", object_id=duplicate.pk, action="delete").exists()
    log = LogEntry.objects.get(object_id=str(keep.pk))
    assert f"Merged M. Lagon ({duplicate.slug})" in log.change_message


def test_merge_of_two_records_at_one_event_leaves_one_appearance(sample_event, editor):
    keep = Person.objects.get(name="Mark Lagon")
    twin = Person.objects.create(name="Mark P. Lagon", slug="mark-p-lagon")
    split = Appearance.objects.create(event=sample_event, person=twin, role="presider", label="MR. LAGON", order=99)
    moved = list(sample_event.turns.filter(appearance__person=keep).order_by("position")[:3])
    for turn in moved:
        turn.appearance = split
        turn.save()
    merge_people(keep, twin, user=editor)
    assert sample_event.appearances.filter(person=keep).count() == 1
    assert not Appearance.objects.filter(pk=split.pk).exists()
    lagon = sample_event.appearances.get(person=keep)
    assert lagon.turns.count() == 29


def test_restoring_a_version_from_before_a_merge_keeps_the_merge(duplicate, editor):
    keep = Person.objects.get(name="Mark Lagon")
    second = Event.objects.get(slug__startswith="labor-rights")
    first_version = second.revisions.get(number=1)
    merge_people(keep, duplicate, user=editor)
    people = Person.objects.count()
    restore_revision(first_version, user=editor)
    assert Person.objects.count() == people
    assert second.appearances.get(label="LAGON").person == keep


def test_merge_needs_two_people(editor_client, sample_event):
    keep = Person.objects.get(name="Mark Lagon")
    changelist = reverse("admin:transcripts_person_changelist")
    response = editor_client.post(changelist, {"action": "merge", "_selected_action": [keep.pk]}, follow=True)
    assert "Select two or more records" in response.content.decode()


def test_merge_into_itself_is_refused(sample_event):
    keep = Person.objects.get(name="Mark Lagon")
    with pytest.raises(ValueError):
        merge_people(keep, keep)


def test_person_lookup_for_the_autocomplete(editor_client, sample_event, duplicate):
    url = reverse("admin:transcripts_person_lookup")
    results = editor_client.get(url, {"q": "lagon"}).json()["results"]
    assert results == [  # most appearances first, then by family name and first name
        {"slug": duplicate.slug, "name": "M. Lagon", "appearances": 1},
        {"slug": "mark-lagon", "name": "Mark Lagon", "appearances": 1},
    ]
    assert editor_client.get(url, {"q": "l"}).json() == {"results": []}
    assert editor_client.get(url, {"q": "nobody at all"}).json() == {"results": []}


def test_event_list_shows_date_status_turns_and_speakers(editor_client, sample_event):
    response = editor_client.get(reverse("admin:transcripts_event_changelist"))
    html = response.content.decode()
    assert response.status_code == 200
    row = response.context["cl"].result_list[0]
    assert row.n_turns == 63
    assert "Mark Lagon, Susan Coppedge, Siddharth Kara, Maggy Krell</td>" in html
    assert "Feb. 17, 2022" in html and "Published" in html
    assert "Upload transcript" in html


def test_people_list_counts_appearances_and_searches(editor_client, sample_event, duplicate):
    response = editor_client.get(reverse("admin:transcripts_person_changelist"), {"q": "lagon"})
    people = {p.name: p.n_appearances for p in response.context["cl"].result_list}
    assert people == {"Mark Lagon": 1, "M. Lagon": 1}


def test_turns_are_searchable_and_filterable(editor_client, sample_event, duplicate):
    changelist = reverse("admin:transcripts_turn_changelist")
    cobalt = editor_client.get(changelist, {"q": "cobalt"}).context["cl"]
    assert cobalt.result_count == 2  # one turn of the sample, one of the second panel
    kara = Person.objects.get(name="Siddharth Kara")
    filtered = editor_client.get(changelist, {"q": "cobalt", "appearance__person__id__exact": kara.pk}).context["cl"]
    assert [t.appearance.person for t in filtered.result_list] == [kara]
    by_event = editor_client.get(changelist, {"event__id__exact": sample_event.pk}).context["cl"]
    assert by_event.result_count == 63


def test_event_change_page_has_appearances_inline(editor_client, sample_event):
    response = editor_client.get(reverse("admin:transcripts_event_change", args=[sample_event.pk]))
    inline = response.context["inline_admin_formsets"][0].formset
    assert [f.instance.label for f in inline.forms][:4] == ["LAGON", "COPPEDGE", "KARA", "KRELL"]
    html = response.content.decode()
    assert "Upload corrected transcript" in html
