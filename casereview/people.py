"""A person's name as the service shows it: their full name, or their username when they
have none. One rule for every page, message, history entry and figure; the template filter
`person` (casereview/templatetags/people.py) is this function."""

from __future__ import annotations


def full_name(first_name: str | None, last_name: str | None, username: str | None) -> str:
    """The name from its parts, for reads that fetch the user's columns alone."""
    return f"{first_name or ''} {last_name or ''}".strip() or username or ""


def person_name(user, *, missing: str = "") -> str:
    """The user's name; `missing` when there is no user (unassigned, or removed)."""
    if user is None:
        return missing
    return full_name(user.first_name, user.last_name, user.get_username())


def person_label(user) -> str:
    """The name with the username beside it, where two people may share a name (admin)."""
    name = full_name(user.first_name, user.last_name, "")
    return f"{name} ({user.get_username()})" if name else user.get_username()
