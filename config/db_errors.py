"""A clear 503 page while the database cannot be reached or cannot write, instead of a
500 or a 400.

`OperationalError` and `InterfaceError` are what Django raises when the server is down,
restarting or refusing connections, and when it cannot write: disk full ("database or
disk is full", PostgreSQL's `DiskFull`) or a read-only database (SQLite's "attempt to
write a readonly database"; PostgreSQL's read-only transaction, which Django raises as an
`InternalError`, is recognised by its SQLSTATE). One rule, `is_database_failure`, decides
for every path a request can take:

- a view's error reaches `DatabaseUnavailableMiddleware.process_exception`;
- an error after the view (the session save on the way out, which Django's session
  middleware turns into a 400 "session interrupted") reaches the 400 or 500 handler,
  `bad_request` or `server_error`, which answer with the same 503 when it applies.

The page is rendered without the request (no session, no user, no database), says to try
again, and sends `Retry-After`. The service needs no restart once the database is back:
with `CONN_HEALTH_CHECKS` each request checks its persistent connection and opens a new
one when the old one died.
"""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
UNAVAILABLE_MESSAGE = (
    "The service is unavailable for a moment; try again in a minute. Your last change "
    "may not have been saved: check it when the service is back."
)
# PostgreSQL error classes that mean the database, not the request, is at fault (for a
# driver error that reaches us unwrapped): connection (08), insufficient resources such as
# a full disk (53), operator intervention such as a shutdown (57P), system or I/O (58).
FAILING_SQLSTATE_CLASSES = ("08", "53", "57P", "58")
READ_ONLY_SQLSTATE = "25006"


def is_database_failure(error: BaseException | None) -> bool:
    """Whether `error`, or an error it was raised from or while handling, is the database
    being unreachable or unable to write, rather than a bug or a bad request."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, OperationalError | InterfaceError):
            return True
        sqlstate = getattr(error, "sqlstate", None) or ""
        if sqlstate == READ_ONLY_SQLSTATE or sqlstate.startswith(FAILING_SQLSTATE_CLASSES):
            return True
        error = error.__cause__ or error.__context__
    return False


def database_unreachable() -> bool:
    """Whether a connection used by this request hit an error and no longer answers."""
    return any(
        connection.errors_occurred and not connection.is_usable()
        for connection in connections.all(initialized_only=True)
    )


def wants_json(request) -> bool:
    """Autosave and other scripted requests get JSON they can show, not a page."""
    return request.headers.get("X-Autosave") == "1" or "application/json" in request.headers.get(
        "Accept", ""
    )


def service_unavailable(request) -> HttpResponse:
    response: HttpResponse
    if wants_json(request):
        response = JsonResponse({"error": UNAVAILABLE_MESSAGE}, status=503)
    else:
        html = render_to_string("503.html", {"service_name": settings.SERVICE_NAME})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def log_unavailable(request, error=None) -> None:
    # Logged without the traceback's locals; the page shows none of it.
    logger.error("Database unavailable on %s %s: %s", request.method, request.path, error)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # A connection that died outside the view, with an error the handlers did not see
        # (it was caught and re-raised as something else): the 503 too.
        if response.status_code in (400, 500) and database_unreachable():
            log_unavailable(request)
            return service_unavailable(request)
        return response

    def process_exception(self, request, exception):
        if not is_database_failure(exception):
            return None
        log_unavailable(request, exception)
        return service_unavailable(request)


# The error handlers (handler400 and handler500 in config/urls.py). Like Django's own,
# they render without the request, so that they work whatever state it is in.


def bad_request(request, exception):
    if is_database_failure(exception):
        log_unavailable(request, exception)
        return service_unavailable(request)
    html = render_to_string("400.html", {"service_name": settings.SERVICE_NAME})
    return HttpResponseBadRequest(html)


def server_error(request):
    error = sys.exc_info()[1]  # Django calls this while handling the error
    if is_database_failure(error):
        log_unavailable(request, error)
        return service_unavailable(request)
    html = render_to_string("500.html", {"service_name": settings.SERVICE_NAME})
    return HttpResponse(html, status=500)
