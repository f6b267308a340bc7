"""A person's name as the service shows it: their full name, or their username when they
have none. The one rule, kept in this lower layer so that the inspection admin names
people as every page of the service does (the pages' forms of a name build on it)."""

from __future__ import annotations


def full_name(first_name: str | None, last_name: str | None, username: str | None) -> str:
    """The name from its parts, for reads that fetch the user's columns alone."""
    return f"{first_name or ''} {last_name or ''}".strip() or username or ""
