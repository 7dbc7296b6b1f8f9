"""The demo's degrees (S-DEG-1..6, S-AUTH-2): what Lund awards, with requirements as data, and
cases in every state, made as students and case officers make them (degrees.services).

- `degreeofficer` handles Lund's degree cases; cases wait for her: `student`'s application for
  the Bachelor's degree, which he is reviewing, and `alumnus`'s, just submitted, whose audit
  says what is missing.
- `student` (Stina) also has a refused application for the course certificate, with the reason
  and the appeal instruction she sees.
- `alumnus` (Johan) holds an issued digital course certificate in Foundations of Mathematics,
  rendered and sealed here as the worker would, with an active share whose code the seed prints
  (give it with his identity number on /shared/) and a revoked one.
"""

import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from catalog.models import Course
from certificates import pipeline
from certificates.models import Certificate
from degrees import services, sharing
from degrees.inputs import completed_courses
from degrees.models import (
    CourseClassification,
    DegreeCategory,
    DegreeKind,
    DegreeRequirement,
    Delivery,
    MainField,
    RequirementKind,
)
from institutions.demo.certificates import Issued
from institutions.demo.persons import create_login, grant
from institutions.models import Institution
from notifications.models import Notification
from people.identity import display
from people.models import StaffRoleKind, User

MATHEMATICS = ("MA", "Matematik", "Mathematics")
PHYSICS = ("FY", "Fysik", "Physics")
# Course code → (main field code, independent project).
CLASSIFIED = {
    "MATA21": "MA",
    "MATA22": "MA",
    "MATA23": "MA",
    "MATM11": "MA",
    "FYSA11": "FY",
    "FYSC01": "FY",
}


@dataclass(frozen=True)
class DemoShare:
    owner: str
    code: str
    identity_number: str

    def line(self) -> str:
        return f"  {self.owner}: share code {self.code} with identity number {self.identity_number}"


def _fields(lu: Institution) -> dict[str, MainField]:
    return {
        code: MainField.objects.create(institution=lu, code=code, name_sv=sv, name_en=en)
        for code, sv, en in (MATHEMATICS, PHYSICS)
    }


def _kinds(lu: Institution, fields: dict[str, MainField]) -> dict[str, DegreeKind]:
    maths = fields["MA"]
    courses = {c.code: c for c in Course.objects.filter(institution=lu)}
    bachelor = DegreeKind.objects.create(
        institution=lu,
        code="FKMAT",
        category=DegreeCategory.GENERAL,
        name_sv="Filosofie kandidatexamen i matematik",
        name_en="Degree of Bachelor of Science in Mathematics",
        main_field=maths,
        description_en=(
            "A first-cycle general degree of 180 credits, with at least 90 credits in the main "
            "field and an independent project of at least 15 credits."
        ),
    )
    certificate = DegreeKind.objects.create(
        institution=lu,
        code="KBMAT",
        category=DegreeCategory.COMPLETED_EDUCATION,
        name_sv="Kursbevis: Grundläggande matematik",
        name_en="Certificate of completed education: Foundations of Mathematics",
        main_field=maths,
        description_en="Completed first-cycle courses in mathematics of at least 22.5 credits.",
    )
    master = DegreeKind.objects.create(
        institution=lu,
        code="FMMAT",
        category=DegreeCategory.GENERAL,
        name_sv="Filosofie masterexamen i matematik",
        name_en="Degree of Master of Science (120 credits) in Mathematics",
        main_field=maths,
        description_en="A second-cycle general degree of 120 credits.",
    )
    rows = [
        (bachelor, RequirementKind.TOTAL_CREDITS, {"credits": "180"}),
        (bachelor, RequirementKind.MAIN_FIELD_CREDITS, {"credits": "90", "main_field": maths}),
        (
            bachelor,
            RequirementKind.INDEPENDENT_PROJECT,
            {"credits": "15", "main_field": maths, "level": "first"},
        ),
        (bachelor, RequirementKind.REQUIRED_COURSE, {"course": courses["MATA21"]}),
        (
            certificate,
            RequirementKind.MAIN_FIELD_CREDITS,
            {"credits": "22.5", "main_field": maths, "level": "first"},
        ),
        (certificate, RequirementKind.REQUIRED_COURSE, {"course": courses["MATA21"]}),
        (master, RequirementKind.EARLIER_DEGREE, {"earlier_degree": bachelor}),
        (master, RequirementKind.TOTAL_CREDITS, {"credits": "120", "level": "second"}),
        (
            master,
            RequirementKind.MAIN_FIELD_CREDITS,
            {"credits": "60", "main_field": maths, "level": "second"},
        ),
    ]
    for position, (kind, requirement, fields_) in enumerate(rows):
        if "credits" in fields_:
            fields_["credits"] = Decimal(fields_["credits"])
        DegreeRequirement.objects.create(
            institution=lu, degree_kind=kind, kind=requirement, position=position, **fields_
        )
    for code, field in CLASSIFIED.items():
        if code in courses:
            CourseClassification.objects.create(
                institution=lu, course=courses[code], main_field=fields[field]
            )
    return {"FKMAT": bachelor, "KBMAT": certificate, "FMMAT": master}


def _key(name: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"ladokportal-demo-degree-{name}")


def _apply(user: User, lu: Institution, kind: DegreeKind, name: str):
    ids = [c.course_id for c in completed_courses(user.person, lu)]
    if not ids:
        return None
    return services.submit(
        user,
        person=user.person,
        institution=lu,
        kind=kind,
        course_ids=ids,
        delivery=Delivery.DIGITAL,
        request_key=_key(name),
    )


def create_demo_degrees(
    lu: Institution, today: datetime.date
) -> tuple[list[DemoShare], list[Issued]]:
    """After the results are certified (the audit reads them) and the seals exist."""
    officer = create_login("degreeofficer", "Karin", "Lund")
    grant(officer, StaffRoleKind.DEGREE_OFFICER, lu)
    kinds = _kinds(lu, _fields(lu))
    users = {u.username: u for u in User.objects.filter(username__in=["student", "alumnus"])}
    student, alumnus = users["student"], users["alumnus"]

    reviewing = _apply(student, lu, kinds["FKMAT"], "student-bachelor")
    if reviewing is not None:
        services.take(officer, reviewing)
        services.add_note(officer, reviewing, "Ask the department whether a thesis is planned.")
    refused = _apply(student, lu, kinds["KBMAT"], "student-certificate")
    if refused is not None:
        services.refuse(
            officer,
            refused,
            reason=(
                "Foundations of Mathematics needs 22.5 credits of completed first-cycle "
                "mathematics; you have fewer. Apply again when you have completed more."
            ),
        )

    shares, documents = [], []
    issued_case = _apply(alumnus, lu, kinds["KBMAT"], "alumnus-certificate")
    if issued_case is not None:
        services.take(officer, issued_case)
        degree = services.issue(officer, issued_case)
        if degree.document_id is not None:
            pipeline.produce(degree.document_id)
            document = Certificate.objects.get(pk=degree.document_id)
            documents.append(
                Issued("alumnus", document.content["title"], "sv", document.display_code)
            )
        active = sharing.create_share(alumnus, degree)
        sharing.revoke_share(alumnus, sharing.create_share(alumnus, degree))
        number = display(alumnus.person.identity_number)
        shares.append(DemoShare("alumnus", active.display_code, number))
    _apply(alumnus, lu, kinds["FKMAT"], "alumnus-bachelor")
    # As for the certificates: the "certificate ready" e-mail is recorded as sent.
    Notification.objects.filter(sent_at__isnull=True).update(sent_at=timezone.now())
    return shares, documents
