"""The demo inspection's recommendations, as the published West Sussex report gives them:
its six recommendations and the progress on the three of the previous inspection (May
2022). `load_demo` calls `load_demo_recommendations`; it is idempotent (each item is
kept by its number and brought back to the published text)."""

from __future__ import annotations

from inspection.models import Inspection, PreviousRecommendation, Progress, Recommendation

DEMO_SLUG = "west-sussex-2023"

RECOMMENDATIONS = [
    "ensure domestic abuse and safeguarding information is analysed sufficiently to inform the "
    "quality of assessment, planning and management of people on probation",
    "improve the use of interventions and services to manage the risk of harm and support the "
    "desistance of people on probation",
    "understand the needs and address the actual and potential barriers for people on "
    "probation to promote equality, diversity and inclusion",
    "ensure middle managers have sufficient capacity to provide the appropriate level of "
    "oversight according to the needs of staff members and casework in the team",
    "develop practitioner's confidence and skills in the use of professional curiosity and "
    "challenging conversations to identify, analyse, assess, plan and respond to indicators of "
    "risk effectively",
    "ensure all staff receive the necessary training to undertake their roles.",
]

# (recommendation, action taken and impact, progress, improvement still required)
PREVIOUS_RECOMMENDATIONS = [
    (
        "Prioritise all staff receiving the training required to move to mixed caseloads, and "
        "then roll-out the training promptly to ensure caseload allocations can be made more "
        "evenly across practitioners.",
        "Staff had completed the training required to move to mixed caseloads. However, "
        "completion rates in key areas of training such as MAPPA (23 per cent), working with "
        "individuals convicted of sexual offending (41 per cent e-learning and eight per cent "
        "classroom) and violence and aggression (six per cent) were very low. Attendance at this "
        "broader training to embed and develop skills was insufficient and will impact on the "
        "competence and confidence of staff to hold a wider range of cases.",
        Progress.SOME,
        True,
    ),
    (
        "Ensure staff have the relevant training to use risk and safeguarding information, "
        "obtained from key stakeholders, to appropriately inform risk assessments and sentence "
        "plans.",
        "There had been more of a focus on mandatory e-learning. However, attendance at "
        "mandatory classroom events that support e-learning was very low (41 per cent child "
        "safeguarding and 12 per cent domestic abuse). Cases we inspected indicated that staff "
        "still do not sufficiently analyse safeguarding information and plan accordingly.",
        Progress.SOME,
        True,
    ),
    (
        "Ensure that administrators receive training and support to better manage the changes "
        "to their workload, following unification.",
        "A bespoke induction and training package had been developed for new case "
        "administrators, as well as a locally developed handbook which supports the work of "
        "case administrators. Their line management framework allows a focus on performance "
        "management and continuous professional development which was highly regarded by staff.",
        Progress.SUFFICIENT,
        False,
    ),
]


def _keep(model, inspection: Inspection, order: int, values: dict) -> None:
    """Create the item, or bring it back to `values`; an unchanged item is not saved, so a
    second run adds nothing to the history."""
    item = model.objects.filter(inspection=inspection, order=order).first()
    if item is None:
        model.objects.create(inspection=inspection, order=order, **values)
    elif any(getattr(item, name) != value for name, value in values.items()):
        for name, value in values.items():
            setattr(item, name, value)
        item.save()


def load_demo_recommendations(inspection: Inspection) -> None:
    """Create or restore the published recommendations of the demo inspection."""
    if inspection.slug != DEMO_SLUG:
        return
    for order, text in enumerate(RECOMMENDATIONS, start=1):
        _keep(Recommendation, inspection, order, {"text": text})
    for order, (text, action, progress, still_required) in enumerate(
        PREVIOUS_RECOMMENDATIONS, start=1
    ):
        _keep(
            PreviousRecommendation,
            inspection,
            order,
            {
                "text": text,
                "action_and_impact": action,
                "progress": progress,
                "improvement_still_required": still_required,
            },
        )
