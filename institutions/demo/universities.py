"""Three universities with their organisation and function switches (G-4).

The switches differ on purpose, so that the demo shows a function on at one university and off at
another: Lund lets students change course instance, KTH does not allow withdrawal.
"""

from dataclasses import dataclass, field

from institutions.models import Institution, InstitutionSettings, OrgUnit


@dataclass(frozen=True)
class University:
    code: str
    short_name: str
    name_sv: str
    name_en: str
    town: str
    website: str
    # (code, name_sv, name_en); the first is the faculty, the rest its departments.
    org_units: tuple[tuple[str, str, str], ...]
    switches: dict[str, object] = field(default_factory=dict)

    @property
    def contact_email(self) -> str:
        return f"studentservice.{self.code}@example.com"


UNIVERSITIES = (
    University(
        code="lu",
        short_name="LU",
        name_sv="Lunds universitet",
        name_en="Lund University",
        town="Lund",
        website="https://www.lu.se",
        org_units=(
            ("N", "Naturvetenskapliga fakulteten", "Faculty of Science"),
            ("MATM", "Matematikcentrum", "Centre for Mathematical Sciences"),
            ("FYS", "Fysiska institutionen", "Department of Physics"),
        ),
        switches={
            "allow_change_instance": True,
            "allow_partial_reregistration": True,
            "emrex": True,
        },
    ),
    University(
        code="uu",
        short_name="UU",
        name_sv="Uppsala universitet",
        name_en="Uppsala University",
        town="Uppsala",
        website="https://www.uu.se",
        org_units=(
            (
                "TEKNAT",
                "Teknisk-naturvetenskapliga fakulteten",
                "Faculty of Science and Technology",
            ),
            (
                "IT",
                "Institutionen för informationsteknologi",
                "Department of Information Technology",
            ),
            ("MATH", "Matematiska institutionen", "Department of Mathematics"),
        ),
        switches={
            "allow_remove_choice": False,
            "digital_degree": False,
            "invoice_download": False,
        },
    ),
    University(
        code="kth",
        short_name="KTH",
        name_sv="KTH Kungliga Tekniska högskolan",
        name_en="KTH Royal Institute of Technology",
        town="Stockholm",
        website="https://www.kth.se",
        org_units=(
            (
                "EECS",
                "Skolan för elektroteknik och datavetenskap",
                "School of Electrical Engineering and Computer Science",
            ),
            (
                "TCS",
                "Avdelningen för teoretisk datalogi",
                "Division of Theoretical Computer Science",
            ),
            ("MATH", "Institutionen för matematik", "Department of Mathematics"),
        ),
        switches={
            "allow_withdrawal": False,
            "allow_exam_cancel": False,
            "early_dropout_weeks": 4,
            "certificate_validity_days": 180,
            "emrex": True,
        },
    ),
)


def create_university(data: University) -> tuple[Institution, list[OrgUnit]]:
    institution = Institution.objects.create(
        code=data.code,
        short_name=data.short_name,
        name_sv=data.name_sv,
        name_en=data.name_en,
        contact_email=data.contact_email,
        website=data.website,
    )
    InstitutionSettings.objects.create(institution=institution, **data.switches)
    return institution, _create_org_units(institution, data)


def _create_org_units(institution: Institution, data: University) -> list[OrgUnit]:
    (faculty_code, faculty_sv, faculty_en), *departments = data.org_units
    faculty = OrgUnit.objects.create(
        institution=institution, code=faculty_code, name_sv=faculty_sv, name_en=faculty_en
    )
    units = [faculty]
    for code, name_sv, name_en in departments:
        units.append(
            OrgUnit.objects.create(
                institution=institution,
                code=code,
                name_sv=name_sv,
                name_en=name_en,
                parent=faculty,
            )
        )
    return units
