"""A clear 503 page while the database cannot be reached, instead of a 500.

`OperationalError` and `InterfaceError` are what the driver raises when the server is
down, restarting or refusing connections. The page is rendered without the request
(no session, no user, no database), says to try again, and sends `Retry-After`. The
service needs no restart once the database is back: with `CONN_HEALTH_CHECKS` each
request checks its persistent connection and opens a new one when the old one died.
"""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
UNAVAILABLE_MESSAGE = (
    "The service is unavailable for a moment; try again in a minute. Your last change "
    "may not have been saved: check it when the service is back."
)


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


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # A database error raised outside the view (the session middleware saving or
        # reading the session on the way out) reaches here as a 500, or a 400 for a
        # session save; turn it into the 503 too while the database is unreachable.
        if response.status_code in (400, 500) and database_unreachable():
            logger.error("Database unavailable on %s %s", request.method, request.path)
            return service_unavailable(request)
        return response

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        # Logged without the traceback's locals; the page shows none of it.
        logger.error("Database unavailable on %s %s: %s", request.method, request.path, exception)
        return service_unavailable(request)
