"""Every page of the project, walked from the URL resolver, against the access rules.

A new URL pattern is covered without touching this file; a new URL keyword must be
mapped below (the walk fails on one it does not know), so no view escapes the rules:

- anonymous: sent to sign-in (GET and POST);
- outsider: 404 for every inspection and case page, and no trace of them anywhere;
- viewer of the inspection: no case-level page (404), no case note or reference in
  anything they can open, and no POST anywhere succeeds;
- inspector: no POST succeeds on a case assigned to another inspector;
- every POST without a CSRF token is refused (403);
- a person's own settings (PERSONAL) are anyone's to change, their own only: an empty
  POST there is answered with the form's errors and changes nothing.

"Succeeds" means a status below 400. A refused request writes nothing.
"""

import io
import zipfile
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from casereview.models import (
    Case,
    CaseStatus,
    KeyQuestionAnswer,
    SavedSet,
    SecondMarking,
    SecondMarkingAnswer,
    SecondMarkingStatus,
)
from inspection.models import (
    KeyQuestion,
    PreviousRecommendation,
    Recommendation,
    Role,
    ViewerGrant,
)
from tests.factories import CaseFactory, InspectionFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

# Signing in and out, and the machine-facing health check, are for everybody.
PUBLIC = {"login", "logout", "healthz", "session-timed-out"}
NOTE = "EVIDENCE-NOTE-ONLY-THE-TEAM-MAY-READ"
REFERENCE = "WALK-REF-0001"
REFUSED = {403, 404, 405}
# Pages of the signed-in person's own settings, with no address for anyone else's.
PERSONAL = {"casereview:notification-preferences"}
# Pages without an address of a record that only some may open: a lead of some
# inspection or an administrator creates a saved set; anyone else gets 403.
LEADS_ANYWHERE = {"casereview:saved-set-create"}


@dataclass(frozen=True)
class Route:
    name: str  # namespaced: "casereview:case-detail"
    kwargs: tuple[str, ...]

    def __str__(self):
        return self.name


def _walk(patterns, namespace=None, parent_kwargs=()):
    for pattern in patterns:
        kwargs = parent_kwargs + tuple(_kwarg_names(pattern.pattern))
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue  # Django's own admin: staff only, tested in test_admin.py
            inner = pattern.namespace or namespace
            if namespace and pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}"
            yield from _walk(pattern.url_patterns, inner, kwargs)
        elif isinstance(pattern, URLPattern):
            if pattern.callback.__module__ == "django.views.static":
                continue
            assert pattern.name, f"name the URL pattern {pattern.pattern} so it can be walked"
            if pattern.name in PUBLIC and namespace is None:
                continue
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield Route(name, kwargs)


def _kwarg_names(pattern):
    converters = getattr(pattern, "converters", None)
    if converters is not None:
        return list(converters)
    return list(pattern.regex.groupindex)


ROUTES = sorted(set(_walk(get_resolver().url_patterns)), key=str)


@dataclass
class World:
    inspection: object
    case: Case  # assigned to other_inspector, in progress, with an evidence note
    second_marking: SecondMarking  # pending, by other_inspector
    second_marking_answer: SecondMarkingAnswer  # a submitted disagreement
    recommendation: Recommendation
    lead: object
    inspector: object
    other_inspector: object
    viewer: object
    outsider: object


@pytest.fixture
def world(db):
    inspection = InspectionFactory(
        slug="walk-secret-pdu", unit__name="Walk PDU", unit__region__name="Walk Region"
    )
    people = {}
    for username, role in (
        ("walk-lead", Role.LEAD),
        ("walk-inspector", Role.INSPECTOR),
        ("walk-other", Role.INSPECTOR),
    ):
        people[username] = UserFactory(username=username)
        MembershipFactory(inspection=inspection, user=people[username], role=role)
    viewer = UserFactory(username="walk-viewer")
    ViewerGrant.objects.create(user=viewer, inspection=inspection)
    outsider = UserFactory(username="walk-outsider")
    # The outsider is on a team elsewhere: access must be per inspection, not per role.
    MembershipFactory(inspection=InspectionFactory(slug="walk-elsewhere"), user=outsider)

    key_question = KeyQuestion.objects.get(standard__framework=inspection.framework, code="2.1.1")
    case = CaseFactory(inspection=inspection, reference=REFERENCE, inspector=people["walk-other"])
    KeyQuestionAnswer.objects.create(case=case, key_question=key_question, answer="no", note=NOTE)

    pending_case = CaseFactory(
        inspection=inspection, inspector=people["walk-lead"], status=CaseStatus.SUBMITTED
    )
    second_marking = SecondMarking.objects.create(
        case=pending_case, inspector=people["walk-other"], requested_by=people["walk-lead"]
    )
    marked_case = CaseFactory(
        inspection=inspection, inspector=people["walk-lead"], status=CaseStatus.SUBMITTED
    )
    KeyQuestionAnswer.objects.create(case=marked_case, key_question=key_question, answer="yes")
    marked = SecondMarking.objects.create(
        case=marked_case,
        inspector=people["walk-inspector"],
        requested_by=people["walk-lead"],
        first_inspector=people["walk-lead"],
        status=SecondMarkingStatus.SUBMITTED,
    )
    disagreement = SecondMarkingAnswer.objects.create(
        second_marking=marked, key_question=key_question, answer="no", first_answer="yes"
    )
    # A saved set of the one inspection: its pages are that inspection's, for access.
    # Its creator, the lead, may change it; nobody else below may.
    SavedSet.objects.create(
        slug="walk-set", name="Walk set", created_by=people["walk-lead"]
    ).inspections.add(inspection)
    recommendation = Recommendation.objects.create(inspection=inspection, text="Plan.", order=1)
    PreviousRecommendation.objects.create(
        inspection=inspection, text="Assess.", progress="some", order=1
    )
    return World(
        inspection=inspection,
        case=case,
        second_marking=second_marking,
        second_marking_answer=disagreement,
        recommendation=recommendation,
        lead=people["walk-lead"],
        inspector=people["walk-inspector"],
        other_inspector=people["walk-other"],
        viewer=viewer,
        outsider=outsider,
    )


