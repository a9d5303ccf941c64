"""One import plan (transcripts/plan.py): what the preview shows is what confirm stores;
the text is parsed once per upload; one matcher decides who a speaker is (names folded
as search folds them); pasted text and links get the same checks as files."""

import pytest

from tests.conftest import corpus_path
from tests.parsing.test_corpus import PASSING, TRUTH
from tests.staff.test_admin_support import (  # noqa: F401  (fixtures)
    UPLOAD_URL,
    editor,
    editor_client,
    review_url,
    speaker_field,
    submit_review,
    upload,
)
from transcripts import plan as plan_module
from transcripts.models import Event, PendingUpload, Person
from transcripts.operations.imports import import_transcript
from transcripts.parsing import ParseError, parse_transcript, read_upload
from transcripts.snapshots import TEXT_FIELDS, URL_FIELDS, EventSnapshot

pytestmark = pytest.mark.django_db


def comparable(snapshot: EventSnapshot) -> dict:
    """A snapshot without what only storing decides (public ids, person slugs as keys, the
    recording, which an upload says nothing about)."""
    names = snapshot.speaker_names()
    event = snapshot.event
    return {
        "event": {name: getattr(event, name) for name in TEXT_FIELDS + URL_FIELDS + ("date",)}
        | {"topics": sorted(event.topics)},
        "participants": sorted((p.name, p.label, p.role, p.title, p.affiliation) for p in snapshot.participants),
        "turns": [(t.label, names.get(t.speaker), t.kind, t.section, t.paragraphs) for t in snapshot.turns],
    }


# Every corpus file (without the corpus: one placeholder, which skips loudly, or fails in CI).
@pytest.mark.parametrize("name", sorted(TRUTH) or ["truth.json"])
def test_the_preview_is_what_confirm_stores_for_every_corpus_file(editor_client, name):
    path = corpus_path(name)
    response = upload(editor_client, path.read_bytes(), filename=name, title="Corpus event")
    if response.status_code != 302:
        # Refused: never a file the parser is known to read (the ratchet), and always with a
        # message saying why: the parser's own ParseError, or the upload form naming the
        # formats it takes (XML and JSON exports are read by the command line only).
        errors = response.context["form"].errors.as_text()
        assert name not in PASSING, f"{name} is on the corpus ratchet but the upload was refused: {errors[:300]}"
        if f"“{name}” is not a .txt or .md file" in errors:
            assert "Save the transcript as one of those and upload that" in errors
        else:
            with pytest.raises(ParseError) as refused:
                parse_transcript(read_upload(path.read_bytes(), name)[0])
            assert str(refused.value).strip() and str(refused.value)[:60] in " ".join(errors.split()), errors
        return
    url = review_url(PendingUpload.objects.get())
    response = editor_client.get(url)
    # What staff do for a label the text names nobody for (reporters' "Q"): type who it is.
    unnamed = {
        row.form["name"].html_name: f"Unnamed {row.label}"
        for row in response.context["speaker_table"]
        if not row.form["name"].value()
    }
    if unnamed:
        response = submit_review(editor_client, url, response, action="preview", **unnamed)
    shown = response.context["plan"]
    response = submit_review(editor_client, url, response)
    assert response.status_code == 302, response.context and response.context["plan"].problems[:3]
    event = Event.objects.get()
    stored = EventSnapshot.from_event(event)
    # Two labels for one person become one appearance when stored: compare people by name.
    if len({p.name for p in shown.snapshot.participants}) == len(shown.snapshot.participants):
        assert comparable(stored) == comparable(shown.snapshot)
    else:
        assert comparable(stored)["turns"] == comparable(shown.snapshot)["turns"]
    assert event.turns.count() == len(shown.transcript.turns) > 0


