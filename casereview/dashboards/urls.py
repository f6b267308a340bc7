from django.urls import path

import inspection.converters  # noqa: F401 - registers the <code:…> converter
from casereview.dashboards import saved_sets_views, sets_views, views

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
    # Sets of inspections read as one: the overview's filters, or a saved set; each
    # has its dashboard's pages (figures, PDU comparison, trends)
    *[
        path(
            f"overview/set/{tab.path}",
            sets_views.overview_set_dashboard,
            {"tab": tab},
            name=tab.url_name,
        )
        for tab in sets_views.TABS
    ],
    # A lead's saved sets ("new" is no set's address: the form refuses it)
    path("sets/", saved_sets_views.saved_set_list, name="saved-set-list"),
    path("sets/new/", saved_sets_views.saved_set_create, name="saved-set-create"),
    *[
        path(
            f"sets/<slug:set_slug>/{tab.path}",
            sets_views.saved_set_dashboard,
            {"tab": tab},
            name=f"saved-{tab.url_name}",
        )
        for tab in sets_views.TABS
    ],
    path("sets/<slug:set_slug>/edit/", saved_sets_views.saved_set_edit, name="saved-set-edit"),
    path(
        "sets/<slug:set_slug>/delete/", saved_sets_views.saved_set_delete, name="saved-set-delete"
    ),
    path(
        "overview/summary.json",
        sets_views.overview_summary_json,
        name="set-summary-json",
    ),
    path(
        "sets/<slug:set_slug>/summary.json",
        sets_views.saved_set_summary_json,
        name="saved-set-summary-json",
    ),
]
