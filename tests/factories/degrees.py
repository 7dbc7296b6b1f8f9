"""Degree kinds with requirements, students with completed courses to rest a degree on, degree
case officers, and cases made through the services (so their history is real)."""

import datetime
import uuid
from decimal import Decimal

from catalog.models import Course
from degrees import services
from degrees.models import (
    CourseClassification,
    DegreeCase,
    DegreeCategory,
    DegreeKind,
    DegreeRequirement,
    Delivery,
    MainField,
    RequirementKind,
)
from institutions.models import InstitutionSettings
from ladokportal import clock
from people.models import Person, StaffRoleKind, User
from registration.models import ParticipationState
from results.models import ResultSource
from tests.factories.catalog import CourseInstanceFactory
from tests.factories.certificates import certified
from tests.factories.people import PersonFactory, StaffRoleFactory, UserFactory
from tests.factories.registration import CourseParticipationFactory


def settings_of(institution) -> InstitutionSettings:
    found, _created = InstitutionSettings.objects.get_or_create(institution=institution)
    return found


def main_field(institution, code: str = "MA", sv: str = "Matematik", en: str = "Mathematics"):
    found = MainField.objects.filter(institution=institution, code=code).first()
    return found or MainField.objects.create(
        institution=institution, code=code, name_sv=sv, name_en=en
    )


def completed_course(
    person: Person,
    institution,
    *,
    credits: str | Decimal = "7.5",
    level: str = "first",
    field: MainField | None = None,
    project: bool = False,
    code: str | None = None,
    credited: bool = False,
    grade: str = "G",
) -> Course:
    """A course the person completed: a certified course grade (a credit transfer when
    `credited`), classified by main field and independent project."""
    extra = {"course__code": code} if code else {}
    today = clock.today()
    instance = CourseInstanceFactory(
        course__institution=institution,
        course__credits=Decimal(credits),
        course__level=level,
        start_date=today - datetime.timedelta(days=200),
        end_date=today - datetime.timedelta(days=100),
        **extra,
    )
    CourseParticipationFactory(
        person=person, course_instance=instance, state=ParticipationState.COMPLETED
    )
    CourseClassification.objects.create(
        institution=institution,
        course=instance.course,
        main_field=field,
        independent_project=project,
    )
    certified(
        person,
        None,
        instance,
        code=grade,
        examination_date=instance.end_date,
        source=ResultSource.CREDIT if credited else ResultSource.PAGE,
    )
    return instance.course


def degree_kind(
    institution,
    *,
    code: str = "FK",
    category: str = DegreeCategory.GENERAL,
    sv: str = "Filosofie kandidatexamen",
    en: str = "Degree of Bachelor of Science",
    field: MainField | None = None,
    requirements: list[dict] = (),
) -> DegreeKind:
    kind = DegreeKind.objects.create(
        institution=institution,
        code=code,
        category=category,
        name_sv=sv,
        name_en=en,
        main_field=field,
        description_en="A first-cycle general degree of 180 credits.",
    )
    for position, requirement in enumerate(requirements):
        DegreeRequirement.objects.create(
            institution=institution, degree_kind=kind, position=position, **requirement
        )
    return kind


def requirement(kind: str, **fields) -> dict:
    if "credits" in fields:
        fields["credits"] = Decimal(fields["credits"])
    return {"kind": kind, **fields}


def officer(institution, username: str | None = None) -> User:
    from people.models import StaffRole

    user = UserFactory(username=username or f"officer-{institution.code}")
    if not StaffRole.objects.filter(
        user=user, institution=institution, role=StaffRoleKind.DEGREE_OFFICER
    ).exists():
        StaffRoleFactory(user=user, institution=institution, role=StaffRoleKind.DEGREE_OFFICER)
    return user


def graduate(institution, *, person: Person | None = None) -> tuple[Person, User, DegreeKind]:
    """A student who meets a small bachelor's degree: 30 credits, 15 in Mathematics, a 7.5-credit
    project; the kind, with its requirements."""
    person = person or PersonFactory()
    user = getattr(person, "user", None) or UserFactory(person=person)
    field = main_field(institution)
    completed_course(person, institution, credits="15", field=field, code="MATA21")
    completed_course(person, institution, credits="7.5", field=field, project=True, code="MATK11")
    completed_course(person, institution, credits="7.5", code="FYSA11")
    kind = degree_kind(
        institution,
        field=field,
        requirements=[
            requirement(RequirementKind.TOTAL_CREDITS, credits="30"),
            requirement(RequirementKind.MAIN_FIELD_CREDITS, credits="15", main_field=field),
            requirement(RequirementKind.INDEPENDENT_PROJECT, credits="7.5", main_field=field),
        ],
    )
    return person, user, kind


def apply(user: User, person: Person, institution, kind: DegreeKind, **fields) -> DegreeCase:
    from degrees.inputs import completed_courses

    ids = fields.pop("course_ids", None)
    if ids is None:
        ids = [c.course_id for c in completed_courses(person, institution)]
    return services.submit(
        user,
        person=person,
        institution=institution,
        kind=kind,
        course_ids=ids,
        delivery=fields.pop("delivery", Delivery.DIGITAL),
        request_key=fields.pop("request_key", uuid.uuid4()),
    )
