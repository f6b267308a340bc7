"""The project: settings, root URLs, WSGI/ASGI and the site shell (home, sign-in, health
check, session keep-alive and time-out, and the middleware every request passes through).

It puts the apps together: `inspection` (framework, units, inspections, the pure engine)
and `casereview`, which builds on it. Neither app imports this package; they read settings
through `django.conf.settings`.
"""
