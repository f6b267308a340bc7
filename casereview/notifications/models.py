"""Each person's choice about the service's emails: on unless they turn them off."""

from django.conf import settings
from django.db import models


class NotificationPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email = models.BooleanField(
        "send me emails when I need to act",
        default=True,
        help_text="Cases assigned to you, returned to you or sent to you for second marking; "
        "for a lead, a sample with every case submitted",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "casereview"

    def __str__(self) -> str:
        return f"{self.user}: {'emails' if self.email else 'no emails'}"
