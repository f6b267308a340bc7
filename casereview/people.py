"""A person's name as the service shows it: their full name, or their username when they
have none. One rule for every page, message, history entry and figure (`full_name`, kept
in inspection/people.py so the inspection admin shares it); the template filter `person`
(casereview/templatetags/people.py) is `person_name`."""

from __future__ import annotations

from inspection.people import full_name

__all__ = ["full_name", "person_label", "person_name"]


def person_name(user, *, missing: str = "") -> str:
    """The user's name; `missing` when there is no user (unassigned, or removed)."""
    if user is None:
        return missing
    return full_name(user.first_name, user.last_name, user.get_username())


def person_label(user) -> str:
    """The name with the username beside it, where two people may share a name (admin)."""
    name = full_name(user.first_name, user.last_name, "")
    return f"{name} ({user.get_username()})" if name else user.get_username()
