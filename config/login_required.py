"""Every page needs a signed-in person unless its view says otherwise.

Django's LoginRequiredMiddleware sends anyone not signed in to sign-in (LOGIN_URL) before
any view runs, so a page whose decorator was forgotten is not exposed. A view for
everybody is marked `login_not_required` (sign-in, sign-out, the health check, the
timed-out page); tests/test_login_required.py walks every URL and lists them.

The admin is the one site left to its own gate: each of its pages goes through
`AdminSite.admin_view`, which is stricter (staff only) and sends people to the admin's own
sign-in page. Without this exception, the model pages would send them to the service's
sign-in instead, and a signed-out visit to the admin's sign-out would end on a refusal.
"""

from django.contrib.auth import middleware


class LoginRequiredMiddleware(middleware.LoginRequiredMiddleware):
    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None and match.app_name == "admin":
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
