"""Where a case page's breadcrumbs lead: back the way the user came.

The way is named by a `from` query parameter whose value is one of ORIGINS — a word,
never an address, so it cannot redirect anywhere. Without it (or with a value that is
not one of them, or Moderation for someone who does not lead) the trail is the user's
usual way in: My cases for the case's inspector, the inspection's Cases page for others.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from casereview.models import Case

FROM = "from"
CASES, MODERATION, MY_CASES = "cases", "moderation", "my-cases"
ORIGINS = (CASES, MODERATION, MY_CASES)


@dataclass(frozen=True)
class Crumb:
    label: str
    url: str


def case_origin(request, case: Case, *, is_lead: bool) -> str:
    origin = request.GET.get(FROM, "")
    if origin == MODERATION and not is_lead:
        origin = ""
    if origin in ORIGINS:
        return origin
    return MY_CASES if case.inspector_id == request.user.pk else CASES


def case_link(case: Case, origin: str) -> str:
    """The case page's address that keeps the trail."""
    return f"{case.get_absolute_url()}?{FROM}={origin}"


def case_trail(case: Case, origin: str, *, here: bool = False) -> list[Crumb]:
    """The breadcrumbs to the case (and, `here`, to the case itself for its sub-pages)."""
    inspection = case.inspection
    if origin == MY_CASES:
        crumbs = [Crumb("My cases", reverse("casereview:my-cases"))]
    else:
        crumbs = [
            Crumb("Inspections", reverse("home")),
            Crumb(
                inspection.unit.name,
                reverse("casereview:inspection-dashboard", args=[inspection.slug]),
            ),
        ]
        if origin == MODERATION:
            crumbs.append(
                Crumb("Moderation", reverse("casereview:moderation", args=[inspection.slug]))
            )
        else:
            crumbs.append(
                Crumb("Cases", reverse("casereview:inspection-cases", args=[inspection.slug]))
            )
    if here:
        crumbs.append(Crumb(f"Case {case.reference}", case_link(case, origin)))
    return crumbs
