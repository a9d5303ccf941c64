"""Error pages that say what happened instead of a bare "Server Error".

- A database that is locked too long or unreachable (django.db.OperationalError /
  InterfaceError) answers 503 with Retry-After and a "try again in a moment" page. The
  request's transaction, if any, was rolled back by the atomic block that raised, so a
  failed write leaves nothing half-stored.
- A request too large to read (an oversize pasted transcript, Django's RequestDataTooBig)
  answers 400 with the upload limit.
Both pages are standalone templates that touch neither the database nor the session:
they must render while the database is the thing that failed.
"""

import logging
import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseBadRequest
from django.template import loader
from django.template.defaultfilters import filesizeformat
from django.views import defaults

log = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 10


def database_unavailable_response(exc) -> HttpResponse:
    log.error("database unavailable: %s", exc)
    response = HttpResponse(loader.render_to_string("503.html", {"retry_after": RETRY_AFTER_SECONDS}), status=503)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turns a database error raised by a view into the 503 page (process_exception);
    errors raised by other middleware reach `server_error` below instead."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            return database_unavailable_response(exception)
        return None


def server_error(request):
    """handler500: the 503 page when the cause was the database, else the 500 page."""
    exc = sys.exc_info()[1]
    if isinstance(exc, DATABASE_ERRORS):
        return database_unavailable_response(exc)
    return defaults.server_error(request)


def bad_request(request, exception):
    """handler400: say why when we know (a body over the upload limit)."""
    if isinstance(exception, RequestDataTooBig):
        limit = filesizeformat(settings.VERBATIM_MAX_UPLOAD_BYTES)
        reason = (
            f"What was sent is larger than this site accepts (transcripts up to {limit}). "
            "Split the transcript, or upload it as a file rather than pasting it."
        )
    else:
        reason = "The request could not be read. Go back, check what you entered and try again."
    return HttpResponseBadRequest(loader.render_to_string("400.html", {"reason": reason}))
