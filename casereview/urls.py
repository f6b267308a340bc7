from django.urls import include, path

import inspection.converters  # noqa: F401 - registers the <code:…> converter
from casereview.views import domain_one as domain_one_views
from casereview.views import exports as export_views
from casereview.views import recommendations as recommendation_views
from casereview.views import report as report_views

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
    # Report draft
    path("inspections/<slug:slug>/report/", report_views.report_draft_page, name="report-draft"),
    path(
        "inspections/<slug:slug>/recommendations/",
        recommendation_views.recommendations,
        name="recommendations",
    ),
    path(
        "inspections/<slug:slug>/recommendations/<str:kind>/add/",
        recommendation_views.recommendation_edit,
        name="recommendation-add",
    ),
    path(
        "inspections/<slug:slug>/recommendations/<str:kind>/<int:pk>/",
        recommendation_views.recommendation_edit,
        name="recommendation-edit",
    ),
    path(
        "inspections/<slug:slug>/recommendations/<str:kind>/<int:pk>/remove/",
        recommendation_views.recommendation_delete,
        name="recommendation-delete",
    ),
    # Domain one
    path(
        "inspections/<slug:slug>/domain-one/",
        domain_one_views.domain_one_index,
        name="domain-one-index",
    ),
    path(
        "inspections/<slug:slug>/domain-one/<code:code>/",
        domain_one_views.domain_one,
        name="domain-one",
    ),
]
