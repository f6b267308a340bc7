from django.urls import path

import inspection.converters  # noqa: F401 - registers the <code:…> converter
from casereview.reporting import views

urlpatterns = [
    # Report draft
    path("inspections/<slug:slug>/report/", views.report_draft_page, name="report-draft"),
    path(
        "inspections/<slug:slug>/report/draft.docx",
        views.report_draft_docx,
        name="report-draft-docx",
    ),
    path(
        "inspections/<slug:slug>/recommendations/",
        views.recommendations,
        name="recommendations",
    ),
    path(
        "inspections/<slug:slug>/recommendations/<str:kind>/add/",
        views.recommendation_edit,
        name="recommendation-add",
    ),
    path(
        "inspections/<slug:slug>/recommendations/<str:kind>/<int:pk>/",
        views.recommendation_edit,
        name="recommendation-edit",
    ),
    path(
        "inspections/<slug:slug>/recommendations/<str:kind>/<int:pk>/remove/",
        views.recommendation_delete,
        name="recommendation-delete",
    ),
    # Domain one
    path(
        "inspections/<slug:slug>/domain-one/",
        views.domain_one_index,
        name="domain-one-index",
    ),
    path(
        "inspections/<slug:slug>/domain-one/<code:code>/",
        views.domain_one,
        name="domain-one",
    ),
]
