from functools import cache

from django.conf import settings

from inspection.models import Inspection


def service(request):
    return {
        "service_name": settings.SERVICE_NAME,
        "protective_marking": settings.PROTECTIVE_MARKING,
        "session_idle_seconds": settings.SESSION_COOKIE_AGE,
        "session_warning_seconds": settings.SESSION_WARNING_SECONDS,
    }


def navigation(request):
    """Whether the menu offers case work (My cases, Second marking): only to someone on an
    inspection's team. A viewer has no cases to record or mark. Asked only when the menu
    is drawn, and once per page."""
    user = getattr(request, "user", None)

    @cache
    def on_a_team() -> bool:
        return user is not None and Inspection.objects.on_team_of(user).exists()

    return {"user_on_a_team": on_a_team}
