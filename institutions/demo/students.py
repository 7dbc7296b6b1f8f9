"""The demo's people: the named logins with studies chosen to show every case, the staff, and
thirty drawn students that make lists look real.

`student` studies at Lund (in a programme) and at Uppsala, so the university switch (S-INST-1)
has something to switch between; at Lund one course is open for registration now and one opens
later (the rest of her journey is in journeys.py). `student2` has no Swedish identity number and
is in the same programme. `alumnus` has only finished studies. `doctoral` is a doctoral student
(her study plan, activity and leave are in doctoral.py).
"""

import datetime
import random

from catalog.models import CourseInstance
from institutions.demo.catalogue import Catalogue
from institutions.demo.identities import NumberDrawer, test_number
from institutions.demo.participations import S, StudentPlan, draw_state
from institutions.demo.persons import (
    Address,
    create_login,
    draw_international_student,
    draw_student,
    grant,
    new_person,
)
from people.models import Person, StaffRoleKind, User

OTHER_STUDENTS = 30
# Birth date and sex of the named logins: their numbers are Skatteverket's test numbers.
NAMED_NUMBERS = {
    "student": (datetime.date(2001, 4, 17), "F"),
    "alumnus": (datetime.date(1997, 9, 2), "M"),
    "doctoral": (datetime.date(1996, 11, 30), "F"),
}


def named_number(key: str) -> tuple[datetime.date, str]:
    """Birth date and test personal identity number of a named demo login."""
    birth, sex = NAMED_NUMBERS[key]
    return birth, test_number(birth, female=sex == "F")


def _numbered(key: str, first: str, last: str, address: Address, **extra: object) -> Person:
    birth, number = named_number(key)
    person = new_person(first, last, birth, number, address, **extra)
    person.save()
    return person


def started(instance: CourseInstance, today: datetime.date) -> str:
    """Registered if the instance's first registration period has opened, else admitted: in the
    summer even the current term's courses have not opened yet."""
    opened = instance.periods_list[0].registration_opens <= today
    return S.REGISTERED if opened else S.ADMITTED


def student_plans(lu: Catalogue, uu: Catalogue, today: datetime.date) -> list[StudentPlan]:
    person = _numbered(
        "student",
        "Stina",
        "Andersson",
        Address("Tunavägen 39 A", "223 63", "Lund"),
        phone="070-174 06 05",
        email="stina.andersson@example.com",
    )
    at_lu = StudentPlan(person, programme=lu.programmes["NGMAT"])
    at_lu.courses = [
        (lu.instance("MATA21", "before_last"), S.COMPLETED),
        (lu.instance("MATA22", "before_last"), S.COMPLETED),
        (lu.instance("MATA23", "last"), S.COMPLETED),
        (lu.instance("FYSA11", "last"), S.DROPPED),
        (lu.instance("FYSC01", "current"), S.ADMITTED),  # registration open now
        (lu.instance("FYSA11", "current"), S.ADMITTED),  # registration opens later
        (lu.instance("MATM11", "current"), started(lu.instance("MATM11", "current"), today)),
    ]
    at_uu = StudentPlan(person)
    at_uu.courses = [
        (uu.instance("1MS005", "last"), S.COMPLETED),
        (uu.instance("1DL201", "current"), S.REGISTERED),
        (uu.instance("1MA013", "current"), S.WITHDRAWN),
        (uu.instance("1DT301", "next"), S.ADMITTED),
    ]
    return [at_lu, at_uu]


def student2_plan(lu: Catalogue) -> StudentPlan:
    person = new_person(
        "Lucas",
        "Martin",
        datetime.date(1999, 3, 8),
        None,
        None,
        local_number="T001",
        email="lucas.martin@example.com",
        language="en",
        temporary_care_of="Kristina Holm",
        temporary_street="Sölvegatan 14",
        temporary_postal_code="223 62",
        temporary_city="Lund",
        temporary_country="Sverige",
    )
    person.save()
    # In the mathematics programme, so that she can apply within it (journeys.py).
    return StudentPlan(
        person,
        programme=lu.programmes["NGMAT"],
        courses=[(lu.instance("MATA21", "current"), S.REGISTERED)],
    )


def alumnus_plan(lu: Catalogue) -> StudentPlan:
    person = _numbered(
        "alumnus",
        "Johan",
        "Ek",
        Address("Kungsgatan 12", "411 19", "Göteborg"),
        phone="070-174 06 06",
    )
    done = [
        ("MATA21", "before_last"),
        ("MATA22", "before_last"),
        ("MATA23", "last"),
        ("FYSA11", "last"),
    ]
    return StudentPlan(person, courses=[(lu.instance(c, r), S.COMPLETED) for c, r in done])


