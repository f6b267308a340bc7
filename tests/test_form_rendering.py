"""One form renderer: every form of the service's pages renders through GovUKFormMixin,
and every error summary link lands on an input of the rendered field."""

import importlib
import pkgutil
import re
import sys
from pathlib import Path

import pytest
from django import forms

import casereview
import config
import inspection
from inspection.govuk_forms import GovUKBoundField, GovUKFormMixin

ROOT = Path(__file__).resolve().parent.parent


def service_forms() -> list[type]:
    """Every form class defined in casereview/, inspection/ and config/ (the sign-in
    form), admin forms aside (Django admin renders those with its own templates)."""
    for package in (casereview, inspection, config):
        for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            if ".migrations" not in module.name and ".management" not in module.name:
                importlib.import_module(module.name)
    found, pending = set(), [forms.BaseForm]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            pending.append(sub)
            root = sub.__module__.split(".")[0]
            # Admin forms (an app's admin.py or admin/ package) render with admin's look.
            in_admin = sub.__module__.endswith(".admin") or ".admin." in sub.__module__
            if root in ("casereview", "inspection", "config") and not in_admin:
                found.add(sub)
    return sorted(found, key=lambda cls: cls.__qualname__)


def test_the_enumeration_finds_the_forms():
    names = {cls.__name__ for cls in service_forms()}
    assert {"SectionForm", "ReturnForm", "DomainOneForm", "CaseFilterForm", "SignInForm"} <= names


@pytest.mark.parametrize("form_class", service_forms(), ids=lambda cls: cls.__name__)
def test_every_form_renders_through_the_govuk_renderer(form_class):
    assert issubclass(form_class, GovUKFormMixin), f"{form_class} must mix in GovUKFormMixin"


def test_no_template_or_module_uses_crispy():
    for path in [*ROOT.glob("templates/**/*.html"), *ROOT.glob("*/**/*.py")]:
        if ".venv" in path.parts or "tests" in path.parts:
            continue
        assert "crispy" not in path.read_text(encoding="utf-8"), path


class EveryWidget(GovUKFormMixin, forms.Form):
    choice = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    many = forms.MultipleChoiceField(
        choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple
    )
    pick = forms.ChoiceField(choices=[("", "Choose"), ("a", "A")])
    text = forms.CharField()
    note = forms.CharField(widget=forms.Textarea)
    day = forms.DateField(widget=forms.DateInput)


def test_each_error_links_to_an_input_of_its_field_and_typed_input_is_kept():
    form = EveryWidget({"text": "typed <b>", "note": "kept", "day": "not a date"})
    assert not form.is_valid()
    html = form.render()
    links = dict(form.error_links())
    assert set(links) == {"id_choice_1", "id_many", "id_pick", "id_day"}
    for anchor in links:
        # The anchor is an input, select or textarea, not a wrapper GOV.UK cannot focus.
        assert re.search(rf'<(input|select|textarea)\b[^>]*\bid="{anchor}"', html), anchor
    for name in ("choice", "many", "pick", "day"):
        assert f'id="id_{name}-error"' in html  # the message beside the field
    assert 'value="typed &lt;b&gt;"' in html
    assert ">\nkept</textarea>" in html
    assert 'value="not a date"' in html
    assert isinstance(form["choice"], GovUKBoundField)


# Fields written into a template by hand, each with why it is not a form's field. Every
# other <input>, <select> and <textarea> outside templates/govuk/ fails the test below, so
# that a field is rendered by GovUKFormMixin, with its error linked the one way.
RAW_FIELDS = {
    ("registration/login.html", '<input type="hidden" name="next" value="{{ next }}">'): (
        "where to go after signing in: LoginView's own context, not a field of the form"
    ),
    (
        "casereview/entry/case_check_answers.html",
        '<input type="hidden" name="version" value="{{ case.version }}">',
    ): "the version the submit claims (inspection/versions.py): the button's form has no fields",
    (
        "casereview/dashboards/sets/saved_set_delete.html",
        '<input type="hidden" name="version" value="{{ saved.version }}">',
    ): "the version the removal claims (inspection/versions.py): the button's form has no fields",
}
# Django admin's pages keep admin's own look and its action machinery (the selected rows,
# the action's name, the submit buttons), none of which is a service form.
ADMIN_TEMPLATES = "admin/"
FIELD_TAG = re.compile(r"<(?:input|select|textarea)\b[^>]*>", re.DOTALL)


def hand_written_fields() -> list[tuple[str, str]]:
    found = []
    for path in sorted((ROOT / "templates").glob("**/*.html")):
        name = path.relative_to(ROOT / "templates").as_posix()
        if name.startswith(("govuk/", ADMIN_TEMPLATES)):
            continue
        found.extend((name, tag) for tag in FIELD_TAG.findall(path.read_text(encoding="utf-8")))
    return found


def test_no_template_writes_a_field_by_hand():
    assert set(hand_written_fields()) - set(RAW_FIELDS) == set()


def test_each_allowed_raw_field_is_still_there():
    # An allowance outlives its field only as long as nobody notices: keep the list exact.
    assert set(RAW_FIELDS) <= set(hand_written_fields())


def test_the_scan_finds_a_hand_written_field(tmp_path, monkeypatch):
    page = tmp_path / "templates" / "casereview" / "page.html"
    page.parent.mkdir(parents=True)
    page.write_text('<form>\n  <select class="govuk-select" name="x">\n</select></form>')
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert hand_written_fields() == [
        ("casereview/page.html", '<select class="govuk-select" name="x">')
    ]
