"""Production settings for the load and fault tests on loopback.

Everything as in production (DEBUG off, persistent connections with health checks,
the full middleware) except what needs the TLS terminator that loopback lacks: secure
cookies and the HTTPS redirect. Static files are not served in these runs, so the
manifest storage (which needs collectstatic) is swapped for the plain one.
"""

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")

from config.settings import *  # noqa: E402, F403

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_PROXY_SSL_HEADER = None
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # Warnings and errors only: a request log line each would slow the run down.
    "root": {"handlers": ["console"], "level": "WARNING"},
}
