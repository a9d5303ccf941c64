#!/usr/bin/env python
import os
import secrets
import sys

# Commands that never touch the database, sessions or signing: they run without any
# environment (no DJANGO_DEBUG, no SECRET_KEY), so they get a throwaway key for this one
# process. Every other command, and the web server, still refuses to start without one.
NO_SECRETS_NEEDED = {"parse_transcript"}

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    if len(sys.argv) > 1 and sys.argv[1] in NO_SECRETS_NEEDED and not os.environ.get("SECRET_KEY"):
        os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as exc:
        # A configuration mistake is the operator's to fix: say what, not where in Django.
        sys.exit(f"Configuration error: {exc}")
