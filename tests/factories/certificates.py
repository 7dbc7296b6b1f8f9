"""A student with certified results to put on certificates, and certificates created through the
service (so their content is a real snapshot)."""

import datetime
import uuid
from dataclasses import dataclass

from django.utils import timezone

from catalog.models import Module
from certificates import services
from certificates.models import Certificate
from ladokportal import clock
from people.models import Person, User
from results.models import ResultState
from tests.factories.catalog import CourseInstanceFactory, ModuleFactory
from tests.factories.people import PersonFactory, UserFactory
from tests.factories.results import ResultFactory, grade, register


@dataclass
class Transcript:
    person: Person
    user: User
    modules: list[Module]


def examiner_of(institution) -> User:
    user = User.objects.filter(username=f"examiner-{institution.code}").first()
    return user or UserFactory(username=f"examiner-{institution.code}", first_name="Eva")


def certified(person: Person, module: Module | None, instance, code: str = "G", **fields):
    return ResultFactory(
        certified_by=examiner_of(instance.institution),
        person=person,
        course_instance=instance,
        module=module,
        grade=grade(code),
        state=ResultState.CERTIFIED,
        certified_at=timezone.now(),
        **fields,
    )


def transcript_student(
    institution, *, courses: int = 2, modules: int = 2, person: Person | None = None
) -> Transcript:
    """A registered student with every module of `courses` courses passed and each course graded:
    about twelve courses fill a page of a transcript with modules."""
    person = person or PersonFactory()
    user = UserFactory(person=person) if not hasattr(person, "user") else person.user
    today = clock.today()
    all_modules = []
    for n in range(courses):
        instance = CourseInstanceFactory(
            course__institution=institution,
            course__credits=7.5 * modules,
            start_date=today - datetime.timedelta(days=200 + n),
            end_date=today - datetime.timedelta(days=100 + n),
        )
        register(person, instance)
        mods = [
            ModuleFactory(course=instance.course, code=f"M{m}", position=m, credits=7.5)
            for m in range(1, modules + 1)
        ]
        for module in mods:
            certified(person, module, instance, examination_date=instance.end_date)
        certified(person, None, instance, examination_date=instance.end_date)
        all_modules.extend(mods)
    return Transcript(person=person, user=user, modules=all_modules)


def create_certificate(
    actor: User,
    person: Person,
    institution,
    kind: str = "transcript",
    language: str = "en",
    **options,
) -> Certificate:
    return services.create(
        actor,
        person=person,
        institution=institution,
        kind=kind,
        language=language,
        raw_options=options,
        request_key=uuid.uuid4(),
    )
