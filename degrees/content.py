"""The frozen content of an issued degree (S-DEG-2): holder, degree, main field, date of decision
and the courses and results it rests on, in both languages, as plain JSON. The student's page,
the staff page and the digital degree certificate (S-DEG-6, with its diploma supplement) are all
rendered from it; it never changes after the decision. Internal case notes are never part of it.
"""

import datetime
from decimal import Decimal

from degrees.audit import Audit
from degrees.models import DegreeCase, DegreeKind
from institutions.models import Institution
from people.identity import display as display_identity
from people.models import Person


def _credits(value: Decimal) -> str:
    return f"{value:.1f}"


def build(
    *,
    case: DegreeCase,
    kind: DegreeKind,
    person: Person,
    institution: Institution,
    audit: Audit,
    decision_date: datetime.date,
) -> dict:
    field = kind.main_field
    return {
        "schema": 1,
        "case_number": case.number,
        "title": {"sv": kind.name_sv, "en": kind.name_en},
        "category": kind.category,
        "description_en": kind.description_en,
        "institution": {"sv": institution.name_sv, "en": institution.name_en},
        "holder": {
            "name": f"{person.first_name} {person.last_name}",
            "identity_number": (
                display_identity(person.identity_number) if person.identity_number else ""
            ),
            "birth_date": person.birth_date.isoformat(),
        },
        "main_field": {"sv": field.name_sv, "en": field.name_en} if field else None,
        "decision_date": decision_date.isoformat(),
        "credits": _credits(audit.total_credits),
        "courses": [
            {
                "course_id": c.course_id,
                "code": c.code,
                "name_sv": c.name_sv,
                "name_en": c.name_en,
                "credits": _credits(c.credits),
                "level": c.level,
                "main_field_sv": c.main_field_sv,
                "main_field_en": c.main_field_en,
                "independent_project": c.independent_project,
                "grade_code": c.grade_code,
                "grade_sv": c.grade_sv,
                "grade_en": c.grade_en,
                "date": c.date.isoformat(),
                "credited": c.credited,
            }
            for c in audit.courses
        ],
    }
