"""`make run` imports the demo archive with the project's own metadata for it (--sidecars)."""

from io import StringIO

import pytest
from django.core.management import call_command

from tests.conftest import SAMPLE, SAMPLE_METADATA, SAMPLES
from transcripts.models import Event


@pytest.mark.django_db
def test_the_samples_import_with_their_metadata_from_the_sidecars_folder():
    out = StringIO()
    call_command("import_transcripts", str(SAMPLES), "--sidecars", str(SAMPLE_METADATA.parent), stdout=out)
    assert Event.objects.count() == len(list(SAMPLES.iterdir()))  # the sample and the fictional demo events
    event = Event.objects.get(slug="combating-human-trafficking-and-modern-slavery-2022-02-17")
    assert event.organiser == "Council on Foreign Relations"
    assert sorted(t.name for t in event.topics.all()) == [
        "Human Rights",
        "Human Trafficking",
        "Modern Slavery",
        "Supply Chains",
    ]
    assert event.turns.count() == 63


@pytest.mark.django_db
def test_without_the_sidecars_folder_the_sample_has_no_topics():
    call_command("import_transcripts", str(SAMPLE), stdout=StringIO())
    assert Event.objects.get().topics.count() == 0
