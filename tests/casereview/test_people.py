"""A person's display name: one rule (casereview.people), the same in Python and templates."""

from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template

from casereview.people import full_name, person_label, person_name
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_full_name_else_username():
    named = UserFactory(first_name="Ada", last_name="Lovelace", username="ada")
    unnamed = UserFactory(first_name="", last_name="", username="bob")
    assert person_name(named) == "Ada Lovelace"
    assert person_name(unnamed) == "bob"
    assert full_name("Ada", "", "ada") == "Ada"
    assert full_name(None, None, "ada") == "ada"
    assert person_label(named) == "Ada Lovelace (ada)"
    assert person_label(unnamed) == "bob"


def test_nobody_is_the_missing_word_not_an_error():
    assert person_name(None) == ""
    assert person_name(None, missing="Not assigned") == "Not assigned"


def test_the_template_filter_is_the_same_rule():
    named = UserFactory(first_name="Ada", last_name="Lovelace", username="ada")
    template = Template('{% load people %}[{{ user|person }}][{{ nobody|person:"Nobody" }}]')
    assert template.render(Context({"user": named, "nobody": None})) == "[Ada Lovelace][Nobody]"


def test_no_template_writes_the_name_out_by_hand():
    """`x.get_full_name|default:x.get_username` raises when x is None: use |person."""
    offenders = [
        str(path)
        for directory in settings.TEMPLATES[0]["DIRS"]
        for path in Path(directory).rglob("*.html")
        if "get_full_name" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
