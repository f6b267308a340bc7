"""A recommendation's number is unique within its inspection: a constraint, the form's
check, and a clear error when another lead took the number at the same moment."""

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from casereview.reporting import views as recommendation_views
from inspection.models import PreviousRecommendation, Progress, Recommendation
from tests.casereview.test_concurrency import THREADS, concurrent, run_at_once

pytestmark = pytest.mark.django_db

KINDS = {
    "current": (Recommendation, {}),
    "previous": (
        PreviousRecommendation,
        {"progress": Progress.SOME, "action_and_impact": "", "improvement_still_required": "yes"},
    ),
}


def add_url(inspection, kind):
    return reverse("casereview:recommendation-add", args=[inspection.slug, kind])


def make(kind, inspection, order, text="Already there"):
    model, extra = KINDS[kind]
    fields = {"progress": extra["progress"]} if extra else {}
    return model.objects.create(inspection=inspection, order=order, text=text, **fields)


def post_data(kind, order, text):
    return {"order": str(order), "text": text, **KINDS[kind][1]}


@pytest.mark.parametrize("kind", KINDS)
def test_the_database_refuses_two_rows_with_one_number(inspection, kind):
    make(kind, inspection, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        make(kind, inspection, 1, text="Second")


@pytest.mark.parametrize("kind", KINDS)
def test_the_add_page_suggests_the_number_after_the_highest(client, inspection, lead, kind):
    make(kind, inspection, 1)
    make(kind, inspection, 3)
    client.force_login(lead)
    form = client.get(add_url(inspection, kind)).context["form"]
    assert form["order"].value() == 4


@pytest.mark.parametrize("kind", KINDS)
def test_a_number_taken_is_refused_beside_the_field_keeping_the_input(
    client, inspection, lead, kind
):
    make(kind, inspection, 1)
    make(kind, inspection, 2)
    client.force_login(lead)

    response = client.post(add_url(inspection, kind), post_data(kind, 2, "My new words"))

    assert response.status_code == 200
    noun = "Recommendation" if kind == "current" else "Previous recommendation"
    message = f"{noun} 2 already exists: choose another number, like 3"
    assert response.context["form"].errors["order"] == [message]
    html = response.content.decode()
    assert html.count(message) == 2  # in the error summary and beside the field
    assert "My new words" in html
    assert KINDS[kind][0].objects.count() == 2


@pytest.mark.parametrize("kind", KINDS)
def test_an_edit_keeps_its_own_number_but_cannot_take_another(client, inspection, lead, kind):
    make(kind, inspection, 1)
    item = make(kind, inspection, 2, text="Mine")
    edit = reverse("casereview:recommendation-edit", args=[inspection.slug, kind, item.pk])
    client.force_login(lead)

    taken = client.post(edit, {**post_data(kind, 1, "Mine, changed"), "version": item.version})
    kept = client.post(edit, {**post_data(kind, 2, "Mine, changed"), "version": item.version})

    assert "order" in taken.context["form"].errors
    assert kept.status_code == 302
    item.refresh_from_db()
    assert (item.order, item.text) == (2, "Mine, changed")


@pytest.mark.parametrize("kind", KINDS)
def test_a_number_taken_meanwhile_is_refused_with_the_same_message(
    client, inspection, lead, kind, monkeypatch
):
    """Another lead saves number 1 after this form was checked and before it is saved:
    the constraint refuses it, and the form says so instead of a 500."""
    real_save = recommendation_views.report_item_save

    def other_lead_first(**kwargs):
        make(kind, inspection, 1, text="The other lead's")
        return real_save(**kwargs)

    monkeypatch.setattr(recommendation_views, "report_item_save", other_lead_first)
    client.force_login(lead)

    response = client.post(add_url(inspection, kind), post_data(kind, 1, "Mine"))

    assert response.status_code == 200
    errors = response.context["form"].errors["order"]
    assert errors == [errors[0]] and "1 already exists: choose another number, like 2" in errors[0]
    assert "Mine" in response.content.decode()
    assert list(KINDS[kind][0].objects.values_list("text", flat=True)) == ["The other lead's"]


@concurrent
@pytest.mark.parametrize("kind", KINDS)
def test_leads_adding_at_the_same_moment_never_share_a_number(inspection, lead, kind):
    url = add_url(inspection, kind)

    def add(index):
        client = Client()
        client.force_login(lead)
        return client.post(url, post_data(kind, 1, f"Recommendation from lead {index}"))

    responses = run_at_once(THREADS, add)

    assert not [r for r in responses if isinstance(r, Exception)], responses
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200] * (THREADS - 1) + [302]
    refused = [response for response in responses if response.status_code == 200]
    assert all("1 already exists" in r.context["form"].errors["order"][0] for r in refused)
    rows = KINDS[kind][0].objects.filter(inspection=inspection)
    assert list(rows.values_list("order", flat=True)) == [1]
