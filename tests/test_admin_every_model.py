"""Every model registered in Django admin, walked as an administrator over realistic data
(cases with and without an inspector, counted answers, history): every page opens, the
change form saves unchanged and with one field changed, every action runs. Never a 500.

The models come from the admin site's registry, so a model registered later is covered."""

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import NoReverseMatch, reverse

from tests.admin_helpers import build_world, form_as_posted, text_field_to_change

pytestmark = pytest.mark.django_db

MODELS = list(admin.site._registry)


@pytest.fixture
def world(inspection, lead, inspector, other_inspector, viewer, admin_user, client):
    world = build_world(
        inspection=inspection,
        lead=lead,
        inspector=inspector,
        other_inspector=other_inspector,
        viewer=viewer,
        admin_user=admin_user,
    )
    client.force_login(admin_user)
    return world


def url(model, view, *args):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def never_500(response, what):
    assert response.status_code < 500, f"{what}: {response.status_code}"
    return response


def sample(model):
    """A realistic row: for cases and answers, one that counts (the hard case)."""
    rows = model._default_manager.all()
    names = {field.name for field in model._meta.get_fields()}
    if "case" in names:
        rows = rows.filter(case__reference="MODERATED") or rows
    if model._meta.model_name == "case":
        rows = rows.filter(reference="NOBODY1")
    return rows.order_by("pk").first()


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label_lower)
def test_every_admin_page_opens(client, world, model):
    never_500(client.get(url(model, "changelist")), "changelist")
    never_500(client.get(url(model, "add")), "add")
    row = sample(model)
    if row is None:
        assert model._meta.app_label not in ("inspection", "casereview", "auth")
        return
    for view in ("change", "history", "delete"):
        response = never_500(client.get(url(model, view, row.pk)), view)
        assert response.status_code in (200, 302, 403), view
    if hasattr(model, "history"):
        record = model.history.filter(**{model._meta.pk.attname: row.pk}).first()
        assert record is not None, f"{model.__name__} {row.pk} has no history"
        never_500(client.get(url(model, "simple_history", row.pk, record.history_id)), "record")


def rows_to_change(model):
    """A few rows; of cases and their answers, open and counted ones alike."""
    rows = model._default_manager.order_by("pk")
    names = {field.name for field in model._meta.get_fields()}
    if model._meta.model_name == "case":
        return list(rows.filter(reference__in=["NOBODY1", "STARTED", "MODERATED"]))
    if "case" in names:
        return [
            row
            for reference in ("STARTED", "SUBMITTED", "MODERATED")
            if (row := rows.filter(case__reference=reference).first())
        ]
    return list(rows[:3])


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label_lower)
def test_every_change_form_saves_unchanged_and_with_one_field_changed(client, world, model):
    for row in rows_to_change(model):
        change = url(model, "change", row.pk)
        page = client.get(change)
        if page.status_code != 200 or not page.context["has_change_permission"]:
            continue
        html = page.content.decode()
        posted = form_as_posted(html)
        saved = never_500(client.post(change, posted), f"unchanged save of {row}")
        errors = saved.context and saved.context.get("errors")
        assert saved.status_code == 302, f"unchanged save of {row} refused: {errors}"

        html = client.get(change).content.decode()
        posted = form_as_posted(html)
        name = text_field_to_change(html, posted)
        if name is None:
            continue
        posted[name] = [(posted[name][0] + "x")[-20:]]
        never_500(client.post(change, posted), f"{name} of {row} changed")


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label_lower)
def test_every_admin_action_runs_on_a_realistic_selection(client, world, model, inspection):
    rows = model._default_manager.all()
    if model._meta.model_name == "case":
        rows = rows.filter(inspection=inspection)  # with and without inspector, counted
    selection = list(rows.values_list("pk", flat=True)[:20])
    if not selection:
        return
    changelist = url(model, "changelist")
    request = client.get(changelist).wsgi_request
    actions = admin.site._registry[model].get_actions(request)
    # Only records nobody may delete (the log, the record of an erasure) have no action.
    deletable = admin.site._registry[model].has_delete_permission(request)
    assert actions or not deletable, f"{model.__name__} has no actions"
    # Deleting last, so every other action has its selection.
    for name in sorted(actions, key=lambda name: name == "delete_selected"):
        data = {"action": name, ACTION_CHECKBOX_NAME: selection, "index": 0}
        response = never_500(client.post(changelist, data), f"action {name}")
        assert response.status_code in (200, 302), f"action {name}: {response.status_code}"
        messages = [str(m) for m in response.wsgi_request._messages]
        assert not [m for m in messages if "No action selected" in m or "must be selected" in m]
        if name == "delete_selected":
            never_500(client.post(changelist, {**data, "post": "yes"}), "confirmed delete")


def test_the_walk_covers_every_model_and_view():
    """The URL names the walk uses exist for every registered model."""
    for model in MODELS:
        for view in ("changelist", "add"):
            try:
                url(model, view)
            except NoReverseMatch:  # pragma: no cover - the failure message names it
                pytest.fail(f"{model.__name__} has no {view} page")


@pytest.mark.parametrize("suffix", ["abc/change/", "abc/history/", "1/history/abc/", "abc/delete/"])
def test_a_malformed_key_in_any_admin_address_is_not_a_500(admin_client, suffix):
    for model in admin.site._registry:
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/{suffix}"
        response = admin_client.get(url)
        # 403 where the model may not be deleted at all (records of an erasure).
        assert response.status_code in (302, 403, 404), (url, response.status_code)
