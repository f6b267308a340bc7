"""Recording a domain-one rating when another lead records the same standard first."""

import pytest
from django.urls import reverse

from casereview.views import domain_one as views
from inspection.models import DomainOneRating, Rating, Role, Standard
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

    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Someone else recorded a rating for this standard" in html
    assert "Mine, typed</textarea>" in html
    rating = DomainOneRating.objects.get(inspection=inspection, standard=standard)
    assert (rating.rating, rating.rationale) == (Rating.GOOD, "Theirs")
