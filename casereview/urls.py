from django.urls import path

from casereview.views import cases, dashboard, summary

app_name = "casereview"

urlpatterns = [
    # Dashboards
    path("inspections/<slug:slug>/", dashboard.inspection_dashboard, name="inspection-dashboard"),
    path(
        "inspections/<slug:slug>/key-questions/<str:code>/no/",
        dashboard.key_question_no_cases,
        name="key-question-no",
    ),
    path("overview/", dashboard.overview, name="overview"),
    # Summaries and exports of an inspection's figures
    path("inspections/<slug:slug>/summary.json", summary.summary_json, name="summary-json"),
    # Data entry
    path("my-cases/", cases.my_cases, name="my-cases"),
    path("cases/<int:pk>/", cases.case_detail, name="case-detail"),
    path("cases/<int:pk>/sections/<slug:section>/", cases.case_section, name="case-section"),
    path("cases/<int:pk>/check/", cases.case_check, name="case-check"),
    path("cases/<int:pk>/submit/", cases.case_submit, name="case-submit"),
]
