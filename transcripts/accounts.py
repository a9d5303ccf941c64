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
