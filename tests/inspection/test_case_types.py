"""Case types are framework data: each framework's own, the standards each answers, the
one rule of which key questions apply to a case, a case's type checked against its
inspection's framework, and frozen with the rest of a framework."""

import pytest
from django.core.exceptions import ValidationError

from casereview.models import Case
from inspection.frameworks import framework_path, load_framework, read_document
from inspection.models import CaseType, Framework, InspectionStatus, KeyQuestion, Standard
from tests.factories import InspectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def youth():
    return load_framework(read_document(framework_path("youth-2021")))


def test_each_framework_has_its_own_case_types(youth):
    probation = Framework.objects.get(code="probation-2023")
    assert probation.case_type_choices() == [
        ("community", "Community sentence"),
        ("licence", "Release on licence"),
    ]
    assert youth.case_type_choices() == [
        ("court", "Court disposal"),
        ("out_of_court", "Out-of-court disposal"),
    ]


def test_standards_say_which_case_types_answer_them(youth):
    standards = {s.code: s for s in youth.standards.prefetch_related("case_types")}
    assert [code for code, s in standards.items() if s.applies_to("court")] == [
        "2.1",
        "2.2",
        "2.3",
        "2.4",
    ]
    assert [code for code, s in standards.items() if s.applies_to("out_of_court")] == [
        "3.1",
        "3.2",
        "3.3",
    ]
    # Judgement standards are answered by no case.
    assert not any(standards[code].case_types.exists() for code in ("1.1", "1.4", "3.4"))


def test_key_questions_for_a_case_type_are_the_same_rule(youth):
    court = KeyQuestion.objects.of_framework(youth).for_case_type("court")
    assert [kq.code for kq in court][:3] == ["2.1.1", "2.1.2", "2.1.3"]
    assert {kq.standard.code for kq in court} == {"2.1", "2.2", "2.3", "2.4"}
    for kq in KeyQuestion.objects.of_framework(youth).prefetch_related("standard__case_types"):
        assert kq.standard.applies_to("court") == (kq in court)


def test_the_youth_prompts_are_provisional_and_the_probation_ones_not(youth):
    from inspection.models import Prompt

    assert Prompt.objects.of_framework(youth).exists()
    assert not Prompt.objects.of_framework(youth).filter(provisional=False).exists()
    probation = Framework.objects.get(code="probation-2023")
    assert not Prompt.objects.of_framework(probation).filter(provisional=True).exists()


def test_a_case_type_must_be_one_of_its_inspections_framework(youth):
    inspection = InspectionFactory(framework=youth)
    case = Case(inspection=inspection, reference="Y1", case_type="community", rosh="low")
    with pytest.raises(ValidationError) as caught:
        case.full_clean()
    assert "case_type" in caught.value.message_dict
    assert "court (Court disposal), out_of_court (Out-of-court disposal)" in str(caught.value)
    case.case_type = "out_of_court"
    case.full_clean()
    assert case.case_type_label == "Out-of-court disposal"


def test_a_frozen_framework_refuses_a_change_of_its_case_types(youth):
    from inspection.frameworks import FrameworkFrozen

    InspectionFactory(framework=youth, status=InspectionStatus.COMPLETE)
    document = read_document(framework_path("youth-2021"))
    document["case_types"][1]["label"] = "Diversion"
    with pytest.raises(FrameworkFrozen):
        load_framework(document)
    document = read_document(framework_path("youth-2021"))
    document["standards"][4]["case_types"] = ["court", "out_of_court"]
    with pytest.raises(FrameworkFrozen):
        load_framework(document)
    assert CaseType.objects.get(framework=youth, code="out_of_court").label == (
        "Out-of-court disposal"
    )
    assert list(
        Standard.objects.get(framework=youth, code="2.1").case_types.values_list("code", flat=True)
    ) == ["court"]