# What each URL keyword means. A `pk` is a case unless the URL's name says otherwise.
PK_OBJECTS = {
    "casereview:second-marking-form": "second_marking",
    "casereview:consistency-resolve": "second_marking_answer",
    "casereview:recommendation-edit": "recommendation",
    "casereview:recommendation-delete": "recommendation",
}
CODES = {
    "casereview:key-question-no": "2.1.1",  # a key question
    "casereview:key-question-yes": "2.1.1",
    "casereview:domain-one": "1.1",  # a domain-one standard
}
KINDS = {"casereview:recommendation-add": "current"}
# Who may open the page, when not the lead: a second marking is its marker's alone.
OWNERS = {"casereview:second-marking-form": "other_inspector"}
# Pages about one case (or one second marking of a case), besides those with a case pk.
CASE_LEVEL = {
    "casereview:key-question-no",
    "casereview:key-question-yes",
    "casereview:second-marking-form",
    "casereview:inspection-cases",  # every case of the sample, for the team
}


def kwargs_for(route: Route, world: World) -> dict:
    values = {}
    for name in route.kwargs:
        if name == "slug":
            values[name] = world.inspection.slug
        elif name in ("pk", "case_pk"):
            attribute = PK_OBJECTS.get(route.name, "case") if name == "pk" else "case"
            values[name] = getattr(world, attribute).pk
        elif name == "code" and route.name in CODES:
            values[name] = CODES[route.name]
        elif name == "set_slug":
            values[name] = "walk-set"
        elif name == "section":
            values[name] = "assessment"
        elif name == "kind":
            values[name] = KINDS.get(route.name, "current")
        else:
            pytest.fail(
                f"{route.name}: map the URL keyword {name!r} in tests/test_url_access.py, "
                "so the access walk covers the new page"
            )
    return values


def url_for(route: Route, world: World) -> str:
    return reverse(route.name, kwargs=kwargs_for(route, world))


