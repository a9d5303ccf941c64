"""Staff accounts: an editor is a staff user in the Editors group (see migration 0003)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

EDITORS = "Editors"


def create_editor(username: str, *, email: str = "", password: str | None = None):
    """Create a staff user in the Editors group, or make an existing user one.
    Returns (user, created). A new user needs a password; an existing one keeps theirs
    unless a new one is given. Raises ValueError / ValidationError with what to fix."""
    username = username.strip()
    if not username:
        raise ValueError("Give a username for the editor.")
    group = Group.objects.filter(name=EDITORS).first()
    if group is None:
        raise ValueError(f"There is no {EDITORS} group yet: run `manage.py migrate` first.")
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username=username).first()
        created = user is None
        if created:
            if not password:
                raise ValueError("A new editor needs a password.")
            user = User(username=username, email=email)
        if password:
            validate_password(password, user)
            user.set_password(password)
        if email:
            user.email = email
        user.is_staff = True
        user.save()
        user.groups.add(group)
    return user, created


def grant_to_editors(apps, app_label: str, codenames: list[str]) -> None:
    """Give the Editors group these permissions of `app_label`, from a data migration (`apps`
    is the migration's registry, or the live one). Permissions are normally made after all
    migrations ran; the app's are made now so a fresh database gets a complete group.
    Historical app configs have no models module, which create_permissions takes as "no
    models": one is lent for the call."""
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config(app_label)
    historical = getattr(app_config, "models_module", None) is None
    if historical:
        app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    if historical:
        app_config.models_module = None
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=EDITORS)
    permissions = apps.get_model("auth", "Permission").objects
    group.permissions.add(*permissions.filter(content_type__app_label=app_label, codename__in=codenames))
