"""NUL bytes and junk in addresses, walked from the URL resolver: never a 500.

PostgreSQL refuses NUL in text, so a NUL that reaches a query is a 500 there (and not on
SQLite): run this file with DATABASE_URL set too. Every URL pattern, Django admin's
included, gets a NUL in each of its keywords (404), every page a NUL in each query
string parameter it reads (400), and every URL with a framework code junk codes (404).
"""

import re
from io import StringIO
from urllib.parse import quote

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from casereview.models import Case
from casereview.transfer.importing import CaseImportError, import_cases
from inspection.converters import FrameworkCodeConverter
from tests.test_url_access import (  # noqa: F401 - world is a fixture
    OWNERS,
    ROUTES,
    Route,
    kwargs_for,
    url_for,
    world,
)

pytestmark = pytest.mark.django_db

NUL = "\x00"
FIELD_NAME = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"')
# The parameters an admin changelist reads: its filter links, search, ordering, page.
ADMIN_PARAMETER = re.compile(r'href="\?([^"=&]+)=')
ADMIN_PARAMETERS = ("q", "o", "p", "_changelist_filters")


def _keywords(pattern) -> tuple[str, ...]:
    """The pattern's keywords; unnamed regex groups (simple_history's) as #0, #1…"""
    named = tuple(getattr(pattern, "converters", None) or pattern.regex.groupindex)
    unnamed = pattern.regex.groups - len(pattern.regex.groupindex)
    return named + tuple(f"#{number}" for number in range(unnamed))


def _admin_routes(patterns, parent=()):
    for pattern in patterns:
        kwargs = parent + _keywords(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _admin_routes(pattern.url_patterns, kwargs)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield Route(f"admin:{pattern.name}", kwargs)


ADMIN_ROUTES = sorted(set(_admin_routes(admin.site.urls[0])), key=str)


def admin_values(route: Route, cast) -> dict:
    """A value for each keyword of an admin URL: the pattern's own app, an existing pk."""
    values = {}
    for name in route.kwargs:
        if name == "app_label":
            values[name] = "casereview"
        elif name == "content_type_id":
            values[name] = 1
        elif name == "#1":
            values[name] = "4242"  # a history version: any number, distinct from the pk
        else:  # object_id, id, a history version: the pk of an existing row
            values[name] = str(cast.case.pk)
    return values


def admin_url(route: Route, cast) -> str:
    values = admin_values(route, cast)
    args = [value for name, value in values.items() if name.startswith("#")]
    kwargs = {name: value for name, value in values.items() if not name.startswith("#")}
    return reverse(route.name, args=args) if args else reverse(route.name, kwargs=kwargs)


def with_nul_in(url: str, value) -> str:
    """The URL with a NUL after the path segment holding `value`."""
    segment = f"/{quote(str(value))}/"
    assert segment in url, f"{value!r} is not a segment of {url}"
    return url.replace(segment, f"/{quote(str(value))}%00/", 1)


def test_the_walk_covers_admin_and_the_coded_pages():
    names = {route.name for route in ADMIN_ROUTES}
    assert {"admin:casereview_case_change", "admin:casereview_case_simple_history"} <= names
    assert all(route.kwargs for route in ADMIN_ROUTES if route.name.endswith("_simple_history"))
    assert {"casereview:key-question-no", "casereview:domain-one"} <= {r.name for r in ROUTES}


def test_every_url_with_a_framework_code_uses_the_code_converter():
    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns)
            else:
                yield pattern

    coded = [p for p in walk(get_resolver().url_patterns) if "code" in p.pattern.converters]
    assert coded, "no URL takes a framework code"
    for pattern in coded:
        converter = pattern.pattern.converters["code"]
        assert isinstance(converter, FrameworkCodeConverter), pattern.pattern


@pytest.mark.parametrize("route", [r for r in ROUTES if r.kwargs], ids=str)
def test_a_nul_in_any_url_keyword_is_a_404(world, route):  # noqa: F811
    client = Client(raise_request_exception=False)
    client.force_login(getattr(world, OWNERS.get(route.name, "lead")))
    url = url_for(route, world)
    for name, value in kwargs_for(route, world).items():
        for method in ("get", "post"):
            response = getattr(client, method)(with_nul_in(url, value))
            assert response.status_code == 404, f"{method} {url} ({name}): {response.status_code}"


