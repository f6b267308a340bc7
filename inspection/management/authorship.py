"""Who made a command's writes: every command that changes data takes `--user`, and
every history row written while it runs names that user and the command.

`--user` is optional, so scripts written before it keep working; without it, the rows
still say which command made them (the change reason), never a silent blank.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from simple_history.signals import pre_create_historical_record


def add_user_argument(parser) -> None:
    parser.add_argument(
        "--user",
        metavar="USERNAME",
        help="The active user the change is recorded as made by, in the history",
    )


def command_user(username: str | None):
    """The named active user, or None when --user was not given."""
    if username is None:
        return None
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"--user {username}: no active user with that username")
    return user


def change_reason(command: str) -> str:
    return f"{command} command"


@contextmanager
def recorded_as(command: str, user):
    """Every history row saved inside the block is authored by `user` (when given)
    and gives the command as its reason (when the write gave none of its own).

    Rows written in bulk (bulk_create_with_history) send no signal: the command passes
    the user and reason to them directly."""

    thread = threading.get_ident()

    def author(sender, history_instance, **kwargs):
        if threading.get_ident() != thread:
            return  # another thread's write is not this command's
        if user is not None:
            history_instance.history_user = user
        if not history_instance.history_change_reason:
            history_instance.history_change_reason = change_reason(command)

    pre_create_historical_record.connect(author, weak=False, dispatch_uid=id(author))
    try:
        yield
    finally:
        pre_create_historical_record.disconnect(dispatch_uid=id(author))
