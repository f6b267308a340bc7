from django.urls import include, path

import inspection.converters  # noqa: F401 - registers the <code:…> converter
from casereview.views import exports as export_views

app_name = "casereview"

urlpatterns = [
    # Dashboards
    path("", include("casereview.dashboards.urls")),
    # Data entry
    path("", include("casereview.entry.urls")),
    # Moderation
    path("", include("casereview.moderation.urls")),
    # Exports
    path("inspections/<slug:slug>/exports/", export_views.exports, name="exports"),
    path(
        "inspections/<slug:slug>/export/cases.csv", export_views.cases_csv, name="export-cases-csv"
    ),
    path(
        "inspections/<slug:slug>/export/workbook.xlsx",
        export_views.workbook_xlsx,
        name="export-workbook",
    ),
    # Report draft, recommendations and domain one
    path("", include("casereview.reporting.urls")),
]
