"""Credit transfer in the demo (S-CRED-1..3): `creditofficer` handles Lund's cases; `student`
has a decided case (one item credited, one refused) and one under review with a PDF attached,
and `student2` a case waiting to be taken. Made through credits.services, so case numbers,
history and the credited result (with its timeline) are what the product makes."""

from django.utils import timezone

from catalog.models import Grade, Module
from credits import services
from credits.models import ItemKind, Outcome
from institutions.demo.catalogue import Catalogue
from institutions.demo.persons import create_login, grant
from people.models import StaffRoleKind, User
from results.models import VISIBLE_TO_STUDENT, Result

# A one-page PDF (the attachment of the case under review).
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


class _Upload:
    """An uploaded file as the service reads it."""

    def __init__(self, name: str, content: bytes) -> None:
        self.name, self.size, self._content = name, len(content), content

    def read(self, limit: int = -1) -> bytes:
        return self._content


def _free_modules(student, lu: Catalogue) -> list[Module]:
    """Modules of Lund's courses the student has no certified result on, two per course."""
    done = set(
        Result.objects.filter(person=student, state__in=VISIBLE_TO_STUDENT).values_list(
            "module_id", flat=True
        )
    )
    free = []
    for code in sorted(lu.courses):
        modules = [m for m in lu.courses[code].modules.order_by("position") if m.pk not in done]
        if len(modules) >= 2:
            free.extend(modules[:2])
    return free


def _item(person, case, module: Module, where: tuple[str, str, str]):
    course_name, university, country = where
    return services.save_item(
        person,
        case=case,
        kind=ItemKind.EDUCATION,
        target_course=module.course,
        target_module=module,
        university=university,
        country=country,
        course_name=course_name,
        credits=module.credits,
        credit_system="ects",
        grade_text="A",
        grading_scale="A-F",
    )


def create_credit_cases(lu: Catalogue) -> User:
    officer = create_login("creditofficer", "Karin", "Lindqvist")
    grant(officer, StaffRoleKind.CREDIT_OFFICER, lu.institution)
    student = User.objects.get(username="student").person
    free = _free_modules(student, lu)
    # Decided: one item credited, one refused.
    case = services.start_draft(student, institution=lu.institution)
    credited = _item(
        student, case, free[0], ("Linear Algebra I", "University of Helsinki", "Finland")
    )
    refused = _item(student, case, free[1], ("Business Statistics", "Aalto University", "Finland"))
    services.submit(student, case=case)
    services.take(officer, case=case)
    passing = Grade.objects.filter(scale=free[0].grading_scale, passing=True).order_by("rank")
    credited = services.decide_item(
        officer, item=credited, outcome=Outcome.CREDITED, grade=passing.first()
    )
    # Decided a while ago: the start page's new results (S-HOME-1) stay those the demo tells of.
    Result.objects.filter(pk=credited.result_id).update(seen_by_student_at=timezone.now())
    services.decide_item(
        officer,
        item=refused,
        outcome=Outcome.REFUSED,
        refusal_reason="The course covers descriptive statistics only; the module requires "
        "inference and regression.",
    )
    services.add_note(officer, case=case, text="Compared with the syllabus of 2023.")
    # Under review, with a PDF attached.
    case = services.start_draft(student, institution=lu.institution)
    _item(student, case, free[2], ("Programming in Python", "TU Delft", "Netherlands"))
    services.add_attachment(student, case=case, upload=_Upload("transcript-delft.pdf", DEMO_PDF))
    services.submit(student, case=case)
    services.take(officer, case=case)
    # Waiting to be taken.
    other = User.objects.get(username="student2").person
    case = services.start_draft(other, institution=lu.institution)
    services.save_item(
        other,
        case=case,
        kind=ItemKind.EXPERIENCE,
        target_course=free[3].course,
        target_module=free[3],
        description="Two years as a software developer, including database design.",
    )
    services.submit(other, case=case)
    return officer


def create_foreign_merits(lu: Catalogue) -> None:
    """Emrex at Lund (G-4) with the project's demo contact point, and `student`'s results from
    it imported through the real flow's service (signature, schema, once per session). Without
    the ELMO schema set (ELMO_SCHEMA_DIR) the import is left out: the student can run it."""
    from django.conf import settings

    from emrex import contact_point as ncp
    from emrex import elmo
    from emrex import services as emrex_services
    from emrex.models import ContactPoint

    lu.institution.settings.emrex = True
    lu.institution.settings.save(update_fields=["emrex"])
    if not settings.EMREX_DEMO_CONTACT_POINT:
        return
    _key, cert = ncp.key_and_certificate()
    point = ContactPoint.objects.create(
        code=ncp.CODE,
        name=ncp.NAME,
        country="FI",
        url=settings.SITE_URL.rstrip("/") + "/emrex-demo-ncp/",
        certificate=cert.decode(),
    )
    if not (settings.ELMO_SCHEMA_DIR / "schema.xsd").is_file():
        return
    student = User.objects.get(username="student").person
    session = emrex_services.start_import(student, institution=lu.institution, contact_point=point)
    emrex_services.receive(
        session_id=session.session_id,
        return_code=emrex_services.NCP_OK,
        document=elmo.encode(ncp.document(student.first_name, student.last_name)),
    )
