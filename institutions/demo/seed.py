"""Put the demo world together (DESIGN.md § Contracts: seed_demo)."""

import datetime
import logging
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django_scopes import scopes_disabled

from catalog.models import Course, CourseInstance
from institutions.demo.bulk import create_bulk_students
from institutions.demo.catalogue import Catalogue, create_catalogue
from institutions.demo.certificates import Issued, create_demo_certificates
from institutions.demo.credits import create_credit_cases, create_foreign_merits
from institutions.demo.degrees import DemoShare, create_demo_degrees
from institutions.demo.doctoral import create_doctoral_records
from institutions.demo.exam_sessions import create_exam_sessions
from institutions.demo.fees import create_fee_records
from institutions.demo.journey_courses import create_journey_courses
from institutions.demo.journeys import create_study_journeys
from institutions.demo.participations import enrol
from institutions.demo.programme_offers import create_programme_offers
from institutions.demo.result_history import certify_completed_courses
from institutions.demo.results import create_demo_results
from institutions.demo.saml import link_staff as link_staff_saml
from institutions.demo.students import create_named_students, create_staff, draw_other_students
from institutions.demo.terms import Calendar, calendar_around
from institutions.demo.texts import create_local_texts, create_text_history
from institutions.demo.universities import UNIVERSITIES, create_university
from institutions.models import Institution
from ladokportal import links
from people.models import Person
from registration.models import CourseParticipation, Registration
from results.models import Result

DEMO_LOGINS = (
    "student",
    "student2",
    "alumnus",
    "doctoral",
    "teacher",
    "examiner",
    "studyadmin",
    "sysadmin",
    "creditofficer",
    "feestudent",
    "feeexempt",
    "feeadmin",
    "degreeofficer",
)


@dataclass(frozen=True)
class Summary:
    institutions: int
    courses: int
    course_instances: int
    persons: int
    participations: int
    registrations: int
    results: int = 0
    # (university, token) of each demo exam system: shown once, only the hash is kept.
    api_tokens: tuple[tuple[str, str], ...] = ()
    # The demo certificates with their check codes (random: printed so they can be tried).
    certificates: tuple[Issued, ...] = ()
    # The demo's active degree share (S-DEG-5): its code is random, so it is printed.
    degree_shares: tuple[DemoShare, ...] = ()

    def lines(self) -> list[str]:
        return [
            f"Universities: {self.institutions}, courses: {self.courses}, "
            f"course instances: {self.course_instances}",
            f"Persons: {self.persons}, course participations: {self.participations}, "
            f"registrations: {self.registrations}, results: {self.results}",
            f'Demo logins (password "demo"): {", ".join(DEMO_LOGINS)}',
            *(f"API token for {university}: {token}" for university, token in self.api_tokens),
            *self._certificate_lines(),
            *self._share_lines(),
        ]

    def _share_lines(self) -> list[str]:
        if not self.degree_shares:
            return []
        shared = links.absolute(reverse("shared_degree"))
        return [
            f"Shared degrees (see them at {shared}):",
            *(s.line() for s in self.degree_shares),
        ]

    def _certificate_lines(self) -> list[str]:
        if not self.certificates:
            return []
        verify = links.absolute(reverse("verify"))
        return [
            f"Check codes of the demo certificates (try them at {verify}):",
            *(c.line() for c in self.certificates),
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


@contextmanager
def quiet_tasks() -> Iterator[None]:
    """The e-mails the demo's results queue are recorded as sent (results.py); without a
    broker the tasks run at commit, find nothing to send, and would each log a line (and
    kombu once that its in-memory broker has no host name)."""
    loggers = [logging.getLogger(name) for name in ("celery.app.trace", "kombu.connection")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def seed_demo(
    *,
    today: datetime.date,
    seed: int = 1,
    students: int = 0,
    progress: Callable[[int], None] | None = None,
) -> Summary:
    """Fill an empty database; everything in one transaction, so a failure leaves nothing."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible draw of demo data, not a secret
    # Grades are drawn apart, so that the persons drawn stay those of earlier versions.
    grade_rng = random.Random(f"grades:{seed}")  # noqa: S311 - as above
    calendar = calendar_around(today)
    with quiet_tasks(), scopes_disabled(), transaction.atomic():
        catalogues = create_universities(calendar, today)
        lu = catalogues["lu"]
        journey = create_journey_courses(lu, calendar, today)
        offers = create_programme_offers(lu, journey, today)
        plans = create_named_students(catalogues, today)
        staff = create_staff(catalogues)
        create_text_history(lu.institution, staff["sysadmin"], today)
        link_staff_saml(staff)
        enrol(plans + draw_other_students(catalogues, today, rng), today)
        create_study_journeys(lu, journey, offers, today)
        create_doctoral_records(lu, calendar, staff["studyadmin"], today)
        create_exam_sessions(today)
        create_fee_records(lu, calendar, today)
        tokens = create_demo_results(lu, staff, today, grade_rng)
        examiners = {
            c.institution.pk: staff["examiner" if code == "lu" else f"examiner-{code}"]
            for code, c in catalogues.items()
        }
        # Before the volume students: their completed courses get no results, which would
        # cost three times the load itself in model rows (bulk.py).
        certify_completed_courses(examiners, today, grade_rng)
        create_credit_cases(lu)
        create_foreign_merits(lu)
        create_bulk_students(students, catalogues, today, rng, progress)
        # Last: their content freezes the records above, and each is rendered here (slow part).
        issued = create_demo_certificates(lu.institution, calendar, today)
        # After the certificates: the seals exist and the degree certificate is rendered too.
        shares, documents = create_demo_degrees(lu.institution, today)
        return summarise(tuple(tokens), (*issued, *documents), tuple(shares))


def summarise(
    api_tokens: tuple[tuple[str, str], ...] = (),
    certificates: tuple[Issued, ...] = (),
    degree_shares: tuple[DemoShare, ...] = (),
) -> Summary:
    return Summary(
        institutions=Institution.objects.count(),
        courses=Course.objects.count(),
        course_instances=CourseInstance.objects.count(),
        persons=Person.objects.count(),
        participations=CourseParticipation.objects.count(),
        registrations=Registration.objects.count(),
        results=Result.objects.count(),
        api_tokens=api_tokens,
        certificates=certificates,
        degree_shares=degree_shares,
    )
