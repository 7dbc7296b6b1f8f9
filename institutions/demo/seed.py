"""Put the demo world together (DESIGN.md § Contracts: seed_demo)."""

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django_scopes import scopes_disabled

from catalog.models import Course, CourseInstance
from institutions.demo.bulk import create_bulk_students
from institutions.demo.catalogue import Catalogue, create_catalogue
from institutions.demo.doctoral import create_doctoral_records
from institutions.demo.exam_sessions import create_exam_sessions
from institutions.demo.journey_courses import create_journey_courses
from institutions.demo.journeys import create_study_journeys
from institutions.demo.participations import enrol
from institutions.demo.programme_offers import create_programme_offers
from institutions.demo.students import create_named_students, create_staff, draw_other_students
from institutions.demo.terms import Calendar, calendar_around
from institutions.demo.texts import create_local_texts
from institutions.demo.universities import UNIVERSITIES, create_university
from institutions.models import Institution
from people.models import Person
from registration.models import CourseParticipation, Registration

DEMO_LOGINS = (
    "student",
    "student2",
    "alumnus",
    "doctoral",
    "teacher",
    "examiner",
    "studyadmin",
    "sysadmin",
)


@dataclass(frozen=True)
class Summary:
    institutions: int
    courses: int
    course_instances: int
    persons: int
    participations: int
    registrations: int

    def lines(self) -> list[str]:
        return [
            f"Universities: {self.institutions}, courses: {self.courses}, "
            f"course instances: {self.course_instances}",
            f"Persons: {self.persons}, course participations: {self.participations}, "
            f"registrations: {self.registrations}",
            f'Demo logins (password "demo"): {", ".join(DEMO_LOGINS)}',
        ]


def create_universities(calendar: Calendar, today: datetime.date) -> dict[str, Catalogue]:
    catalogues = {}
    for number, data in enumerate(UNIVERSITIES, start=1):
        institution, org_units = create_university(data)
        create_local_texts(institution, data)
        catalogues[data.code] = create_catalogue(
            institution,
            org_units=org_units,
            town=data.town,
            code_base=10000 * number,
            calendar=calendar,
            today=today,
        )
    return catalogues


def seed_demo(
    *,
    today: datetime.date,
    seed: int = 1,
    students: int = 0,
    progress: Callable[[int], None] | None = None,
) -> Summary:
    """Fill an empty database; everything in one transaction, so a failure leaves nothing."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible draw of demo data, not a secret
    calendar = calendar_around(today)
    with scopes_disabled(), transaction.atomic():
        catalogues = create_universities(calendar, today)
        lu = catalogues["lu"]
        journey = create_journey_courses(lu, calendar, today)
        offers = create_programme_offers(lu, journey, today)
        plans = create_named_students(catalogues, today)
        staff = create_staff(catalogues)
        enrol(plans + draw_other_students(catalogues, today, rng), today)
        create_study_journeys(lu, journey, offers, today)
        create_doctoral_records(lu, calendar, staff["studyadmin"], today)
        create_exam_sessions(today)
        create_bulk_students(students, catalogues, today, rng, progress)
        return summarise()


def summarise() -> Summary:
    return Summary(
        institutions=Institution.objects.count(),
        courses=Course.objects.count(),
        course_instances=CourseInstance.objects.count(),
        persons=Person.objects.count(),
        participations=CourseParticipation.objects.count(),
        registrations=Registration.objects.count(),
    )
