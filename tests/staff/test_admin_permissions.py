"""Who may do what in the admin: editors upload, edit and publish; nobody else gets in."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from tests.staff.test_admin_support import UPLOAD_URL, editor, editor_client, upload  # noqa: F401  (fixtures)
from transcripts.models import PendingUpload

pytestmark = pytest.mark.django_db


def test_editors_group_has_transcript_and_report_permissions_and_none_on_auth():
    group = Group.objects.get(name="Editors")
    codenames = set(group.permissions.values_list("content_type__app_label", "codename"))
    for model in ("event", "turn", "appearance", "person", "topic", "eventrevision"):
        for action in ("add", "change", "delete", "view"):
            assert ("transcripts", f"{action}_{model}") in codenames
    # Reports come from readers: editors see them and act on them, never add or delete them.
    others = set(group.permissions.exclude(content_type__app_label="transcripts").values_list("codename", flat=True))
    assert others == {"view_problemreport", "change_problemreport"}
    assert Permission.objects.filter(content_type__app_label="auth", codename="add_user").exists()


def test_editor_can_upload(editor_client, sample_text):
    assert editor_client.get(UPLOAD_URL).status_code == 200
    response = upload(editor_client, sample_text)
    assert response.status_code == 302 and PendingUpload.objects.count() == 1
    assert editor_client.get(response["Location"]).status_code == 200


def test_editor_sees_the_transcript_admin_but_cannot_manage_users(editor_client):
    index = editor_client.get("/admin/")
    assert index.status_code == 200
    html = index.content.decode()
    assert "/admin/transcripts/event/" in html and "/admin/auth/user/" not in html
    assert editor_client.get("/admin/auth/user/add/").status_code == 403
    assert editor_client.get("/admin/auth/user/").status_code == 403
    assert editor_client.get("/admin/auth/group/").status_code == 403
    # The raw admin log is for superusers.
    assert editor_client.get("/admin/admin/logentry/").status_code == 403


@pytest.mark.parametrize("url", [UPLOAD_URL, "/admin/transcripts/event/", "/admin/transcripts/person/lookup/?q=lag"])
def test_non_staff_user_gets_the_login_page(client, django_user_model, url):
    reader = django_user_model.objects.create_user("reader", password="reader-pass-12345")
    client.force_login(reader)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert "login" in client.get(response["Location"]).content.decode().lower()


def test_anonymous_upload_post_stores_nothing(client, sample_text):
    response = upload(client, sample_text)
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    assert PendingUpload.objects.count() == 0


def test_staff_without_the_group_cannot_upload(client, django_user_model):
    staff = django_user_model.objects.create_user("bare", password="bare-pass-12345", is_staff=True)
    client.force_login(staff)
    assert client.get(UPLOAD_URL).status_code == 403


def test_superuser_can_add_users_and_read_the_log(admin_client):
    assert admin_client.get("/admin/auth/user/add/").status_code == 200
    assert admin_client.get("/admin/admin/logentry/").status_code == 200
