"""Shared fixtures: a small named cast of users around one inspection."""

import pytest

from inspection.models import Role, ViewerGrant
from tests.factories import InspectionFactory, MembershipFactory, UserFactory


def pytest_collection_modifyitems(config, items):
    """`postgres_only` tests need concurrent transactions or a backend to kill, which SQLite
    cannot give; they are skipped there and run in CI's PostgreSQL leg."""
    from django.conf import settings

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
