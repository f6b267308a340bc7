from django.urls import include, path

app_name = "casereview"

urlpatterns = [
    # Dashboards
    path("", include("casereview.dashboards.urls")),
    # Data entry
    path("", include("casereview.entry.urls")),
    # Moderation
    path("", include("casereview.moderation.urls")),
    # Exports
    path("", include("casereview.transfer.urls")),
    # Report draft, recommendations and domain one
    path("", include("casereview.reporting.urls")),
    # Each person's email notifications
    path("", include("casereview.notifications.urls")),
]
