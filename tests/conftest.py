"""Shared fixtures: a small named cast of users around one inspection."""

from pathlib import Path

import pytest

from inspection.models import Role, ViewerGrant
from tests.factories import InspectionFactory, MembershipFactory, UserFactory

# The slowest tests, a second or more each on the shared 2-core machine (measured with
# `pytest --durations=40`): `make test-fast` leaves them out, `make test` and CI run them.
# Listed here by module, so that one place says which they are; a listed test that is
# renamed or removed fails the run rather than slipping into the fast set.
SLOW = {
    "tests/casereview/test_case_type_migration.py": [
        "test_migrating_the_probation_demo_leaves_its_figures_byte_for_byte"
    ],
    "tests/test_bad_input.py": ["test_arbitrary_posts_never_get_a_500_nor_write_in_part"],
    "tests/casereview/test_exports.py": [
        "test_streaming_the_csv_takes_bounded_memory",
        "test_csv_queries_are_the_same_for_10_and_1000_cases",
        "test_workbook_queries_are_the_same_for_10_and_1000_cases",
        "test_round_trip_of_the_demo_through_csv_gives_the_same_summary",
    ],
    "tests/casereview/test_summary.py": [
        "test_summary_takes_the_same_number_of_queries_at_10_and_1000_cases",
    ],
    "tests/casereview/test_demo.py": [
        "test_the_inspector_has_work_to_do_in_the_second_inspection",
        "test_the_youth_demo_has_court_and_out_of_court_cases_and_its_judgements",
    ],
    "tests/test_admin.py": ["test_case_page_queries_do_not_grow_with_its_answers"],
    "tests/inspection/test_frameworks.py": [
        "test_any_value_anywhere_is_a_message_never_a_traceback",
        "test_loading_it_changes_nothing_for_probation",
    ],
    # Each starts a Python process to read the settings afresh.
    "tests/inspection/test_settings.py": [
        "test_sqlite_under_var_is_the_default",
        "test_database_url_selects_postgresql",
        "test_debug_off_with_the_development_key_refuses_to_start",
        "test_debug_off_with_a_real_key_starts",
        "test_a_malformed_boolean_is_refused_loudly",
    ],
    "tests/casereview/test_dashboard_queries.py": [
        "test_inspection_pages_make_the_same_queries_at_10_and_1000_cases",
        "test_overview_makes_the_same_queries_for_2_and_40_inspections",
    ],
    "tests/casereview/test_generate_dataset.py": [
        "test_distributions_are_realistic",
        "test_rows_are_written_in_bulk_not_one_query_per_case",
        "test_inspections_land_in_different_rating_bands",
    ],
    "tests/casereview/test_report.py": [
        "test_report_draft_queries_are_the_same_for_10_and_1000_cases",
    ],
    "tests/casereview/test_report_docx.py": [
        "test_the_word_draft_queries_are_the_same_for_10_and_1000_cases",
    ],
    "tests/casereview/test_data_entry_views.py": [
        "test_my_cases_takes_the_same_number_of_queries_for_10_and_1000_cases",
    ],
    "tests/casereview/test_team_cases.py": [
        "test_the_cases_page_takes_the_same_number_of_queries_for_10_and_1000_cases",
    ],
    "tests/casereview/test_statuses.py": [
        "test_the_demos_submitted_cases_show_every_section_done",
    ],
}


def pytest_collection_modifyitems(config, items):
    """Mark the slow tests (the SLOW list, and every browser test: slow by nature).

    `postgres_only` tests need concurrent transactions or a backend to kill, which SQLite
    cannot give; they are skipped there and run in CI's PostgreSQL leg."""
    from django.conf import settings

    root = Path(str(config.rootpath))
    modules = {}
    for item in items:
        relative = Path(str(item.path)).relative_to(root).as_posix()
        name = getattr(item, "originalname", item.name)
        if relative.startswith("tests/browser/") or name in SLOW.get(relative, ()):
            item.add_marker(pytest.mark.slow)
        if relative in SLOW and getattr(item, "module", None) is not None:
            modules[relative] = item.module
    missing = [
        f"{relative}::{name}"
        for relative, module in modules.items()
        for name in SLOW[relative]
        if not hasattr(module, name)
    ]
    if missing:
        raise pytest.UsageError(f"tests/conftest.py SLOW lists tests that do not exist: {missing}")

    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL; runs in the PostgreSQL leg of CI")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def inspection(db):
    return InspectionFactory(
        slug="test-pdu-2024", unit__name="Test PDU", unit__region__name="Test Region"
    )


@pytest.fixture
def lead(inspection):
    user = UserFactory(username="lead-user")
    MembershipFactory(inspection=inspection, user=user, role=Role.LEAD)
    return user


@pytest.fixture
def inspector(inspection):
    user = UserFactory(username="inspector-user")
    MembershipFactory(inspection=inspection, user=user, role=Role.INSPECTOR)
    return user


@pytest.fixture
def other_inspector(inspection):
    user = UserFactory(username="other-inspector")
    MembershipFactory(inspection=inspection, user=user, role=Role.INSPECTOR)
    return user


@pytest.fixture
def viewer(inspection):
    user = UserFactory(username="viewer-user")
    ViewerGrant.objects.create(user=user, inspection=inspection)
    return user


@pytest.fixture
def outsider(db):
    return UserFactory(username="outsider-user")


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin-user", is_staff=True, is_superuser=True)
