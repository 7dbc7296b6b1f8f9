"""Results and a ready-made course to report on: one course instance that started a month ago,
with modules, registered students, a reporter, an examiner and a study administrator."""

import datetime
from dataclasses import dataclass, field

import factory

from catalog.grading import SCALE_UG
from catalog.models import CourseInstance, Grade, Module
from ladokportal import clock
from people.models import Person, StaffRoleKind, User
from registration.models import ParticipationState
from results.models import ApiClient, Result, ResultSource, ResultState
from tests.factories.catalog import (
    CourseInstanceFactory,
    CourseInstancePeriodFactory,
    ModuleFactory,
    scale,
)
from tests.factories.people import PersonFactory, StaffRoleFactory, UserFactory
from tests.factories.registration import CourseParticipationFactory, RegistrationFactory


def grade(code: str, scale_code: str = SCALE_UG) -> Grade:
    return Grade.objects.get(scale=scale(scale_code), code=code)


class ResultFactory(factory.django.DjangoModelFactory):
    """A draft unless told otherwise; for other states use the services (they write history)."""

    class Meta:
        model = Result

    course_instance = factory.SubFactory(CourseInstanceFactory)
    institution = factory.SelfAttribute("course_instance.institution")
    person = factory.SubFactory(PersonFactory)
    module = None
    grade = factory.LazyFunction(lambda: grade("G"))
    examination_date = factory.LazyFunction(lambda: clock.today() - datetime.timedelta(days=3))
    state = ResultState.DRAFT
    source = ResultSource.PAGE


@dataclass
class ReportingWorld:
    instance: CourseInstance
    modules: list[Module]
    students: list[Person]
    reporter: User
    examiner: User
    study_admin: User
    outsider: User  # a teacher with rights on another course only
    extra: dict = field(default_factory=dict)

    @property
    def module(self) -> Module:
        return self.modules[0]


def register(person: Person, instance: CourseInstance):
    """A registered participation on `instance` (it needs one study period)."""
    period = instance.periods.first() or CourseInstancePeriodFactory(course_instance=instance)
    participation = CourseParticipationFactory(
        person=person, course_instance=instance, state=ParticipationState.REGISTERED
    )
    RegistrationFactory(participation=participation, study_period=period.study_period)
    return participation


def reporting_world(
    institution, *, students: int = 3, modules: int = 2, **course
) -> ReportingWorld:
    today = clock.today()
    instance = CourseInstanceFactory(
        course__institution=institution,
        start_date=today - datetime.timedelta(days=30),
        end_date=today + datetime.timedelta(days=30),
        **{f"course__{k}": v for k, v in course.items()},
    )
    CourseInstancePeriodFactory(course_instance=instance)
    mods = [
        ModuleFactory(course=instance.course, code=f"M{n}", position=n, credits=3)
        for n in range(1, modules + 1)
    ]
    people = [PersonFactory() for _ in range(students)]
    for person in people:
        register(person, instance)

    def staff(username: str, role: str, **scope) -> User:
        user = UserFactory(username=username, first_name=username.title(), last_name="Staff")
        StaffRoleFactory(user=user, institution=institution, role=role, **scope)
        return user

    suffix = instance.instance_code
    other = CourseInstanceFactory(course__institution=institution)
    return ReportingWorld(
        instance=instance,
        modules=mods,
        students=people,
        reporter=staff(f"reporter{suffix}", StaffRoleKind.REPORTER, course=instance.course),
        examiner=staff(f"examiner{suffix}", StaffRoleKind.CERTIFIER, course=instance.course),
        study_admin=staff(f"admin{suffix}", StaffRoleKind.STUDY_ADMIN),
        outsider=staff(f"outsider{suffix}", StaffRoleKind.CERTIFIER, course=other.course),
    )


def api_client(institution, *, token: str = "test-token", acting_user: User | None = None):  # noqa: S107
    """An exam system's client with a known token."""
    from results.api_auth import hash_token

    return ApiClient.objects.create(
        institution=institution,
        name_sv="Examenssystem",
        name_en="Exam system",
        token_hash=hash_token(token),
        acting_user=acting_user or UserFactory(username=f"api-{institution.code}"),
    )
