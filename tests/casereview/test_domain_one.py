"""Two leads editing one domain-one rating or recommendation: neither edit silently
overwrites the other; the second gets a conflict (409) showing what was saved meanwhile."""

import pytest
from django.test import Client
from django.urls import reverse

from casereview.reporting import views
from casereview.reporting.services import VersionConflict, report_item_save
from inspection.models import (
    DomainOneRating,
    PreviousRecommendation,
    Progress,
    Rating,
    Recommendation,
    Role,
    Standard,
)
from tests.casereview.test_concurrency import THREADS, concurrent, run_at_once
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_rating_recorded_meanwhile_is_kept_and_the_input_too(
    client, inspection, lead, monkeypatch
):
    other_lead = UserFactory(username="other-lead")
    MembershipFactory(inspection=inspection, user=other_lead, role=Role.LEAD)
    standard = Standard.objects.get(framework=inspection.framework, code="1.2")
    is_valid = views.DomainOneForm.is_valid

    def the_other_lead_saves_first(form):
        # Both pages opened before any rating existed; the other lead saved first.
        DomainOneRating.objects.get_or_create(
            inspection=inspection,
            standard=standard,
            defaults={"rating": Rating.GOOD, "rationale": "Theirs", "recorded_by": other_lead},
        )
        return is_valid(form)

    monkeypatch.setattr(views.DomainOneForm, "is_valid", the_other_lead_saves_first)
    client.force_login(lead)
    url = reverse("casereview:domain-one", args=[inspection.slug, "1.2"])
    response = client.post(url, {"rating": Rating.INADEQUATE, "rationale": "Mine, typed"})

    assert response.status_code == 409
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Another lead changed this rating while you were editing it" in html
    assert "Mine, typed</textarea>" in html
    assert '<input type="hidden" name="version" value="0"' in html
    rating = DomainOneRating.objects.get(inspection=inspection, standard=standard)
    assert (rating.rating, rating.rationale) == (Rating.GOOD, "Theirs")


@pytest.fixture
def other_lead(inspection):
    user = UserFactory(username="other-lead")
    MembershipFactory(inspection=inspection, user=user, role=Role.LEAD)
    return user


@pytest.fixture
def rating(inspection, other_lead):
    return DomainOneRating.objects.create(
        inspection=inspection,
        standard=Standard.objects.get(framework=inspection.framework, code="1.2"),
        rating=Rating.GOOD,
        rationale="First rationale",
        recorded_by=other_lead,
    )


def domain_one_url(inspection):
    return reverse("casereview:domain-one", args=[inspection.slug, "1.2"])


def test_the_rating_page_carries_the_version_it_was_based_on(client, inspection, lead, rating):
    client.force_login(lead)
    html = client.get(domain_one_url(inspection)).content.decode()
    assert '<input type="hidden" name="version" value="0"' in html


def test_a_stale_rating_edit_is_refused_shown_beside_theirs_and_can_be_saved_again(
    client, inspection, lead, other_lead, rating
):
    url = domain_one_url(inspection)
    theirs = Client()
    theirs.force_login(other_lead)
    saved = theirs.post(
        url, {"rating": Rating.REQUIRES_IMPROVEMENT, "rationale": "Theirs now", "version": 0}
    )
    assert saved.status_code == 302
    client.force_login(lead)

    response = client.post(
        url, {"rating": Rating.INADEQUATE, "rationale": "Mine, typed", "version": 0}
    )

    assert response.status_code == 409
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Another lead changed this rating while you were editing it" in html
    assert "Saved by another lead" in html and "Theirs now" in html  # their saved values
    assert "Mine, typed</textarea>" in html and 'value="inadequate" checked' in html
    assert '<input type="hidden" name="version" value="1"' in html
    rating.refresh_from_db()
    assert (rating.rating, rating.rationale, rating.version) == (
        Rating.REQUIRES_IMPROVEMENT,
        "Theirs now",
        1,
    )
    assert rating.history.count() == 2

    # Saving again, based on their version, overwrites knowingly.
    again = client.post(
        url, {"rating": Rating.INADEQUATE, "rationale": "Mine, typed", "version": 1}
    )
    assert again.status_code == 302
    rating.refresh_from_db()
    assert (rating.rating, rating.rationale, rating.version) == (
        Rating.INADEQUATE,
        "Mine, typed",
        2,
    )
    assert rating.history.count() == 3


