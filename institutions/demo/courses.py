"""What each demo university offers: courses with their modules, and programmes.

A course's credits are the sum of its modules'. Between them the modules use every national
grading scale. The first four courses of each university get the instances the demo depends on
in the current term (catalogue.CURRENT_TERM_ROLES): one under way with registration closed, one
open for registration now, one opening later, and one spanning two terms.
"""

from dataclasses import dataclass
from decimal import Decimal

from catalog.grading import SCALE_AF, SCALE_U345, SCALE_UG, SCALE_UGVG


@dataclass(frozen=True)
class ModuleData:
    code: str
    name_sv: str
    name_en: str
    credits: Decimal
    scale: str


@dataclass(frozen=True)
class CourseData:
    code: str
    name_sv: str
    name_en: str
    level: str  # catalog.models.EducationLevel
    scale: str
    org_unit: str
    modules: tuple[ModuleData, ...]

    @property
    def credits(self) -> Decimal:
        return sum((m.credits for m in self.modules), Decimal(0))


def module(code: str, name_sv: str, name_en: str, credits: str, scale: str) -> ModuleData:
    return ModuleData(code, name_sv, name_en, Decimal(credits), scale)


EXAM = ("Skriftlig tentamen", "Written examination")
ASSIGNMENTS = ("Inlämningsuppgifter", "Assignments")
LABS = ("Laborationer", "Laboratory work")
PROJECT = ("Projekt", "Project")

COURSES = {
    "lu": (
        CourseData(
            "MATA21",
            "Analys i en variabel",
            "Analysis in One Variable",
            "first",
            SCALE_UGVG,
            "MATM",
            (
                module("0101", *EXAM, "6.0", SCALE_UGVG),
                module("0102", *ASSIGNMENTS, "1.5", SCALE_UG),
            ),
        ),
        CourseData(
            "FYSC01",
            "Kvantmekanik",
            "Quantum Mechanics",
            "first",
            SCALE_UGVG,
            "FYS",
            (module("0101", *EXAM, "4.5", SCALE_UGVG), module("0102", *LABS, "3.0", SCALE_UG)),
        ),
        CourseData(
            "FYSA11",
            "Mekanik och relativitetsteori",
            "Mechanics and Relativity",
            "first",
            SCALE_U345,
            "FYS",
            (module("0101", *EXAM, "4.5", SCALE_U345), module("0102", *LABS, "3.0", SCALE_UG)),
        ),
        CourseData(
            "MATM11",
            "Matematisk modellering",
            "Mathematical Modelling",
            "second",
            SCALE_AF,
            "MATM",
            (
                module("0101", "Modelleringsprojekt 1", "Modelling project 1", "7.5", SCALE_AF),
                module("0102", "Modelleringsprojekt 2", "Modelling project 2", "7.5", SCALE_AF),
            ),
        ),
        CourseData(
            "MATA22",
            "Lineär algebra",
            "Linear Algebra",
            "first",
            SCALE_UGVG,
            "MATM",
            (
                module("0101", *EXAM, "4.5", SCALE_UGVG),
                module("0102", "Datorlaborationer", "Computer exercises", "3.0", SCALE_UG),
            ),
        ),
        CourseData(
            "MATA23",
            "Algebraiska strukturer",
            "Algebraic Structures",
            "first",
            SCALE_UGVG,
            "MATM",
            (module("0101", *EXAM, "7.5", SCALE_UGVG),),
        ),
        CourseData(
            "MATF01",
            "Avancerad sannolikhetsteori",
            "Advanced Probability Theory",
            "doctoral",
            SCALE_UG,
            "MATM",
            (module("0101", "Muntlig examination", "Oral examination", "7.5", SCALE_UG),),
        ),
    ),
    "uu": (
        CourseData(
            "1DL201",
            "Programkonstruktion och datastrukturer",
            "Program Design and Data Structures",
            "first",
            SCALE_U345,
            "IT",
            (
                module("0101", *ASSIGNMENTS, "3.0", SCALE_UG),
                module("0102", *EXAM, "4.5", SCALE_U345),
            ),
        ),
        CourseData(
            "1MA013",
            "Linjär algebra och geometri I",
            "Linear Algebra and Geometry I",
            "first",
            SCALE_UGVG,
            "MATH",
            (module("0101", *EXAM, "5.0", SCALE_UGVG),),
        ),
        CourseData(
            "1DT301",
            "Datakommunikation I",
            "Computer Networks I",
            "first",
            SCALE_U345,
            "IT",
            (module("0101", *LABS, "3.0", SCALE_UG), module("0102", *EXAM, "4.5", SCALE_U345)),
        ),
        CourseData(
            "1MA025",
            "Flervariabelanalys",
            "Several Variable Calculus",
            "first",
            SCALE_UGVG,
            "MATH",
            (
                module("0101", *EXAM, "8.0", SCALE_UGVG),
                module("0102", *ASSIGNMENTS, "2.0", SCALE_UG),
            ),
        ),
        CourseData(
            "1DL301",
            "Databasteknik I",
            "Database Design I",
            "first",
            SCALE_U345,
            "IT",
            (module("0101", *PROJECT, "3.0", SCALE_UG), module("0102", *EXAM, "4.5", SCALE_U345)),
        ),
        CourseData(
            "1MS005",
            "Sannolikhetsteori och statistik",
            "Probability and Statistics",
            "first",
            SCALE_UGVG,
            "MATH",
            (
                module("0101", *EXAM, "5.0", SCALE_UGVG),
                module("0102", *ASSIGNMENTS, "2.5", SCALE_UG),
            ),
        ),
    ),
    "kth": (
        CourseData(
            "SF1625",
            "Envariabelanalys",
            "Calculus in One Variable",
            "first",
            SCALE_AF,
            "MATH",
            (
                module("TEN1", "Tentamen", "Examination", "6.0", SCALE_AF),
                module("SEM1", "Seminarier", "Seminars", "1.5", SCALE_UG),
            ),
        ),
        CourseData(
            "DD1331",
            "Grundläggande programmering",
            "Fundamentals of Programming",
            "first",
            SCALE_AF,
            "TCS",
            (
                module("LAB1", *LABS, "3.0", SCALE_UG),
                module("TEN1", "Tentamen", "Examination", "4.5", SCALE_AF),
            ),
        ),
        CourseData(
            "SF1624",
            "Algebra och geometri",
            "Algebra and Geometry",
            "first",
            SCALE_AF,
            "MATH",
            (
                module("TEN1", "Tentamen", "Examination", "6.0", SCALE_AF),
                module("KON1", "Kontrollskrivning", "Partial examination", "1.5", SCALE_UG),
            ),
        ),
        CourseData(
            "DD2350",
            "Algoritmer, datastrukturer och komplexitet",
            "Algorithms, Data Structures and Complexity",
            "second",
            SCALE_AF,
            "TCS",
            (
                module("LAB1", *LABS, "3.0", SCALE_UG),
                module("TEN1", "Tentamen", "Examination", "6.0", SCALE_AF),
            ),
        ),
        CourseData(
            "DD2434",
            "Maskininlärning, avancerad kurs",
            "Machine Learning, Advanced Course",
            "second",
            SCALE_AF,
            "TCS",
            (
                module("PRO1", *PROJECT, "4.5", SCALE_AF),
                module("TEN1", "Tentamen", "Examination", "3.0", SCALE_AF),
            ),
        ),
    ),
}


