from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from casereview.notifications.forms import NO, YES, PreferenceForm
from casereview.notifications.models import NotificationPreference


@require_http_methods(["GET", "POST"])
def preferences(request):
    """Anyone signed in chooses whether the service emails them."""
    preference = NotificationPreference.objects.filter(user=request.user).first()
    wanted = preference is None or preference.email
    data = request.POST if request.method == "POST" else None
    form = PreferenceForm(data, initial={"email": YES if wanted else NO})
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"] == YES
        NotificationPreference.objects.update_or_create(
            user=request.user, defaults={"email": email}
        )
        messages.success(
            request,
            "We will email you when you need to act"
            if email
            else "We will not email you. Check My cases and Second marking for new work.",
        )
        return redirect("casereview:notification-preferences")
    return render(
        request,
        "casereview/notifications/preferences.html",
        {"form": form, "has_address": bool(request.user.email)},
    )
