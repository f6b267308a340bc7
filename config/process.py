"""A serving process, settled once it has loaded."""

from __future__ import annotations

import gc

from django.urls import get_resolver


def settle() -> None:
    """Load the URL configuration (and every view with it), then move all the process
    holds so far into the garbage collector's permanent generation.

    Those objects (Django, the apps, the URL patterns) live as long as the process, yet
    a full collection walks every one of them: on a national set's dashboard one fell
    every few requests and took 50 to 80 ms; frozen, about 5 ms (`docs/benchmarks.md`).
    The WSGI application calls this once loaded; the benchmarks call it too, so they
    time requests as the server serves them.
    """
    get_resolver().url_patterns  # noqa: B018 - imports the views now, not at a request
    gc.freeze()
