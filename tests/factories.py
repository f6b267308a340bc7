"""factory_boy factories for the domain: users, inspections, cases and answers."""

import datetime

import factory
from django.contrib.auth import get_user_model

from casereview.models import Case, CaseStatus, KeyQuestionAnswer, RiskOfSeriousHarm
from inspection.frameworks import DEFAULT_FRAMEWORK, framework_path, load_framework, read_document
from inspection.models import Framework, Inspection, Region, Role, TeamMembership, Unit

PASSWORD = "correct-horse-battery-staple"


def probation_framework() -> Framework:
    """The framework the data migration loads; transactional tests flush it, so reload."""
    framework = Framework.objects.filter(code=DEFAULT_FRAMEWORK).first()
    return framework or load_framework(read_document(framework_path(DEFAULT_FRAMEWORK)))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Region {n}")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Unit {n}")
    region = factory.SubFactory(RegionFactory)


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspection

    slug = factory.Sequence(lambda n: f"inspection-{n}")
    unit = factory.SubFactory(UnitFactory)
    framework = factory.LazyFunction(probation_framework)
    fieldwork_start = datetime.date(2023, 12, 4)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMembership

    inspection = factory.SubFactory(InspectionFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.INSPECTOR


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    inspection = factory.SubFactory(InspectionFactory)
    reference = factory.Sequence(lambda n: f"C{n:05d}")
    case_type = "community"
    rosh = RiskOfSeriousHarm.MEDIUM
    status = CaseStatus.IN_PROGRESS


class KeyQuestionAnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyQuestionAnswer

    case = factory.SubFactory(CaseFactory)
    answer = "yes"
    note = "Evidence seen in the case record."