def is_case_level(route: Route) -> bool:
    about_a_case = "case_pk" in route.kwargs or (
        "pk" in route.kwargs and PK_OBJECTS.get(route.name, "case") == "case"
    )
    return about_a_case or route.name in CASE_LEVEL


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def body(response) -> bytes:
    """What the response shows, including inside a downloaded workbook or Word document
    (casereview:export-workbook, casereview:report-draft-docx: both zip archives)."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            content += b"".join(archive.read(name) for name in archive.namelist())
    return content


def fingerprint():
    """Row counts of every table of the two apps (histories included), and each case's
    changeable state: a refused request must leave all of it as it was."""
    counts = {
        model._meta.label: model._default_manager.count()
        for app in ("inspection", "casereview")
        for model in apps.get_app_config(app).get_models()
    }
    cases = list(Case.objects.order_by("pk").values_list("pk", "version", "status", "inspector_id"))
    return counts, cases


def assert_refused_and_unchanged(client, url, refused=REFUSED):
    before = fingerprint()
    response = client.post(url, {})
    assert response.status_code in refused, f"POST {url}: {response.status_code}"
    assert fingerprint() == before, f"POST {url} was refused but changed data"
    return response


def refused_for(route: Route) -> set[int]:
    """What an empty POST by someone with no business there may get."""
    return REFUSED | {200} if route.name in PERSONAL else REFUSED


def assert_no_trace(response, world, url):
    content = body(response)
    for secret in (world.inspection.slug, REFERENCE, NOTE):
        assert secret.encode() not in content, f"{url} shows {secret!r}"


def test_the_walk_finds_the_pages():
    names = {route.name for route in ROUTES}
    assert {"home", "casereview:inspection-dashboard", "casereview:case-detail"} <= names
    assert "session-keep-alive" in names
    # Downloads are walked like pages: their contents are read by body().
    assert {"casereview:export-workbook", "casereview:report-draft-docx"} <= names
    assert not names & PUBLIC


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_the_team_can_reach_each_page_so_refusals_below_mean_something(world, route):
    owner = getattr(world, OWNERS.get(route.name, "lead"))
    url = url_for(route, world)
    response = client_for(owner).get(url)
    assert response.status_code not in (403, 404), f"GET {url} as the team: {response.status_code}"


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_anonymous_is_sent_to_sign_in(world, route):
    url = url_for(route, world)
    client = client_for(None)
    sign_in = reverse("login")
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        if response.status_code == 405:
            continue  # refused before anything is looked up
        assert response.status_code == 302, f"{method.upper()} {url}: {response.status_code}"
        assert response["Location"].startswith(f"{sign_in}?next="), response["Location"]


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_outsider_gets_404_and_sees_no_trace(world, route):
    url = url_for(route, world)
    client = client_for(world.outsider)
    response = client.get(url)
    if route.kwargs:
        assert response.status_code in (404, 405), f"GET {url}: {response.status_code}"
    elif route.name in LEADS_ANYWHERE:
        assert response.status_code == 403, f"GET {url}: {response.status_code}"
    else:
        assert response.status_code < 400 or response.status_code == 405
    assert_no_trace(response, world, url)
    refused = assert_refused_and_unchanged(
        client, url, refused={404, 405} if route.kwargs else refused_for(route)
    )
    assert_no_trace(refused, world, url)


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_viewer_never_writes_and_never_sees_a_case(world, route):
    url = url_for(route, world)
    client = client_for(world.viewer)
    assert_refused_and_unchanged(client, url, refused_for(route))
    response = client.get(url)
    if is_case_level(route):
        assert response.status_code in (404, 405), f"GET {url}: {response.status_code}"
    content = body(response)
    assert NOTE.encode() not in content, f"{url} shows a case note to a viewer"
    assert REFERENCE.encode() not in content, f"{url} shows a case reference to a viewer"


CASE_WRITES = [route for route in ROUTES if is_case_level(route) and route.kwargs]


@pytest.mark.parametrize("route", CASE_WRITES, ids=str)
def test_inspector_cannot_change_another_inspectors_case(world, route):
    url = url_for(route, world)
    assert_refused_and_unchanged(client_for(world.inspector), url)


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_post_without_a_csrf_token_is_refused(world, route):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.lead)
    url = url_for(route, world)
    before = fingerprint()
    response = client.post(url, {})
    assert response.status_code == 403, f"POST {url} without a token: {response.status_code}"
    assert fingerprint() == before


@pytest.mark.parametrize("name", sorted(PUBLIC - {"healthz"}))
def test_sign_in_and_out_forms_need_a_csrf_token_too(name):
    client = Client(enforce_csrf_checks=True)
    assert client.post(reverse(name), {}).status_code == 403


CHANGE_REFUSED = b"Nothing has been saved"
OPEN_REFUSED = b"does not let you open this page"


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_a_refusal_says_whether_a_page_or_a_change_was_refused(world, route):
    """Opening a page changes nothing, so its 403 does not say "Nothing has been saved"."""
    url = url_for(route, world)
    for user in (world.viewer, world.inspector):
        client = client_for(user)
        opened = client.get(url)
        if opened.status_code == 403:
            assert OPEN_REFUSED in opened.content and CHANGE_REFUSED not in opened.content, url
        changed = client.post(url, {})
        if changed.status_code == 403:
            assert CHANGE_REFUSED in changed.content and OPEN_REFUSED not in changed.content, url


@pytest.mark.parametrize("route", [route for route in ROUTES if route.kwargs], ids=str)
def test_a_404_is_the_govuk_page_with_debug_on_too(world, route, settings):
    """`make run` runs with DEBUG on: still no technical page listing every address."""
    settings.DEBUG = True
    url = url_for(route, world)
    response = client_for(world.outsider).get(url)
    if response.status_code == 404:
        assert b"Page not found" in response.content, url
        assert b"URLconf" not in response.content, url


def test_an_unknown_address_is_the_govuk_404_with_debug_on(world, settings):
    settings.DEBUG = True
    response = client_for(world.lead).get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content and b"URLconf" not in response.content
    assert b"Sign out" in response.content  # the service's own page, with its menu
