"""The emails themselves; see the package's docstring for when they are sent."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse

from casereview.models import COUNTED_STATUSES, Case
from casereview.notifications.models import NotificationPreference
from casereview.people import person_name
from inspection.models import Inspection, Role, TeamMembership

logger = logging.getLogger(__name__)


def wants_email(user) -> bool:
    if user is None or not user.is_active or not user.email:
        return False
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference is None or preference.email


def link(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def inspection_name(inspection: Inspection) -> str:
    return f"the {inspection.unit.name} inspection"


def _send_after_commit(recipient, subject: str, lines: list[str]) -> None:
    if not wants_email(recipient):
        return
    body = "\n".join([f"Dear {person_name(recipient)},", "", *lines, "", settings.SERVICE_NAME])
    message = EmailMessage(subject=subject, body=body, to=[recipient.email])
    transaction.on_commit(partial(_deliver, message))


def _deliver(message: EmailMessage) -> None:
    """Runs after the commit: the action stands whatever happens here."""
    try:
        message.send()
    except Exception:
        logger.exception("Could not send the email %r to %s", message.subject, message.to)


def _case_lines(cases: Iterable[Case]) -> list[str]:
    return [f"- {case.reference}: {link(case.get_absolute_url())}" for case in cases]


def notify_cases_assigned(cases: Iterable[Case], inspector) -> None:
    """One email per inspection to the inspector the cases are now assigned to."""
    by_inspection: dict[int, list[Case]] = defaultdict(list)
    for case in cases:
        by_inspection[case.inspection_id].append(case)
    if not by_inspection or inspector is None:
        return
    inspections = Inspection.objects.select_related("unit").in_bulk(list(by_inspection))
    for inspection_id, assigned in by_inspection.items():
        where = inspection_name(inspections[inspection_id])
        count = len(assigned)
        subject = (
            f"Case {assigned[0].reference} assigned to you"
            if count == 1
            else f"{count} cases assigned to you"
        ) + f" in {where}"
        _send_after_commit(
            inspector,
            subject,
            [
                f"{'This case is' if count == 1 else 'These cases are'} now yours to record "
                f"in {where}:",
                "",
                *_case_lines(sorted(assigned, key=lambda case: case.reference)),
                "",
                f"All your cases: {link(reverse('casereview:my-cases'))}",
            ],
        )


def notify_case_returned(case: Case, reason: str) -> None:
    where = inspection_name(case.inspection)
    _send_after_commit(
        case.inspector,
        f"Case {case.reference} returned to you for rework in {where}",
        [
            f"The lead inspector returned case {case.reference} in {where} for rework.",
            "",
            f"Reason: {reason}",
            "",
            f"Change the case and submit it again: {link(case.get_absolute_url())}",
        ],
    )


def notify_second_marking(markings: Iterable) -> None:
    """One email per second marker, listing the cases sent to them to mark blind. The
    link is to their list: the case's own page is hidden from them until they submit."""
    by_marker: dict[int, list] = defaultdict(list)
    for marking in markings:
        by_marker[marking.inspector_id].append(marking)
    for sent in by_marker.values():
        marker = sent[0].inspector
        where = inspection_name(sent[0].case.inspection)
        references = sorted(marking.case.reference for marking in sent)
        count = len(references)
        these = "this case" if count == 1 else "these cases"
        _send_after_commit(
            marker,
            (f"Case {references[0]}" if count == 1 else f"{count} cases")
            + f" sent to you for second marking in {where}",
            [
                f"The lead inspector asked you to mark {these} "
                f"of {where} a second time, without seeing the first answers:",
                "",
                *(f"- {reference}" for reference in references),
                "",
                f"Your second marking: {link(reverse('casereview:second-marking-list'))}",
            ],
        )


def notify_sample_submitted(case: Case) -> None:
    """When `case`'s submission leaves no case of its sample uncounted, tell the leads."""
    inspection = case.inspection
    if Case.objects.filter(inspection=inspection).exclude(status__in=COUNTED_STATUSES).exists():
        return
    where = inspection_name(inspection)
    total = Case.objects.filter(inspection=inspection).count()
    dashboard = link(reverse("casereview:inspection-dashboard", args=[inspection.slug]))
    leads = TeamMembership.objects.filter(inspection=inspection, role=Role.LEAD).select_related(
        "user"
    )
    for membership in leads:
        _send_after_commit(
            membership.user,
            f"Every case of {where} is submitted",
            [
                f"All {total} cases of {where} are submitted; the last was {case.reference}.",
                "",
                f"The dashboard: {dashboard}",
                f"Moderation: {link(reverse('casereview:moderation', args=[inspection.slug]))}",
            ],
        )