def doctoral_plan(lu: Catalogue, today: datetime.date) -> StudentPlan:
    person = _numbered(
        "doctoral", "Amira", "Hassan", Address("Magistratsvägen 8", "226 43", "Lund")
    )
    course = lu.instance("MATF01", "current")
    return StudentPlan(
        person, programme=lu.programmes["NAMATE"], courses=[(course, started(course, today))]
    )


def create_named_students(
    catalogues: dict[str, Catalogue], today: datetime.date
) -> list[StudentPlan]:
    """The student logins, the doctoral student's among them; their studies, to be enrolled."""
    lu, uu = catalogues["lu"], catalogues["uu"]
    plans = student_plans(lu, uu, today)
    student2, alumnus, doctoral = student2_plan(lu), alumnus_plan(lu), doctoral_plan(lu, today)
    create_login("student", "Stina", "Andersson", plans[0].person)
    create_login("student2", "Lucas", "Martin", student2.person)
    create_login("alumnus", "Johan", "Ek", alumnus.person)
    create_login("doctoral", "Amira", "Hassan", doctoral.person)
    return [*plans, student2, alumnus, doctoral]


def create_staff(catalogues: dict[str, Catalogue]) -> dict[str, User]:
    """The staff logins and their rights (T-ROLE-1): `teacher` reports on the courses of
    Lund's mathematics department (an org unit); `examiner` certifies at Lund (the results marked
    ready there are sent to him, so his staff web opens at Lund with work waiting), and each other
    university has an examiner of its own for its past results (`examiner-kth`, `examiner-uu`);
    `studyadmin` administers Lund; `sysadmin` Lund and Uppsala."""
    lu, uu = catalogues["lu"], catalogues["uu"]
    staff = {
        "teacher": create_login("teacher", "Maria", "Nilsson"),
        "examiner": create_login("examiner", "Per", "Holm"),
        "studyadmin": create_login("studyadmin", "Eva", "Berglund"),
        "sysadmin": create_login("sysadmin", "Oskar", "Sandberg"),
    }
    mathematics = lu.courses["MATA21"].org_unit
    grant(staff["teacher"], StaffRoleKind.REPORTER, lu.institution, org_unit=mathematics)
    grant(staff["examiner"], StaffRoleKind.CERTIFIER, lu.institution)
    for code, catalogue in catalogues.items():
        if code != "lu":
            staff[f"examiner-{code}"] = create_login(f"examiner-{code}", "Examinator", code.upper())
            grant(staff[f"examiner-{code}"], StaffRoleKind.CERTIFIER, catalogue.institution)
    grant(staff["studyadmin"], StaffRoleKind.STUDY_ADMIN, lu.institution)
    for catalogue in (lu, uu):
        grant(staff["sysadmin"], StaffRoleKind.SYSTEM_ADMIN, catalogue.institution)
    return staff


def draw_plan(
    person: Person,
    catalogue: Catalogue,
    rng: random.Random,
    today: datetime.date,
    *,
    in_programme: bool = False,
) -> StudentPlan:
    """One to three courses at one university, or a programme with its structure."""
    if in_programme:
        code, programme = next(iter(catalogue.programmes.items()))
        return StudentPlan(
            person,
            programme=programme,
            courses=[(i, draw_state(i, today, rng)) for i in catalogue.structures[code]],
        )
    chosen = rng.sample(catalogue.open_to_all, rng.randint(1, 3))
    return StudentPlan(person, courses=[(i, draw_state(i, today, rng)) for i in chosen])


def named_numbers() -> set[str]:
    return {named_number(key)[1] for key in NAMED_NUMBERS}


def draw_other_students(
    catalogues: dict[str, Catalogue], today: datetime.date, rng: random.Random
) -> list[StudentPlan]:
    drawer = NumberDrawer(rng, named_numbers())
    ordered = list(catalogues.values())
    plans = []
    for n in range(OTHER_STUDENTS):
        if n % 10 == 9:
            person = draw_international_student(rng, 2 + n // 10)
        else:
            person = draw_student(rng, drawer, str(n))
        person.save()
        catalogue = ordered[n % len(ordered)]
        plans.append(draw_plan(person, catalogue, rng, today, in_programme=n % 5 == 0))
    return plans
