"""The audit trail on the case page: readable, and without accessibility violations."""

import pytest

from casereview.models import KeyQuestionAnswer
from inspection.models import KeyQuestion
from tests.browser.conftest import assert_no_axe_violations, sign_in
from tests.factories import PASSWORD, CaseFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_case_page_shows_who_changed_what_as_a_timeline(page, live_server, lead, inspector):
    case = CaseFactory(inspection=lead.memberships.get().inspection, inspector=inspector)
    key_question = KeyQuestion.objects.get(
        standard__framework=case.inspection.framework, code="2.1.1"
    )
    answer = KeyQuestionAnswer(case=case, key_question=key_question, answer="yes", note="Seen.")
    answer._history_user = inspector
    answer.save()

    sign_in(page, live_server, "lead-user", PASSWORD)
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    timeline = page.locator(".moj-timeline")
    assert timeline.is_visible()
    item = timeline.locator(".moj-timeline__item").first
    assert item.get_by_role("heading", name="Answers changed").is_visible()
    assert f"by {inspector.get_full_name()}" in item.inner_text()
    row = item.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Key question 2.1.1", exact=True)
    )
    assert row.get_by_role("cell").all_inner_texts() == ["Not answered", "Yes"]
    assert_no_axe_violations(page)
