"""Write the load test's plan: who signs in, which open cases each inspector works on,
and the fields of each section with the values they accept.

    DJANGO_SETTINGS_MODULE=loadtest.settings .venv/bin/python loadtest/prepare.py PREFIX OUT.json
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loadtest.settings")

import django  # noqa: E402

django.setup()

from casereview.entry.sections import case_sections  # noqa: E402
from casereview.models import EDITABLE_STATUSES, Case  # noqa: E402
from dataset import section_fields  # noqa: E402
from inspection.models import Inspection, Role, TeamMembership  # noqa: E402


def main(prefix: str, out: str) -> None:
    inspections = list(Inspection.objects.filter(slug__startswith=f"{prefix}-").order_by("slug"))
    if not inspections:
        raise SystemExit(f"no inspections with prefix {prefix}; run generate_dataset first")
    sections = [s for s in case_sections(case=inspections[0].cases.first()) if not s.optional]
    inspectors = []
    for membership in (
        TeamMembership.objects.filter(inspection__in=inspections, role=Role.INSPECTOR)
        .select_related("user")
        .order_by("inspection__slug", "user__username")
    ):
        cases = Case.objects.filter(
            inspection_id=membership.inspection_id,
            inspector=membership.user,
            status__in=EDITABLE_STATUSES,
        ).order_by("pk")
        inspectors.append(
            {
                "username": membership.user.username,
                "cases": list(cases.values_list("pk", flat=True)),
            }
        )
    leads = [
        {"username": membership.user.username, "inspection": membership.inspection.slug}
        for membership in TeamMembership.objects.filter(
            inspection__in=inspections, role=Role.LEAD
        ).select_related("user", "inspection")
    ]
    plan = {
        "inspectors": inspectors,
        "leads": leads,
        "sections": [{"slug": s.slug, "fields": section_fields(s)} for s in sections],
    }
    Path(out).write_text(json.dumps(plan, indent=1))
    open_cases = sum(len(inspector["cases"]) for inspector in inspectors)
    print(f"Plan: {len(inspectors)} inspectors with {open_cases} open cases, {len(leads)} leads")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2])
