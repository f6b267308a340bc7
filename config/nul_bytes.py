"""Requests carrying a NUL byte in the path or the query string are refused up front.

No page of the service names anything with a NUL, and PostgreSQL refuses NUL in text,
so a NUL that reached a query (an admin list filter, a history version, a form's
choice) was a 500 there and not on SQLite. Refused here, before any view or admin page
runs: a 404 for a path (it can name no page) and a 400 for a query string value.
The URL converters still keep junk codes out (inspection/converters.py); this covers
the pages the project does not route itself, Django admin's among them.
"""

from django.core.exceptions import BadRequest
from django.http import Http404

NUL = "\x00"


def has_nul_byte(request) -> bool:
    """In the query string, names and values alike."""
    return any(
        NUL in name or any(NUL in value for value in values) for name, values in request.GET.lists()
    )


class RefuseNulBytesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path_info:
            raise Http404("No such page")
        if has_nul_byte(request):
            raise BadRequest("The address contains a NUL character")
        return self.get_response(request)
