import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from transcripts.accounts import create_editor

PASSWORD_VARIABLE = "VERBATIM_EDITOR_PASSWORD"


class Command(BaseCommand):
    help = (
        "Create a staff user in the Editors group (or make an existing user an editor). "
        f"Asks for the password, or reads ${PASSWORD_VARIABLE} with --noinput."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help=f"Do not prompt; take the password from ${PASSWORD_VARIABLE}.",
        )

    def handle(self, *args, **options):
        password = os.environ.get(PASSWORD_VARIABLE) or None
        if password is None and options["interactive"]:
            password = self._ask_password()
        try:
            user, created = create_editor(options["username"], email=options["email"], password=password)
        except ValidationError as error:
            raise CommandError("That password is not accepted: " + " ".join(error.messages)) from None
        except ValueError as error:
            hint = f" Set ${PASSWORD_VARIABLE} or run without --noinput." if "needs a password" in str(error) else ""
            raise CommandError(f"{error}{hint}") from None
        verb = "Created editor" if created else "Made an editor:"
        self.stdout.write(f"{verb} {user.username}. They can log in at /admin/.")

    def _ask_password(self) -> str | None:
        first = getpass.getpass("Password (empty keeps an existing user's password): ")
        if not first:
            return None
        if getpass.getpass("Password (again): ") != first:
            raise CommandError("The two passwords differ; nothing was changed.")
        return first
