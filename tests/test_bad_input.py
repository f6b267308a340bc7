"""Bad input, generated: arbitrary data posted to every form of the project, and
arbitrary files to the case importer, never get a 500 and never write in part.

Every URL pattern is walked from the URL resolver (as tests/test_url_access.py does,
whose cast and keyword mapping this file reuses), signed in as the inspection's lead.
For each page that takes a POST, hypothesis posts mixes of the page's own field names
(some missing), unknown names, random Unicode, strings far over any limit, NUL
characters, wrong choices and the IDs of another inspection's objects. A refusal
(any 4xx) must leave every table as it was; nothing may answer 500.
"""

import csv
import io
import re

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casereview.models import Case, KeyQuestionAnswer, PromptAnswer
from casereview.transfer.importing import CaseImportError, import_cases
from tests.factories import CaseFactory, InspectionFactory, MembershipFactory, UserFactory
from tests.test_url_access import (  # noqa: F401 - world is a fixture
    OWNERS,
    ROUTES,
    fingerprint,
    url_for,
    world,
)

pytestmark = pytest.mark.django_db

EXAMPLES = 30
FIELD_NAME = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"')
# Values a form must cope with: choices it does not offer, numbers out of range,
# markup and SQL, control characters, and text far longer than any field allows.
AWKWARD = [
    "",
    " ",
    "yes",
    "no",
    "na",
    "YES",
    "maybe",
    "0",
    "-1",
    "99999999999999999999999",
    "1e9",
    "NaN",
    "null",
    "<script>alert(1)</script>",
    "'; DROP TABLE casereview_case; --",
    "\x00",
    "a\x00b",
    "\ufeff\u202e\U0001f600",
    "2023-02-30",
    "submitted",
    "moderated",
    "outstanding",
]
unsettled = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def values(foreign_ids: list[str]):
    return st.one_of(
        st.sampled_from(AWKWARD + foreign_ids),
        st.text(max_size=40),
        st.integers(min_value=-(2**63), max_value=2**64).map(str),
        st.integers(min_value=10_001, max_value=200_000).map(lambda n: "é" * n),
        st.lists(st.sampled_from(AWKWARD + foreign_ids), min_size=2, max_size=4),
    )


@pytest.fixture
def foreign(db):
    """Objects of an inspection the lead is not on: their IDs must never be reachable."""
    other = InspectionFactory(slug="bad-input-elsewhere")
    stranger = UserFactory(username="bad-input-stranger")
    MembershipFactory(inspection=other, user=stranger)
    case = CaseFactory(inspection=other, reference="FOREIGN-1", inspector=stranger)
    return [str(case.pk), str(stranger.pk), str(other.pk), other.slug, case.reference]


def page_field_names(client: Client, url: str) -> list[str]:
    response = client.get(url)
    if response.status_code != 200 or response.get("Content-Type", "").startswith(
        "application/json"
    ):
        return []
    names = FIELD_NAME.findall(response.content.decode(errors="replace"))
    return sorted(set(names) - {"csrfmiddlewaretoken"})


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_arbitrary_posts_never_get_a_500_nor_write_in_part(world, foreign, route):  # noqa: F811
    client = Client(raise_request_exception=False)
    client.force_login(getattr(world, OWNERS.get(route.name, "lead")))
    url = url_for(route, world)
    before = fingerprint()
    probe = client.post(url, {})
    assert probe.status_code != 500, f"POST {url} with nothing: 500"
    if probe.status_code == 405:
        # This page takes no POST: refused before anything is read.
        assert fingerprint() == before
        return
    names = page_field_names(client, url)
    if not names:
        # A POST-only action (submit, moderate…): its form lives on the case's pages.
        for page in (f"/cases/{world.case.pk}/", f"/cases/{world.case.pk}/check/"):
            names = sorted({*names, *page_field_names(client, page)})

    @unsettled
    @given(data=st.data())
    def post_anything(data):
        known = data.draw(st.lists(st.sampled_from(names), unique=True)) if names else []
        unknown = data.draw(st.lists(st.text(min_size=1, max_size=12), max_size=3))
        payload = {name: data.draw(values(foreign)) for name in [*known, *unknown]}
        headers = {"X-Autosave": "1"} if data.draw(st.booleans()) else {}
        before = fingerprint()
        response = client.post(url, payload, headers=headers)
        assert response.status_code != 500, f"POST {url} {payload!r:.300}: 500"
        if response.status_code >= 400:
            assert fingerprint() == before, f"POST {url} refused ({response.status_code}) but wrote"

    post_anything()


# The importer ------------------------------------------------------------------------

RATED = [f"2.{standard}.{lens}" for standard in range(1, 5) for lens in range(1, 4)]
COLUMNS = [
    "reference",
    "case_type",
    "rosh",
    "gender",
    "sentence_start",
    "inspector",
    "status",
    "oversight",
    "office",
    *RATED,
    "2.1.1 note",
    "2.1.1.a",
    "9.9.9",
]
CELLS = [
    "community",
    "licence",
    "Release on licence",
    "low",
    "very high",
    "extreme",
    "female",
    "2023-06-01",
    "2023-13-01",
    "Yes",
    "No",
    "N/A",
    "submitted",
    "moderated",
    "inspector-user",
    "lead-user",
    "bad-input-stranger",
    "absent",
    '=HYPERLINK("x")',
    "\x00",
]


def import_state():
    return (Case.objects.count(), KeyQuestionAnswer.objects.count(), PromptAnswer.objects.count())


def assert_all_or_nothing(inspection, data: bytes):
    before = import_state()
    try:
        result = import_cases(inspection=inspection, data=data)
    except CaseImportError as refused:
        assert refused.errors, "a refusal lists its problems"
        assert all(isinstance(error, str) and error for error in refused.errors)
        assert import_state() == before
    else:
        assert import_state()[0] == before[0] + result.created


@unsettled
@given(data=st.binary(max_size=2000))
def test_random_bytes_are_refused_or_imported_whole(inspection, data):
    assert_all_or_nothing(inspection, data)


@unsettled
@given(
    header=st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=12, unique=True),
    rows=st.lists(
        st.lists(st.one_of(st.sampled_from(CELLS), st.text(max_size=30)), max_size=14),
        max_size=8,
    ),
    with_reference=st.booleans(),
)
def test_random_rows_are_refused_or_imported_whole(
    inspection, inspector, lead, foreign, header, rows, with_reference
):
    if with_reference and "reference" not in header:
        header = ["reference", *header]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    assert_all_or_nothing(inspection, out.getvalue().encode("utf-8", errors="surrogatepass"))


@unsettled
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["community", "licence"]),
            st.sampled_from(["low", "medium", "high", "very_high"]),
            st.lists(st.sampled_from(["Yes", "No", "N/A", ""]), min_size=12, max_size=12),
        ),
        min_size=1,
        max_size=6,
    ),
    broken_last=st.booleans(),
)
def test_good_rows_with_a_bad_last_row_import_nothing(inspection, rows, broken_last):
    lines = [["reference", "case_type", "rosh", *RATED]]
    start = Case.objects.count()
    lines += [
        [f"H-{start}-{n}", kind, rosh, *answers] for n, (kind, rosh, answers) in enumerate(rows)
    ]
    if broken_last:
        lines.append([f"H-{start}-bad", "community", "extreme", *["Yes"] * 12])
    out = io.StringIO()
    csv.writer(out).writerows(lines)
    before = import_state()
    try:
        import_cases(inspection=inspection, data=out.getvalue().encode())
    except CaseImportError:
        assert import_state() == before
    else:
        assert not broken_last
        assert Case.objects.count() == before[0] + len(rows)
