"""create_editor (and `make editor`): a staff user in the Editors group who can use the admin."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("create_editor", *args, stdout=out)
    return out.getvalue()


def test_create_editor_makes_a_staff_user_in_the_editors_group_who_can_upload(client, monkeypatch):
    monkeypatch.setenv("VERBATIM_EDITOR_PASSWORD", "a-long-editor-password")
    assert (
        run("alice", "--email", "alice@example.org", "--noinput")
        == "Created editor alice. They can log in at /admin/.\n"
    )
    alice = User.objects.get(username="alice")
    assert alice.is_staff and not alice.is_superuser and alice.email == "alice@example.org"
    assert list(alice.groups.values_list("name", flat=True)) == ["Editors"]
    assert alice.check_password("a-long-editor-password")
    client.force_login(alice)
    assert client.get("/admin/transcripts/event/upload/").status_code == 200
    assert client.get("/admin/auth/user/").status_code == 403


def test_an_existing_user_becomes_an_editor_and_keeps_their_password(monkeypatch):
    monkeypatch.delenv("VERBATIM_EDITOR_PASSWORD", raising=False)
    User.objects.create_user("bob", password="bobs-own-password")
    assert run("bob", "--noinput") == "Made an editor: bob. They can log in at /admin/.\n"
    bob = User.objects.get(username="bob")
    assert bob.is_staff and bob.groups.filter(name="Editors").exists() and bob.check_password("bobs-own-password")


def test_a_new_editor_without_a_password_is_refused_and_nothing_is_stored(monkeypatch):
    monkeypatch.delenv("VERBATIM_EDITOR_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="A new editor needs a password. Set \\$VERBATIM_EDITOR_PASSWORD"):
        run("carol", "--noinput")
    assert not User.objects.filter(username="carol").exists()


def test_mismatched_passwords_change_nothing(monkeypatch):
    monkeypatch.delenv("VERBATIM_EDITOR_PASSWORD", raising=False)
    answers = iter(["first-password-1", "second-password-2"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    with pytest.raises(CommandError, match="The two passwords differ"):
        run("dave")
    assert not User.objects.filter(username="dave").exists()
