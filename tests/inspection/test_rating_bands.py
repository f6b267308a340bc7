import pytest
from django.core.exceptions import ValidationError

from inspection.models import BandKind, Framework, RatingBand

pytestmark = pytest.mark.django_db


def band(kind, rating):
    framework = Framework.objects.get(code="probation-2023")
    return RatingBand.objects.get(framework=framework, kind=kind, rating=rating)


def test_the_lowest_band_cannot_be_moved_off_zero():
    inadequate = band(BandKind.KEY_QUESTION, "inadequate")
    inadequate.minimum = 10
    with pytest.raises(ValidationError, match="must start at 0"):
        inadequate.full_clean()


def test_a_percentage_band_cannot_start_above_100():
    outstanding = band(BandKind.KEY_QUESTION, "outstanding")
    outstanding.minimum = 101
    with pytest.raises(ValidationError, match="100 or below"):
        outstanding.full_clean()


def test_a_corrected_threshold_is_accepted():
    good = band(BandKind.KEY_QUESTION, "good")
    good.minimum = 66
    good.full_clean()


def test_admin_refuses_a_band_change_that_leaves_a_gap(admin_client):
    overall = band(BandKind.OVERALL, "inadequate")
    response = admin_client.post(
        f"/admin/inspection/ratingband/{overall.pk}/change/",
        {
            "framework": overall.framework_id,
            "kind": overall.kind,
            "rating": overall.rating,
            "minimum": 2,
            "score": 0,
            "descriptor": "",
        },
    )
    assert response.status_code == 200
    assert "must start at 0" in response.content.decode()
    overall.refresh_from_db()
    assert overall.minimum == 0