@pytest.mark.parametrize("version", [None, "", "x", "-1", "7", "9" * 40])
def test_a_missing_or_tampered_rating_version_is_a_conflict_not_a_save(
    client, inspection, lead, rating, version
):
    data = {"rating": Rating.INADEQUATE, "rationale": "Mine"}
    if version is not None:
        data["version"] = version
    client.force_login(lead)
    response = client.post(domain_one_url(inspection), data)
    assert response.status_code == 409
    rating.refresh_from_db()
    assert (rating.rating, rating.version) == (Rating.GOOD, 0)


def test_of_two_saves_based_on_one_version_only_the_first_is_kept(lead, other_lead, rating):
    mine = DomainOneRating.objects.get(pk=rating.pk)
    yours = DomainOneRating.objects.get(pk=rating.pk)
    mine.rationale, yours.rationale = "Mine", "Yours"
    report_item_save(item=mine, base_version=0, user=lead)
    with pytest.raises(VersionConflict):
        report_item_save(item=yours, base_version=0, user=other_lead)
    rating.refresh_from_db()
    assert (rating.rationale, rating.version) == ("Mine", 1)


# Recommendations ---------------------------------------------------------------------


@pytest.fixture
def recommendations(inspection):
    return {
        "current": Recommendation.objects.create(inspection=inspection, order=1, text="Theirs"),
        "previous": PreviousRecommendation.objects.create(
            inspection=inspection, order=1, text="Theirs", progress=Progress.SOME
        ),
    }


def edit_data(kind, text, version):
    data = {"order": "1", "text": text, "version": version}
    if kind == "previous":
        data |= {"progress": Progress.NONE, "improvement_still_required": "yes"}
    return data


@pytest.mark.parametrize("kind", ["current", "previous"])
def test_a_stale_recommendation_edit_is_refused_and_can_be_saved_again(
    client, inspection, lead, other_lead, recommendations, kind
):
    item = recommendations[kind]
    url = reverse("casereview:recommendation-edit", args=[inspection.slug, kind, item.pk])
    client.force_login(lead)
    assert '<input type="hidden" name="version" value="0"' in client.get(url).content.decode()
    theirs = Client()
    theirs.force_login(other_lead)
    assert theirs.post(url, edit_data(kind, "Theirs, changed", 0)).status_code == 302

    response = client.post(url, edit_data(kind, "Mine, typed", 0))

    assert response.status_code == 409
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "while you were editing it" in html
    assert "Theirs, changed" in html and "Mine, typed</textarea>" in html
    assert '<input type="hidden" name="version" value="1"' in html
    item.refresh_from_db()
    assert (item.text, item.version) == ("Theirs, changed", 1)

    assert client.post(url, edit_data(kind, "Mine, typed", 1)).status_code == 302
    item.refresh_from_db()
    assert (item.text, item.version) == ("Mine, typed", 2)
    assert item.history.count() == 3


# PostgreSQL: leads saving at the same moment --------------------------------------------


@concurrent
def test_leads_posting_one_version_at_once_get_one_302_and_409s_never_a_500(
    inspection, lead, rating
):
    url = domain_one_url(inspection)

    def post(index):
        client = Client()
        client.force_login(lead)
        data = {"rating": Rating.GOOD, "rationale": f"page {index}", "version": 0}
        return index, client.post(url, data).status_code

    results = run_at_once(THREADS, post)

    assert all(isinstance(result, tuple) for result in results), results
    statuses = sorted(status for _, status in results)
    assert statuses.count(409) == THREADS - 1 and statuses.count(302) == 1, statuses
    winner = next(index for index, status in results if status == 302)
    rating.refresh_from_db()
    assert (rating.rationale, rating.version) == (f"page {winner}", 1)


def test_an_admin_change_refuses_a_leads_form_opened_before_it(
    client, admin_client, inspection, lead, rating
):
    change_url = reverse("admin:inspection_domainonerating_change", args=[rating.pk])
    response = admin_client.post(
        change_url,
        {
            "inspection": inspection.pk,
            "standard": rating.standard_id,
            "rating": Rating.GOOD,
            "rationale": "Corrected by an administrator",
            "strengths": "",
            "areas_for_improvement": "",
            "recorded_by": "",
            "base_version": rating.version,  # the version the admin page was opened at
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    rating.refresh_from_db()
    assert rating.version == 1

    client.force_login(lead)
    stale = client.post(
        domain_one_url(inspection), {"rating": Rating.INADEQUATE, "rationale": "x", "version": 0}
    )
    assert stale.status_code == 409
    rating.refresh_from_db()
    assert rating.rationale == "Corrected by an administrator"
