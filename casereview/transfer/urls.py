from django.urls import path

from casereview.transfer import views

urlpatterns = [
    path("inspections/<slug:slug>/exports/", views.exports, name="exports"),
    path("inspections/<slug:slug>/export/cases.csv", views.cases_csv, name="export-cases-csv"),
    path(
        "inspections/<slug:slug>/export/workbook.xlsx",
        views.workbook_xlsx,
        name="export-workbook",
    ),
    # A set's workbook (the set dashboards are `dashboards`')
    path("overview/set/workbook.xlsx", views.overview_set_workbook, name="set-workbook"),
    path("sets/<slug:set_slug>/workbook.xlsx", views.saved_set_workbook, name="saved-set-workbook"),
]
