from django.urls import path

from casereview.notifications import views

urlpatterns = [
    path("email-notifications/", views.preferences, name="notification-preferences"),
]
