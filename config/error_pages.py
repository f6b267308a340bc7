"""The GOV.UK 403 and 404 pages, whatever DEBUG says.

A 403 says what was refused: opening a page (a GET) is not a change, so it does not say
"nothing has been saved". With DEBUG on (`make run`) Django answers a 404 with its
technical page, which lists every address of the service; `NotFoundPageMiddleware`
answers with the service's own page instead, so what a developer sees is what a user sees.
"""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def permission_denied(request, exception=None):
    return render(request, "403.html", {"changing": request.method not in SAFE_METHODS}, status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


class NotFoundPageMiddleware:
    """Only acts with DEBUG on; with it off Django's handler404 renders the same page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # No view was resolved: the address names no page (Django raised Resolver404
        # before any view middleware could see it).
        if settings.DEBUG and response.status_code == 404 and request.resolver_match is None:
            return page_not_found(request)
        return response

    def process_exception(self, request, exception):
        if settings.DEBUG and isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None
