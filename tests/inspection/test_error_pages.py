import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_unknown_page_gets_the_gov_uk_not_found_page(client, lead):
    client.force_login(lead)
    response = client.get("/inspections/no-such-inspection/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_a_form_without_its_csrf_token_is_refused_with_a_clear_page(lead):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/sign-in/", {"username": "lead-user", "password": "x"})
    assert response.status_code == 403
    assert b"Your form could not be sent" in response.content
