from django.urls import path

from casereview.moderation import views, views_double_marking

urlpatterns = [
    path(
        "inspections/<slug:slug>/moderation/",
        views.moderation_list,
        name="moderation",
    ),
    path("cases/<int:pk>/return/", views.case_return, name="case-return"),
    path("cases/<int:pk>/moderate/", views.case_moderate, name="case-moderate"),
    path("cases/<int:pk>/reopen/", views.case_reopen_view, name="case-reopen"),
    path("cases/<int:pk>/correct/", views.case_correct, name="case-correct"),
    path(
        "inspections/<slug:slug>/double-marking/",
        views_double_marking.double_marking,
        name="double-marking",
    ),
    path(
        "inspections/<slug:slug>/double-marking/<int:pk>/withdraw/",
        views_double_marking.withdraw,
        name="double-marking-withdraw",
    ),
    path("second-marking/", views_double_marking.second_marking_list, name="second-marking-list"),
    path(
        "second-marking/<int:pk>/",
        views_double_marking.second_marking_form,
        name="second-marking-form",
    ),
    path(
        "inspections/<slug:slug>/consistency/",
        views_double_marking.consistency,
        name="consistency",
    ),
    path(
        "inspections/<slug:slug>/consistency/<int:pk>/resolve/",
        views_double_marking.resolve,
        name="consistency-resolve",
    ),
]
