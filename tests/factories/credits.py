"""Credit-transfer cases made through the services (so numbers, history and results are real),
and small files to attach."""

import io
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.models import Course, CourseInstance, Module
from credits import services
from credits.models import CreditCase, CreditItem, ItemKind
from people.models import Person, StaffRoleKind, User
from tests.factories.catalog import CourseInstanceFactory, ModuleFactory
from tests.factories.people import PersonFactory, StaffRoleFactory, UserFactory
from tests.factories.results import register

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def png_bytes(width: int = 4, height: int = 4) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (width, height)).save(out, format="PNG")
    return out.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@dataclass
class CreditWorld:
    student: User
    officer: User
    instance: CourseInstance
    modules: list[Module]

    @property
    def person(self) -> Person:
        return self.student.person

    @property
    def course(self) -> Course:
        return self.instance.course


def officer_at(institution, username: str) -> User:
    user = UserFactory(username=username, first_name=username.title(), last_name="Officer")
    StaffRoleFactory(user=user, institution=institution, role=StaffRoleKind.CREDIT_OFFICER)
    return user


def credit_world(institution, *, username: str = "cecilia", suffix: str = "") -> CreditWorld:
    person = PersonFactory(first_name="Stina", last_name="Student")
    student = UserFactory(username=f"stina{suffix}", person=person)
    instance = CourseInstanceFactory(course__institution=institution, course__credits=15)
    register(person, instance)
    modules = [
        ModuleFactory(course=instance.course, code=f"M{n}", position=n, credits=Decimal("7.5"))
        for n in (1, 2)
    ]
    return CreditWorld(student, officer_at(institution, username + suffix), instance, modules)


def submitted_case(world: CreditWorld, *, items: int = 2) -> CreditCase:
    case = services.start_draft(world.person, institution=world.instance.institution)
    for n in range(items):
        services.save_item(
            world.person,
            case=case,
            kind=ItemKind.EDUCATION,
            target_course=world.course,
            target_module=world.modules[n % len(world.modules)],
            scope="whole",
            university="Universität Wien",
            country="Austria",
            course_name=f"Analysis {n + 1}",
            credits=Decimal("7.5"),
            credit_system="ects",
            grade_text="1",
            grading_scale="1-5",
        )
    return services.submit(world.person, case=case)


def items_of(case: CreditCase) -> list[CreditItem]:
    return list(case.items.order_by("pk"))
