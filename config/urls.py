"""The site's addresses: the shell (home, sign-in, health check, session), the admin, and
the case review app's pages under their `casereview:` names.

Every page needs a signed-in person (LoginRequiredMiddleware, config/settings.py); the few
that are for everybody are marked `login_not_required` where they are defined, and
tests/test_login_required.py lists them.
"""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from config import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html", authentication_form=views.SignInForm
        ),
        name="login",
    ),
    # Signing out when already signed out just shows the sign-in page, as it always has.
    path("sign-out/", login_not_required(auth_views.LogoutView.as_view()), name="logout"),
    path("session/keep-alive", views.session_keep_alive, name="session-keep-alive"),
    path("session/timed-out", views.session_timed_out, name="session-timed-out"),
    path("admin/", admin.site.urls),
    # The case review app, which builds on inspection/; only this package puts them together.
    path("", include("casereview.urls")),
]

# A request the service cannot make sense of gets the GOV.UK 400 page, an error gets the
# 500 page; either caused by the database failing gets the 503 page (config/db_errors.py).
handler400 = "config.db_errors.bad_request"
handler500 = "config.db_errors.server_error"
# A refusal says whether a page could not be opened or a change was not made; a missing
# page is the GOV.UK page (with DEBUG on too: config/error_pages.py).
handler403 = "config.error_pages.permission_denied"
handler404 = "config.error_pages.page_not_found"