@dataclass(frozen=True)
class ProgrammeData:
    code: str
    name_sv: str
    name_en: str
    kind: str  # catalog.models.ProgrammeKind
    credits: Decimal
    first_term: str  # a Calendar attribute: "before_last", "last", "current", "next"
    terms: int
    # (term number within the programme, course code, Calendar attribute of its instance)
    structure: tuple[tuple[int, str, str], ...]
    parent: str | None = None


PROGRAMMES = {
    "lu": (
        ProgrammeData(
            "NGMAT",
            "Kandidatprogram i matematik",
            "Bachelor's Programme in Mathematics",
            "programme",
            Decimal(180),
            "before_last",
            6,
            (
                (1, "MATA21", "before_last"),
                (1, "MATA22", "before_last"),
                (2, "MATA23", "last"),
                (2, "FYSA11", "last"),
                (3, "FYSC01", "current"),
                (3, "FYSA11", "current"),
                (3, "MATM11", "current"),
            ),
        ),
        ProgrammeData(
            "NGMAT-BM",
            "Inriktning beräkningsmatematik",
            "Specialisation in Computational Mathematics",
            "specialisation",
            Decimal(60),
            "next",
            2,
            ((4, "MATM11", "next"), (4, "MATA23", "next")),
            parent="NGMAT",
        ),
        ProgrammeData(
            "NAMATE",
            "Matematik, forskarnivå",
            "Mathematics, Doctoral Studies",
            "doctoral",
            Decimal(240),
            "last",
            8,
            ((2, "MATF01", "current"),),
        ),
    ),
    "uu": (
        ProgrammeData(
            "TKDAT",
            "Kandidatprogram i datavetenskap",
            "Bachelor's Programme in Computer Science",
            "programme",
            Decimal(180),
            "last",
            6,
            (
                (1, "1DL201", "last"),
                (1, "1MA013", "last"),
                (2, "1DT301", "current"),
                (2, "1DL301", "current"),
            ),
        ),
    ),
    "kth": (
        ProgrammeData(
            "CDATE",
            "Civilingenjörsutbildning i datateknik",
            "Degree Programme in Computer Science and Engineering",
            "programme",
            Decimal(300),
            "last",
            10,
            (
                (1, "SF1625", "last"),
                (1, "DD1331", "last"),
                (2, "SF1624", "current"),
                (2, "DD2350", "current"),
            ),
        ),
    ),
}
