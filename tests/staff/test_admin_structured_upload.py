"""A structured file through the admin: upload, preview, confirm, stored as the markup says."""

import pytest

from tests.parsing.test_parser_structured import UK_HANSARD
from tests.staff.test_admin_support import editor, editor_client, review_url, submit_review, upload  # noqa: F401  (fixtures)
from transcripts.models import Event, PendingUpload, Turn

pytestmark = pytest.mark.django_db


def test_a_hansard_xml_upload_is_previewed_and_stored_with_one_person_per_member(editor_client):
    response = upload(editor_client, UK_HANSARD, filename="sitting.xml")
    assert response.status_code == 302
    url = review_url(PendingUpload.objects.get())
    page = editor_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Merlyn Rees" in html and "&lt;member&gt;" not in html
    assert submit_review(editor_client, url, page).status_code == 302
    event = Event.objects.get()
    turns = list(Turn.objects.filter(event=event).order_by("position"))
    assert [t.label for t in turns][-2:] == ["Mr. Latham", "Mr. Rees"]
    rees = {t.appearance.person.name for t in turns if t.label in ("Mr. Rees", turns[2].label)}
    assert rees == {"Merlyn Rees"}
