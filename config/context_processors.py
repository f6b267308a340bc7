from django.conf import settings


def service(request):
    return {
        "service_name": settings.SERVICE_NAME,
        "protective_marking": settings.PROTECTIVE_MARKING,
        "session_idle_seconds": settings.SESSION_COOKIE_AGE,
        "session_warning_seconds": settings.SESSION_WARNING_SECONDS,
    }
