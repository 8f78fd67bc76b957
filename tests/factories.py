"""factory-boy factories for the organisation tree, plans and tasks."""

import datetime

import factory

from theodoi.org.models import Organization, Role, Unit, User
from theodoi.plans.models import Plan, Section, Task, TaskCoordinatingUnit, TaskLeadUnit


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Phường Số {n}")
    code = factory.Sequence(lambda n: f"W{n}")
    kind = Organization.Kind.WARD


class ProvinceFactory(OrganizationFactory):
    name = factory.Sequence(lambda n: f"Tỉnh Số {n}")
    code = factory.Sequence(lambda n: f"P{n}")
    kind = Organization.Kind.PROVINCE


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Phòng Số {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.UNIT_OFFICER
    organization = factory.LazyAttribute(lambda o: o.unit.organization if o.unit else None)
    unit = None
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    organization = factory.SubFactory(OrganizationFactory)
    # A number no seed uses, so imports of the seeds never collide with a factory plan.
    number = factory.Sequence(lambda n: f"{n}/KH-THUNGHIEM")
    title = "Kế hoạch thực hiện Nghị quyết 57-NQ/TW năm 2026"
    issuer = "UBND phường"
    issued_on = datetime.date(2026, 1, 15)
    period_start = datetime.date(2026, 1, 1)
    period_end = datetime.date(2026, 12, 31)


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    plan = factory.SubFactory(PlanFactory)
    code = "I"
    title = "Nâng cao nhận thức"


class TaskFactory(factory.django.DjangoModelFactory):
    """A task built directly (not through the service): for read-side tests only."""

    class Meta:
        model = Task
        skip_postgeneration_save = True

    plan = factory.SubFactory(PlanFactory)
    code = factory.Sequence(lambda n: str(n + 1))
    title = factory.Sequence(lambda n: f"Nhiệm vụ số {n}")
    deadline_text = "Quý IV/2026"
    deadline_kind = "quarter"
    due_date = datetime.date(2026, 12, 31)

    # In the order given, as a plan names them: the first lead unit is the responsible one.
    @factory.post_generation
    def lead_units(obj, create, extracted, **kwargs):
        if create and extracted:
            TaskLeadUnit.objects.bulk_create(
                TaskLeadUnit(task=obj, unit=unit, order=place)
                for place, unit in enumerate(extracted)
            )

    @factory.post_generation
    def coordinating_units(obj, create, extracted, **kwargs):
        if create and extracted:
            TaskCoordinatingUnit.objects.bulk_create(
                TaskCoordinatingUnit(task=obj, unit=unit, order=place)
                for place, unit in enumerate(extracted)
            )
