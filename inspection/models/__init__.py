"""What is inspected and against what: the framework, units, inspections, teams and
the domain-one (judgement) ratings. Nothing here knows about case answers.

One package, one module per responsibility; every model is importable as
`inspection.models.X`, and its app label is inspection's."""

from inspection.models.frameworks import (
    KEY_QUESTION_ORDER,
    PROMPT_ORDER,
    BandKind,
    Basis,
    CaseType,
    Domain,
    Framework,
    KeyQuestion,
    KeyQuestionQuerySet,
    Lens,
    Prompt,
    PromptQuerySet,
    Rating,
    RatingBand,
    Standard,
    framework_order,
)
from inspection.models.inspections import (
    Inspection,
    InspectionQuerySet,
    InspectionStatus,
    Region,
    Role,
    TeamMembership,
    Unit,
    ViewerGrant,
)
from inspection.models.reporting import (
    DomainOneRating,
    PreviousRecommendation,
    Progress,
    Recommendation,
)

__all__ = [
    "BandKind",
    "Basis",
    "CaseType",
    "Domain",
    "DomainOneRating",
    "Framework",
    "Inspection",
    "InspectionQuerySet",
    "InspectionStatus",
    "KEY_QUESTION_ORDER",
    "KeyQuestion",
    "KeyQuestionQuerySet",
    "Lens",
    "PROMPT_ORDER",
    "PreviousRecommendation",
    "Progress",
    "Prompt",
    "PromptQuerySet",
    "Rating",
    "RatingBand",
    "Recommendation",
    "Region",
    "Role",
    "Standard",
    "TeamMembership",
    "Unit",
    "ViewerGrant",
    "framework_order",
]
