from django.urls import path

from casereview.entry import team_cases, views

urlpatterns = [
    path("my-cases/", views.my_cases, name="my-cases"),
    path("inspections/<slug:slug>/cases/", team_cases.inspection_cases, name="inspection-cases"),
    path("cases/<int:pk>/", views.case_detail, name="case-detail"),
    path("cases/<int:pk>/sections/<slug:section>/", views.case_section, name="case-section"),
    path("cases/<int:pk>/check/", views.case_check, name="case-check"),
    path("cases/<int:pk>/submit/", views.case_submit, name="case-submit"),
]
