"""Every page needs a signed-in person unless it is on the public list below.

The walk covers every URL pattern the resolver knows, the admin's included, so a new page
is checked without touching this file; a page made public must be added to PUBLIC (and
marked `login_not_required`), or this fails.
"""

import re

import pytest
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, include, path, reverse
from django.urls.resolvers import RegexPattern

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

# For everybody: signing in and out, the timed-out page the warning posts to, and the
# machine-facing health check; the admin's own sign-in page.
PUBLIC = {"login", "logout", "healthz", "session-timed-out", "admin:login"}
# Signed out, the admin's sign-out goes to the admin's front page (which then asks to sign in).
ADMIN_REDIRECTS = {"admin:logout": "admin:index"}
# A value for each URL keyword: whatever is there, no page may be reached without signing in.
KEYWORD_VALUES = {
    "slug": "any-inspection",
    "pk": 1,
    "case_pk": 1,
    "code": "2.1.1",
    "set_slug": "any-set",
    "section": "assessment",
    "kind": "current",
    "object_id": "1",
    "content_type_id": "1",
    "history_id": "1",
    "id": "1",
    "url": "no-such-page/",
}


def _walk(patterns, namespace=None, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            if namespace and pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}"
            yield from _walk(pattern.url_patterns, inner, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            if pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                yield name, (pattern, _url_of_named)
            else:
                # Only Django's admin has unnamed patterns (its old change-page addresses).
                assert namespace == "admin", f"name the URL pattern {pattern.pattern}"
                route = prefix + str(pattern.pattern)
                if isinstance(pattern.pattern, RegexPattern):  # the catch-all: any address
                    assert list(pattern.pattern.regex.groupindex) == ["url"], route
                    route = prefix + KEYWORD_VALUES["url"]
                yield f"admin:<{route}>", (pattern, lambda _name, _pattern, r=route: _fill(r))


def _keywords(pattern) -> list[str]:
    return list(getattr(pattern.pattern, "converters", None) or pattern.pattern.regex.groupindex)


def _value(name, keyword):
    assert keyword in KEYWORD_VALUES, (
        f"{name}: give the URL keyword {keyword!r} a value in tests/test_login_required.py"
    )
    return KEYWORD_VALUES[keyword]


def _url_of_named(name, pattern) -> str:
    if name == "admin:app_list":
        return reverse(name, kwargs={"app_label": "inspection"})
    keywords = _keywords(pattern)
    if not keywords and pattern.pattern.regex.groups:  # simple-history's unnamed groups
        return reverse(name, args=["1"] * pattern.pattern.regex.groups)
    return reverse(name, kwargs={keyword: _value(name, keyword) for keyword in keywords})


def _fill(route: str) -> str:
    """/admin/inspection/unit/<path:object_id>/ with a value for each keyword."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(_value(route, m[1])), route)


def _url(name) -> str:
    pattern, url_of = PATTERNS[name]
    return url_of(name, pattern)


PATTERNS = dict(_walk(get_resolver().url_patterns))
PROTECTED = sorted(set(PATTERNS) - PUBLIC)


def test_the_walk_finds_every_kind_of_page():
    assert {"home", "session-keep-alive", "casereview:summary-json"} <= set(PROTECTED)
    assert {"admin:index", "admin:casereview_case_changelist", "admin:casereview_case_import"} <= (
        set(PROTECTED)
    )
    assert set(PATTERNS) >= PUBLIC


def test_the_public_pages_are_exactly_those_marked_login_not_required():
    marked = {
        name
        for name, (pattern, _) in PATTERNS.items()
        if getattr(pattern.callback, "login_required", True) is False
    }
    assert marked == PUBLIC


@pytest.mark.parametrize("name", sorted(PUBLIC - {"logout"}))
def test_a_public_page_answers_anybody(name):
    response = Client().get(reverse(name))
    assert response.status_code in (200, 405), f"GET {name}: {response.status_code}"


def test_signing_out_when_signed_out_shows_the_sign_in_page():
    response = Client().post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")


@pytest.mark.parametrize("name", PROTECTED)
def test_anybody_not_signed_in_is_sent_to_sign_in(name):
    url = _url(name)
    admin = name.startswith("admin:")
    sign_in = reverse("admin:login" if admin else "login")
    for method in ("get", "post"):
        response = getattr(Client(), method)(url)
        assert response.status_code == 302, f"{method.upper()} {url}: {response.status_code}"
        if name in ADMIN_REDIRECTS:
            assert response["Location"] == reverse(ADMIN_REDIRECTS[name])
        else:
            assert response["Location"] == f"{sign_in}?next={url}", response["Location"]


# A page added without any decorator at all: the middleware still guards it.
def _undecorated(request):
    return HttpResponse("a page someone forgot to protect")


@login_not_required
def _public(request):
    return HttpResponse("for everybody")


urlpatterns = [
    path("undecorated/", _undecorated, name="undecorated"),
    path("public/", _public, name="public"),
    path("", include("config.urls")),
]


@pytest.mark.urls(__name__)
def test_a_page_with_no_decorator_is_not_exposed(lead):
    response = Client().get("/undecorated/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/undecorated/"

    signed_in = Client()
    signed_in.force_login(lead)
    assert signed_in.get("/undecorated/").content == b"a page someone forgot to protect"
    assert Client().get("/public/").content == b"for everybody"


def test_static_files_need_no_sign_in(settings):
    settings.WHITENOISE_USE_FINDERS = True  # as in development; production serves STATIC_ROOT
    for url in ("/static/css/app.css", "/static/js/init.js", "/static/admin/css/base.css"):
        response = Client().get(url)
        assert response.status_code == 200, f"GET {url}: {response.status_code}"


def test_the_admin_sign_in_page_works(admin_user):
    client = Client()
    page = client.get(reverse("admin:login"))
    assert page.status_code == 200
    response = client.post(
        reverse("admin:login"),
        {"username": admin_user.username, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200
