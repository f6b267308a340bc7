"""Idle sessions: a person's requests renew their session; background refreshes do not.

A dashboard left open asks for fresh figures every 30 seconds. If those requests renewed
the session, an unattended screen showing sensitive figures would stay signed in for
ever. Scripts that poll on their own send BACKGROUND_HEADER; everything else a person
does (pages, saves, autosave after typing, "Stay signed in") renews the session.
"""

BACKGROUND_HEADER = "X-Background-Request"


class RenewSessionOnActivityMiddleware:
    """Stands in for SESSION_SAVE_EVERY_REQUEST; must come after SessionMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not request.headers.get(BACKGROUND_HEADER):
            # SessionMiddleware saves a modified, non-empty session and re-sends the
            # cookie with a fresh expiry; an empty (anonymous) session stays unsaved.
            session.modified = True
        return response
