from django.urls import path

from casereview.views import dashboard, summary

app_name = "casereview"

urlpatterns = [
    # Dashboards
    path("inspections/<slug:slug>/", dashboard.inspection_dashboard, name="inspection-dashboard"),
    # Summaries and exports of an inspection's figures
    path("inspections/<slug:slug>/summary.json", summary.summary_json, name="summary-json"),
]
