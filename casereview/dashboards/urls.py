from django.urls import path

import inspection.converters  # noqa: F401 - registers the <code:…> converter
from casereview.dashboards import views

urlpatterns = [
    path("inspections/<slug:slug>/", views.inspection_dashboard, name="inspection-dashboard"),
    path(
        "inspections/<slug:slug>/key-questions/<code:code>/no/",
        views.key_question_no_cases,
        name="key-question-no",
    ),
    path(
        "inspections/<slug:slug>/key-questions/<code:code>/yes/",
        views.key_question_yes_cases,
        name="key-question-yes",
    ),
    path("overview/", views.overview, name="overview"),
    # Summaries and exports of an inspection's figures
    path("inspections/<slug:slug>/summary.json", views.summary_json, name="summary-json"),
]
