"""The site shell: home (a person's inspections), the sign-in form, the health check, and the
session's keep-alive and time-out. Every view needs a signed-in person unless marked
`login_not_required` (LoginRequiredMiddleware)."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.sessions.models import Session
from django.db import DatabaseError, transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from config.db_errors import RETRY_AFTER_SECONDS, log_unavailable
from inspection.access import inspections_for_user
from inspection.govuk_forms import GovUKFormMixin, govuk


class SignInForm(GovUKFormMixin, AuthenticationForm):
    username = govuk(
        forms.CharField(
            label="Username",
            max_length=150,
            error_messages={"required": "Enter your username"},
            widget=forms.TextInput(attrs={"autocomplete": "username"}),
        ),
        width="govuk-!-width-one-half",
        autocapitalize="none",
    )
    password = govuk(
        forms.CharField(
            label="Password",
            strip=False,
            error_messages={"required": "Enter your password"},
            widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        ),
        width="govuk-!-width-one-half",
    )

    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is inactive.",
    }


@require_GET
def home(request):
    inspections = (
        inspections_for_user(request.user)
        .select_related("unit__region")
        .order_by("-fieldwork_start", "slug")
    )
    return render(request, "home.html", {"inspections": inspections})


@require_GET
@never_cache
@login_not_required
def healthz(request):
    """200 when the database answers and accepts a write, 503 otherwise (for load balancers
    and monitors). Every page saves the session, so a database that can be read but not
    written (disk full, read-only) is down too. The write is a session row in a transaction
    that is rolled back: nothing is kept, nobody else waits on it."""
    try:
        with transaction.atomic():
            Session.objects.create(
                session_key=f"healthz-{get_random_string(32)}",
                session_data="",
                expire_date=timezone.now(),
            )
            transaction.set_rollback(True)
    except DatabaseError as error:
        log_unavailable(request, error)
        response = HttpResponse("database unavailable\n", status=503, content_type="text/plain")
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponse("ok\n", content_type="text/plain")


@require_GET
@never_cache
def session_keep_alive(request):
    """For "Stay signed in": every signed-in request renews the session; no body needed."""
    return HttpResponse(status=204)


@require_POST
@login_not_required
def session_timed_out(request):
    """Where the timeout warning sends the browser when time runs out: sign out, say why."""
    logout(request)
    seconds = settings.SESSION_COOKIE_AGE
    idle = f"{seconds // 60} minutes" if seconds >= 120 else f"{seconds} seconds"
    messages.info(
        request,
        f"We signed you out because you did not do anything for {idle}. Sign in again to carry on.",
    )
    return redirect("login")
