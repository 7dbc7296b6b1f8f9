"""The student's certified results at one university as an ELMO 1.7 document (S-EMREX-1): the
learner, the university as issuer, each completed course with its credits (ECTS: one Swedish
credit is one ECTS credit), its grade and the grading scheme, optionally the transcript PDF
attached, signed with the university's key. Only results a student page may show are read
(results.queries.student.visible); internal notes of any kind are never part of it."""

import base64
from decimal import Decimal

from django.utils import timezone

from catalog.models import GradingScale
from certificates import seal
from emrex.elmo import element as E
from emrex.elmo import sign
from institutions.models import Institution
from people.models import Person
from results.queries.student import COUNTING_ORDER, visible


def _learner(person: Person):
    return E(
        "learner",
        E("givenNames", text=person.first_name),
        E("familyName", text=person.last_name),
        E("bday", text=person.birth_date.isoformat()),
    )


def _issuer(institution: Institution):
    return E(
        "issuer",
        E("country", text="SE"),
        E("identifier", text=institution.code, type="local"),
        E("title", text=institution.name_sv, lang="sv"),
        E("title", text=institution.name_en or institution.name_sv, lang="en"),
        E("url", text=institution.website or "https://www.ladok.se"),
    )


def _grading_scheme(scale: GradingScale):
    grades = ", ".join(f"{g.code} = {g.name_en or g.name_sv}" for g in scale.grades.all())
    return E(
        "gradingScheme",
        E("description", text=f"{scale.name_en or scale.name_sv}: {grades}", lang="en"),
        localId=scale.code,
    )


def _course(result):
    course = result.course_instance.course
    return E(
        "learningOpportunitySpecification",
        E("identifier", text=course.code, type="local"),
        E("title", text=course.name_sv, lang="sv"),
        E("title", text=course.name_en or course.name_sv, lang="en"),
        E("type", text="Course"),
        E(
            "specifies",
            E(
                "learningOpportunityInstance",
                E("date", text=result.examination_date.isoformat()),
                E("status", text="passed"),
                E("gradingSchemeLocalId", text=course.grading_scale.code),
                E("resultLabel", text=result.grade.code),
                E(
                    "credit",
                    E("scheme", text="ECTS"),
                    E("value", text=str(Decimal(course.credits).normalize())),
                ),
            ),
        ),
    )


def document(person: Person, institution: Institution, transcript_pdf: bytes | None) -> bytes:
    finals = list(
        visible(person)
        .filter(institution=institution, module__isnull=True, grade__passing=True)
        .select_related("grade", "course_instance__course__grading_scale")
        .order_by(*COUNTING_ORDER)
    )
    latest = {r.course_instance.course_id: r for r in finals}  # the counting course grade
    scales = GradingScale.objects.filter(
        pk__in={r.course_instance.course.grading_scale_id for r in latest.values()}
    ).prefetch_related("grades")
    now = timezone.now().isoformat(timespec="seconds")
    attachment = None
    if transcript_pdf is not None:
        attachment = E(
            "attachment",
            E("title", text="Transcript of records", lang="en"),
            E("type", text="Transcript of Records"),
            E(
                "content",
                text="data:application/pdf;base64," + base64.b64encode(transcript_pdf).decode(),
            ),
        )
    report = E(
        "report",
        _issuer(institution),
        *(_course(r) for r in latest.values()),
        E("issueDate", text=now),
        *(_grading_scheme(s) for s in scales),
        attachment,
    )
    root = E("elmo", E("generatedDate", text=now), _learner(person), report)
    folder = seal.seal_folder(institution.code)
    seal.signer_for(institution.code, institution.name)  # makes the demo key when allowed
    key = (folder / seal.KEY_FILE).read_bytes()
    cert = (folder / seal.CERT_FILE).read_bytes()
    return sign(root, key, cert, algorithm="ecdsa-sha256")