def test_the_text_is_parsed_once_per_upload(editor_client, sample_text, monkeypatch):
    upload(editor_client, sample_text)
    url = review_url(PendingUpload.objects.get())
    calls = []
    real = plan_module.parse_transcript
    monkeypatch.setattr(plan_module, "parse_transcript", lambda text: calls.append(1) or real(text))
    response = editor_client.get(url)
    response = editor_client.get(url)
    name = speaker_field(response, "KRELL", "name")
    response = submit_review(editor_client, url, response, action="preview", **{name: "Margaret Krell"})
    assert response.status_code == 200 and response.context["plan"].snapshot.event.title
    response = submit_review(editor_client, url, response)
    assert response.status_code == 302 and Person.objects.filter(name="Margaret Krell").exists()
    assert calls == []  # the upload form's parse was kept; the previews and confirm reused it


def test_a_changed_text_is_parsed_again(editor_client, sample_text):
    """The cache is keyed by the text: a stale parse is never shown."""
    upload(editor_client, sample_text)
    pending = PendingUpload.objects.get()
    pending.source_text = pending.source_text.replace("LAGON:", "MODERATOR:", 1)
    pending.save()
    response = editor_client.get(review_url(pending))
    assert response.context["plan"].transcript.turns[0].label == "MODERATOR"


def test_names_fold_like_search_so_one_person_is_found_through_an_import():
    first = import_transcript(
        "---\ntitle: Oslo panel\ndate: 2022-01-01\n---\n\nJØRGEN LØKKE: Velkommen.\n\nANNA BÆK: Takk.\n"
    )
    second = import_transcript(
        "---\ntitle: Bergen panel\ndate: 2022-02-01\n---\n\nJORGEN LOKKE: Hello again.\n\nANNA BAEK: Thanks.\n"
    )
    assert first.event != second.event
    assert Person.objects.filter(name__in=["Jørgen Løkke", "Jorgen Lokke"]).count() == 1
    lokke = Person.objects.get(name="Jørgen Løkke")
    assert lokke.appearances.count() == 2 and lokke.name_key == "jorgen lokke"
    assert Person.objects.get(name="Anna Bæk").appearances.count() == 2


def test_the_preview_matches_a_folded_name_with_certainty(editor_client):
    Person.objects.create(name="Łukasz Straße", slug="lukasz-strasse")
    upload(editor_client, pasted="---\ntitle: Panel\ndate: 2022-01-01\n---\n\nLUKASZ STRASSE: Guten Tag.\n")
    response = editor_client.get(review_url(PendingUpload.objects.get()))
    row = response.context["speaker_table"][0]
    assert (row.mapping.person.slug, row.mapping.percent) == ("lukasz-strasse", 100)


@pytest.mark.parametrize(
    "pasted, message",
    [
        ("LAGON: Hello\x00 there.\n", "The pasted text contains NUL characters, so it is not plain text."),
        ("LAGON: " + "\x01\x02\x03\x04" * 50 + "\n", "The pasted text looks binary (it is mostly control characters)"),
    ],
)
def test_pasted_text_gets_a_files_checks(editor_client, pasted, message):
    response = upload(editor_client, pasted=pasted)
    assert response.status_code == 200 and PendingUpload.objects.count() == 0
    assert message in response.content.decode()


@pytest.mark.parametrize("link", ["javascript:alert(1)", "ftp://example.org/panel.mp3", "file:///etc/passwd"])
def test_links_must_be_web_addresses(editor_client, sample_text, link):
    response = upload(editor_client, sample_text, source_url=link, media_url=link)
    assert response.status_code == 200 and PendingUpload.objects.count() == 0
    errors = response.context["form"].errors
    message = "Enter a web address starting with http:// or https://, e.g. https://example.org/panel."
    assert errors["source_url"] == [message] and errors["media_url"] == [message]


def test_web_links_are_kept(editor_client, sample_text):
    response = upload(editor_client, sample_text, source_url="http://example.org/p", media_url="example.org/m.mp3")
    assert response.status_code == 302
    assert PendingUpload.objects.get().metadata["media_url"] == "https://example.org/m.mp3"
