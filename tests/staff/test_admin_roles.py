"""The upload preview shows each speaker's inferred role with its one-line reason, for
labels in other languages and for an examination's witness, and staff can change it."""

import pytest

from tests.staff.test_admin_support import editor, editor_client, review_url, upload  # noqa: F401  (fixtures)
from transcripts.models import PendingUpload

pytestmark = pytest.mark.django_db


def preview_rows(client, text):
    response = upload(client, text, filename="sitting.txt")
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(review_url(PendingUpload.objects.latest("pk")))
    assert page.status_code == 200
    return {row.label: row for row in page.context["speaker_table"]}, page.content.decode()


def test_a_german_sitting_shows_chair_and_members_with_why(editor_client):
    rows, html = preview_rows(
        editor_client,
        "Plenarsitzung\n\n"
        "Vizepräsidentin Petra Pau: Das Wort hat Herr Kauder.\n\n"
        "Volker Kauder (CDU/CSU): Danke, Frau Präsidentin.\n\n"
        "Vizepräsidentin Petra Pau: Gut.\n\n"
        "Volker Kauder (CDU/CSU): Ja.\n",
    )
    pau, kauder = rows["Vizepräsidentin Petra Pau"], rows["Volker Kauder (CDU/CSU)"]
    assert (pau.form["name"].value(), pau.form["role"].value()) == ("Petra Pau", "chair")
    assert (kauder.form["name"].value(), kauder.form["role"].value()) == ("Volker Kauder", "member")
    assert '<div class="help role-reason">the label calls them “Vizepräsidentin”</div>' in html
    assert '<div class="help role-reason">sits for CDU/CSU in a sitting with a chair</div>' in html


def test_an_examination_credits_the_answers_to_the_named_witness(editor_client):
    rows, html = preview_rows(
        editor_client,
        "United States v. Roe\n\n"
        "THE COURT: Call your witness.\n"
        "MR. KANE: The government calls Jane Doe.\n"
        "JANE DOE,\n"
        "called as a witness by the Government,\n"
        "having been duly sworn, testified as follows:\n"
        "BY MR. KANE:\n"
        "Q. Where do you work?\n"
        "A. At the port.\n"
        "Q. Since when?\n"
        "A. Since 2010.\n",
    )
    jane = rows["A"]
    assert (jane.form["name"].value(), jane.form["role"].value()) == ("Jane Doe", "witness")
    assert "answers the examination after “JANE DOE” is named as the witness" in html
    assert "This event only" not in str(jane.form)