@pytest.mark.parametrize("route", [r for r in ADMIN_ROUTES if r.kwargs], ids=str)
def test_a_nul_in_any_admin_url_keyword_is_a_404(world, admin_user, route):  # noqa: F811
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    url = admin_url(route, world)
    for name, value in admin_values(route, world).items():
        response = client.get(with_nul_in(url, value))
        assert response.status_code == 404, f"GET {url} ({name}): {response.status_code}"


@pytest.mark.parametrize("route", [r for r in ROUTES if "code" in r.kwargs], ids=str)
@pytest.mark.parametrize("junk", ["2.1.1x", "2.1.", "x", "1..1", "2.1.1.a", "9.9.9", "1" * 40])
def test_a_junk_framework_code_is_a_404(world, route, junk):  # noqa: F811
    client = Client(raise_request_exception=False)
    client.force_login(world.lead)
    url = url_for(route, world).replace(f"/{kwargs_for(route, world)['code']}/", f"/{junk}/")
    assert client.get(url).status_code == 404, url


def query_parameters(client, url: str, pattern=FIELD_NAME) -> list[str]:
    response = client.get(url)
    content = b"" if response.streaming else response.content
    names = set(pattern.findall(content.decode(errors="replace")))
    return sorted(names - {"csrfmiddlewaretoken"})


def assert_nul_in_the_query_is_a_400(client, url: str, names) -> None:
    assert client.get(url).status_code < 400, f"GET {url} works without the NUL"
    for name in [*names, "notes", "next", "unknown"]:
        for query in (f"{name}=a%00b", f"{name}%00=1", f"{name}=%00"):
            response = client.get(f"{url}?{query}")
            assert response.status_code == 400, f"GET {url}?{query}: {response.status_code}"


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_a_nul_in_any_query_string_parameter_is_a_400(world, route):  # noqa: F811
    client = Client(raise_request_exception=False)
    client.force_login(getattr(world, OWNERS.get(route.name, "lead")))
    url = url_for(route, world)
    if client.get(url).status_code == 405:
        return  # a POST-only action: it reads no query string
    assert_nul_in_the_query_is_a_400(client, url, query_parameters(client, url))


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m._meta.label)
def test_a_nul_in_any_admin_changelist_parameter_is_a_400(world, admin_user, model):  # noqa: F811
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    names = [*query_parameters(client, url, ADMIN_PARAMETER), *ADMIN_PARAMETERS]
    assert_nul_in_the_query_is_a_400(client, url, names)


def test_sign_in_refuses_a_nul_in_its_next_parameter(client):
    assert client.get(reverse("login") + "?next=/%00").status_code == 400


# NUL in a case file: `row N, column C`, from the import service, for every way in.

NUL_FILE = (
    b"reference,case_type,rosh,office,2.1.1,2.1.1 note\n"
    b"WS-001,community,high,Craw\x00ley,Yes,fine\n"
    b"WS-002,licence,low,Crawley,Yes,Seen\x00 in the record\n"
)
NUL_PROBLEMS = [
    "row 2, column office: contains a NUL character, which cannot be stored",
    "row 3, column 2.1.1 note: contains a NUL character, which cannot be stored",
]


def test_a_nul_in_a_cell_is_reported_by_row_and_column(inspection):
    with pytest.raises(CaseImportError) as refused:
        import_cases(inspection=inspection, data=NUL_FILE)
    assert refused.value.errors == NUL_PROBLEMS
    assert not Case.objects.exists()
    with pytest.raises(CaseImportError) as refused:
        import_cases(
            inspection=inspection, data=b"reference,case_type,rosh,x\x00\nA,community,low,\n"
        )
    assert refused.value.errors == ["row 1, column x: the name contains a NUL character"]


def test_the_admin_upload_lists_a_nul_cell_by_row_and_column(client, admin_user, inspection):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:casereview_case_import"),
        {"inspection": inspection.pk, "file": SimpleUploadedFile("s.csv", NUL_FILE)},
    )
    assert response.status_code == 200
    assert response.context["errors"] == NUL_PROBLEMS
    assert not Case.objects.exists()


def test_the_command_prints_a_nul_cell_by_row_and_column_without_a_traceback(inspection, tmp_path):
    path = tmp_path / "nul.csv"
    path.write_bytes(NUL_FILE)
    err = StringIO()
    with pytest.raises(CommandError, match="2 problems found; nothing imported"):
        call_command("import_cases", inspection.slug, str(path), stdout=StringIO(), stderr=err)
    assert err.getvalue().splitlines() == NUL_PROBLEMS
    with pytest.raises(CommandError, match="not a file name"):
        call_command("import_cases", inspection.slug, "x\x00.csv", stderr=StringIO())
