"""Each person's email choice, for an administrator answering "why did I get no email?"."""

from django.contrib import admin

from casereview.notifications.models import NotificationPreference


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "email", "updated_at")
    list_filter = ("email",)
    search_fields = ("user__username", "user__first_name", "user__last_name")
    autocomplete_fields = ("user",)
    readonly_fields = ("updated_at",)
