"""Reporting by file, the domain side (T-REP-5, T-REP-2, B-6): reading xlsx and CSV, mapping
English and Swedish headings, every row error, whole-file refusals, the rows carried to the save,
and the downloadable template reading back."""

import datetime
import io

import pytest
from django.utils import timezone, translation

from exams.models import Signup
from ladokportal import clock
from people import identity
from registration.models import ParticipationState
from results import fileimport, filetemplate
from results.fileimport import UnreadableFile, build_preview, read_table
from results.models import AnnotationColumn, AnnotationKind, Result, ResultEvent, ResultSource
from results.services import reporting
from tests.factories import CourseParticipationFactory, PersonFactory
from tests.factories.exams import ActivitySessionFactory, SignupFactory
from tests.factories.results import ResultFactory, register, reporting_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are compared word for word."""
    with translation.override("en"):
        yield


def day(n: int) -> datetime.date:
    return clock.today() + datetime.timedelta(days=n)


def xlsx(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list[str]], sep: str = ";", bom: bool = False) -> bytes:
    text = "\r\n".join(sep.join(row) for row in rows) + "\r\n"
    return text.encode("utf-8-sig" if bom else "utf-8")


def number(person) -> str:
    return identity.display(person.identity_number)


@pytest.fixture
def world(institution):
    return reporting_world(institution, students=3)


def preview_of(world, content, name="grades.csv", module=None, session=None):
    return build_preview(
        world.instance, module or world.module, name=name, content=content, session=session
    )


def errors_by_line(preview) -> dict[int, list[str]]:
    return {row.line: row.errors for row in preview.rows if row.errors}


# ------------------------------------------------------------------------------------------------
# Reading


def test_xlsx_with_swedish_headings_dates_and_points(world):
    AnnotationColumn.objects.create(
        institution=world.instance.institution,
        course=world.instance.course,
        module=world.module,
        kind=AnnotationKind.POINTS,
    )
    a, b, _c = world.students
    preview = preview_of(
        world,
        xlsx(
            [
                ["Personnummer", "Namn", "Betyg", "Examinationsdatum", "Poäng"],
                [number(a), "Anna", "G", datetime.datetime.combine(day(-2), datetime.time()), 23.5],
                [],
                [int(b.identity_number), "Bo", "u", day(-3).isoformat(), 7],
            ]
        ),
        name="Betyg.XLSX",
    )
    assert preview.ok
    assert [(r.line, r.person, r.grade.code, r.date) for r in preview.rows] == [
        (2, a, "G", day(-2)),
        (4, b, "U", day(-3)),
    ]
    assert [r.annotations for r in preview.rows] == [{"points": "23.5"}, {"points": "7"}]
    assert preview.annotation_kinds == ("points",)


def test_ten_digit_numbers_find_the_same_student(world):
    a = world.students[0]
    rows = [["personnummer", "betyg", "datum"], [number(a), "G", day(-1).isoformat()]]
    rows.append([a.identity_number[2:], "G", day(-1).isoformat()])
    preview = preview_of(world, xlsx(rows), name="g.xlsx")
    assert [r.errors for r in preview.rows] == [[], ["This student appears more than once."]]


def test_an_excel_date_without_date_format_is_read_as_its_serial_number(world):
    from openpyxl.utils.datetime import to_excel

    serial = int(to_excel(datetime.datetime.combine(day(-4), datetime.time())))
    content = xlsx([["identity_number", "grade", "date"], [number(world.students[0]), "G", serial]])
    preview = preview_of(world, content, name="g.xlsx")
    assert preview.ok
    assert preview.rows[0].date == day(-4)


@pytest.mark.parametrize(("sep", "bom"), [(";", True), (",", False), (";", False), (",", True)])
def test_csv_with_either_separator_with_or_without_bom(world, sep, bom):
    a, b, _c = world.students
    content = csv_bytes(
        [
            ["IDENTITY_NUMBER", "Name", "Grade", "Date"],
            [number(a), "Anna Andersson", "G", day(-1).isoformat()],
            [number(b), "Bo", "U", day(-1).isoformat()],
        ],
        sep,
        bom,
    )
    preview = preview_of(world, content)
    assert preview.ok
    assert [r.person for r in preview.rows] == [a, b]
    assert preview.new_count == 2


def test_csv_headings_may_be_spelled_with_spaces_and_swedish_words(world):
    content = csv_bytes(
        [
            ["personnummer", "betyg", "Examination date"],
            [number(world.students[0]), "G", "2020-01-01"],
        ]
    )
    # Read without complaint about the headings; the date is refused for the instance.
    assert errors_by_line(preview_of(world, content))[2][0].startswith(
        "The examination date cannot be before the course instance started"
    )


def test_csv_not_in_utf8_is_refused(world):
    content = "personnummer;betyg;datum\r\nÅsa;G;2024-01-01\r\n".encode("latin-1")
    with pytest.raises(UnreadableFile, match="not in UTF-8"):
        read_table("g.csv", content)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("grades.xls", b"\xd0\xcf\x11\xe0 old excel"),
        ("grades.pdf", b"%PDF-1.7"),
        ("grades", b"personnummer;betyg;datum\n"),
        ("grades.xlsx", b"personnummer;betyg;datum\n"),  # a CSV renamed
        ("grades.csv", b"PK\x03\x04rest of a zip"),  # a workbook renamed
    ],
)
def test_other_file_types_are_refused(name, content):
    with pytest.raises(UnreadableFile, match="is not an xlsx or CSV file"):
        read_table(name, content)


def test_a_damaged_workbook_is_refused():
    with pytest.raises(UnreadableFile, match="workbook cannot be read"):
        read_table("g.xlsx", b"PK\x03\x04" + b"\x00" * 100)


def test_too_large_and_too_long_files_are_refused():
    with pytest.raises(UnreadableFile, match="larger than 2 MB"):
        read_table("g.csv", b"a" * (fileimport.MAX_BYTES + 1))
    rows = [["personnummer", "betyg", "datum"]] + [["x", "G", "2024-01-01"]] * 2001
    with pytest.raises(UnreadableFile, match="more than 2000 rows"):
        read_table("g.csv", csv_bytes(rows))
    assert len(read_table("g.csv", csv_bytes(rows[:2001])).rows) == 2000


def test_a_file_without_data_rows_is_refused():
    with pytest.raises(UnreadableFile, match="no rows of results"):
        read_table("g.csv", csv_bytes([["personnummer", "betyg", "datum"], ["", "", ""]]))


@pytest.mark.parametrize(
    ("headings", "message"),
    [
        (
            ["personnummer", "betyg", "datum", "kurs"],
            "The column “kurs” is not one this page reads.",
        ),
        (["personnummer", "datum"], "The file needs a column “betyg (grade)”."),
        (["personnummer", "betyg"], "The file needs a column “examinationsdatum (date)”."),
        (["namn", "betyg", "datum"], "The file needs a column “personnummer” (identity_number)"),
        (["personnummer", "code", "betyg", "datum"], "either by personal identity number or by"),
        (["personnummer", "betyg", "grade", "datum"], "The column “grade” appears twice."),
        (["personnummer", "betyg", "datum", "poäng"], "This module has no annotation column for"),
        (["personnummer", "betyg", "datum", ""], "Column 4 has values but no heading."),
    ],
)
def test_wrong_headings_refuse_the_file(world, headings, message):
    content = csv_bytes([headings, [number(world.students[0]), "G", day(-1).isoformat(), "x"]])
    with pytest.raises(UnreadableFile) as refusal:
        preview_of(world, content)
    assert message in str(refusal.value)


# ------------------------------------------------------------------------------------------------
# Every row's errors


def test_every_row_error_is_shown_with_the_file_row_number(world, institution):
    AnnotationColumn.objects.create(
        institution=institution,
        course=world.instance.course,
        module=world.module,
        kind=AnnotationKind.POINTS,
    )
    a, b, c = world.students
    stranger = PersonFactory()  # no records at this university
    elsewhere = PersonFactory()  # at the university, not on this course
    CourseParticipationFactory(person=elsewhere, course_instance__course__institution=institution)
    ready = PersonFactory()

    register(ready, world.instance)
    ResultFactory(course_instance=world.instance, module=world.module, person=ready)
    reporting.mark_ready(
        world.reporter,
        results=list(Result.objects.filter(person=ready)),
        graded_by=world.reporter,
        notify=world.examiner,
    )
    rows = [
        ["personnummer", "betyg", "datum", "poäng"],
        [number(a), "G", day(-1).isoformat(), "12"],  # 2: fine
        [number(stranger), "G", day(-1).isoformat(), ""],  # 3
        ["19900101-0000", "G", day(-1).isoformat(), ""],  # 4: check digit
        [number(elsewhere), "G", day(-1).isoformat(), ""],  # 5
        [number(b), "VG", day(-1).isoformat(), ""],  # 6: not on U/G
        [number(c), "G", day(2).isoformat(), ""],  # 7
        [number(c), "G", "yesterday", "many"],  # 8: duplicate too
        [number(ready), "G", day(-1).isoformat(), ""],  # 9
        ["", "", "", ""],  # skipped, empty
        [number(b), "", "", "-3"],  # 11: duplicate, no grade, no date, bad points
    ]
    preview = preview_of(world, csv_bytes(rows))
    assert not preview.ok
    assert len(preview.rejected_rows) == 8
    assert errors_by_line(preview) == {
        3: ["No student at this university has this identity number."],
        4: ["The identity number's check digit is wrong. Check that you typed it correctly."],
        5: ["The student is not and has not been registered on this course."],
        6: ["The grade “VG” is not on this module's grading scale."],
        7: ["The examination date cannot be in the future."],
        8: [
            "“yesterday” is not a date: write the examination date as YYYY-MM-DD.",
            "This student appears more than once.",
            "Examination points must be a number from 0 to 9999, not “many”.",
        ],
        9: ["The result is marked as ready; change it on the report page instead."],
        11: [
            "This student appears more than once.",
            "Choose a grade.",
            "Enter the examination date.",
            "Examination points must be a number from 0 to 9999, not “-3”.",
        ],
    }


def test_a_row_with_an_open_draft_updates_it_with_its_version(world):
    draft = ResultFactory(
        course_instance=world.instance, module=world.module, person=world.students[0]
    )
    Result.objects.filter(pk=draft.pk).update(version=4)
    content = csv_bytes(
        [["personnummer", "betyg", "datum"], [number(draft.person), "U", day(-1).isoformat()]]
    )
    preview = preview_of(world, content)
    assert preview.ok
    assert preview.rows[0].result == draft
    assert preview.rows[0].result.version == 4
    assert (preview.new_count, preview.update_count) == (0, 1)
    assert fileimport.pending(preview)["rows"][0][4:] == [draft.pk, 4]


def test_the_course_grade_is_checked_as_a_course_grade(world):
    content = csv_bytes(
        [["personnummer", "betyg", "datum"], [number(world.students[0]), "G", day(-1).isoformat()]]
    )
    preview = build_preview(world.instance, None, name="g.csv", content=content)
    assert errors_by_line(preview) == {
        2: ["The course grade can be reported once every module is passed and certified."]
    }


# ------------------------------------------------------------------------------------------------
# Anonymous exams


@pytest.fixture
def anonymous(world):
    session = ActivitySessionFactory(
        institution=world.instance.institution,
        course_instances=[world.instance],
        anonymous=True,
        label="TEN1",
    )
    for n, person in enumerate(world.students):
        SignupFactory(session=session, person=person, anonymisation_code=f"TEN1-AAA{n}")
    return session


def test_a_file_of_codes_finds_the_students_of_the_sessions_active_signups(world, anonymous):
    Signup.objects.filter(anonymisation_code="TEN1-AAA2").update(cancelled_at=timezone.now())
    content = csv_bytes(
        [
            ["anonymiseringskod", "betyg", "examinationsdatum"],
            ["ten1-aaa0", "G", day(-1).isoformat()],
            ["TEN1-AAA1", "U", day(-1).isoformat()],
            ["TEN1-AAA2", "G", day(-1).isoformat()],  # cancelled
            ["TEN1-ZZZZ", "G", day(-1).isoformat()],
            ["", "G", day(-1).isoformat()],
        ]
    )
    preview = preview_of(world, content, session=anonymous)
    assert preview.by_code
    assert [r.person for r in preview.rows[:2]] == world.students[:2]
    assert errors_by_line(preview) == {
        4: ["No active sign-up to TEN1 has this code."],
        5: ["No active sign-up to TEN1 has this code."],
        6: ["Enter the anonymisation code."],
    }


def test_a_file_of_codes_needs_its_anonymous_session(world, anonymous):
    content = csv_bytes([["code", "grade", "date"], ["TEN1-AAA0", "G", day(-1).isoformat()]])
    with pytest.raises(UnreadableFile, match="needs the anonymous session"):
        preview_of(world, content)
    open_session = ActivitySessionFactory(
        institution=world.instance.institution, course_instances=[world.instance], label="LAB1"
    )
    with pytest.raises(UnreadableFile, match="The session LAB1 is not anonymous"):
        preview_of(world, content, session=open_session)


# ------------------------------------------------------------------------------------------------
# To the save


def test_the_kept_rows_save_as_drafts_from_a_file(world):
    a, b, _c = world.students
    draft = ResultFactory(course_instance=world.instance, module=world.module, person=b)
    content = csv_bytes(
        [
            ["personnummer", "betyg", "datum"],
            [number(a), "G", day(-1).isoformat()],
            [number(b), "U", day(-2).isoformat()],
        ]
    )
    data = fileimport.pending(preview_of(world, content))
    counts = reporting.save_drafts(
        world.reporter,
        course_instance=world.instance,
        module=world.module,
        entries=fileimport.entries_from_pending(data),
        source=ResultSource.FILE,
    )
    assert counts == {"created": 1, "changed": 1, "unchanged": 0}
    draft.refresh_from_db()
    assert (draft.grade.code, draft.examination_date, draft.version) == ("U", day(-2), 2)
    created = Result.objects.get(person=a)
    assert (created.source, created.grade.code) == (ResultSource.FILE, "G")
    assert set(ResultEvent.objects.values_list("source", flat=True)) == {ResultSource.FILE}


# ------------------------------------------------------------------------------------------------
# The template


def test_the_template_lists_registered_students_and_reads_back(world, institution):
    AnnotationColumn.objects.create(
        institution=institution,
        course=world.instance.course,
        module=world.module,
        kind=AnnotationKind.TITLE,
    )
    world.students[0].first_name = "=HYPERLINK(1)"
    world.students[0].save()
    not_registered = PersonFactory()
    CourseParticipationFactory(
        person=not_registered, course_instance=world.instance, state=ParticipationState.ADMITTED
    )
    table = filetemplate.template_table(world.instance, world.module, None, "sv")
    assert table[0] == ["personnummer", "namn", "betyg", "examinationsdatum", "titel"]
    assert sorted(row[0] for row in table[1:]) == sorted(number(s) for s in world.students)
    assert "'=HYPERLINK(1) " + world.students[0].last_name in [row[1] for row in table]
    for row in table[1:]:
        row[2:5] = ["G", day(-1).isoformat(), "On grades"]
    for language in ("sv", "en"):
        content = filetemplate.template_csv(table, language)
        assert content.startswith(b"\xef\xbb\xbf")
        assert content.splitlines()[0].count(b";" if language == "sv" else b",") == 4
        assert preview_of(world, content).ok
    assert preview_of(world, filetemplate.template_xlsx(table, "X"), name="t.xlsx").ok
    english = filetemplate.template_table(world.instance, world.module, None, "en")
    assert english[0] == ["identity_number", "name", "grade", "date", "title"]


def test_the_template_of_an_anonymous_session_holds_codes_only(world, anonymous):
    table = filetemplate.template_table(world.instance, world.module, anonymous, "en")
    assert table == [
        ["code", "grade", "date"],
        ["TEN1-AAA0", "", ""],
        ["TEN1-AAA1", "", ""],
        ["TEN1-AAA2", "", ""],
    ]


# ------------------------------------------------------------------------------------------------
# The template as teachers fill it (#12 point 6)


def test_a_student_without_a_swedish_number_is_read_back_as_the_template_lists_them(world):
    """The template lists 19990308-T001; the import finds the same student by it."""
    import datetime as dt

    person = world.students[0]
    person.identity_number = None
    person.birth_date, person.local_number = dt.date(1999, 3, 8), "T001"
    person.save()
    content = csv_bytes(
        [
            ["personnummer", "betyg", "examinationsdatum"],
            ["19990308-T001", "G", day(-2).isoformat()],
        ]
    )
    preview = preview_of(world, content)
    assert [(row.person, row.errors) for row in preview.rows] == [(person, [])]


def test_blank_rows_of_a_partly_filled_template_are_nothing_to_report(world):
    anna, bo, cecilia = world.students
    content = csv_bytes(
        [
            ["personnummer", "namn", "betyg", "examinationsdatum"],
            [number(anna), "Anna", "G", day(-2).isoformat()],
            [number(bo), "Bo", "", ""],
            [number(cecilia), "Cecilia", "", ""],
        ]
    )
    preview = preview_of(world, content)
    assert [(row.person, row.errors) for row in preview.rows] == [(anna, [])]
    assert preview.ok


def test_a_template_with_every_row_blank_has_nothing_to_save(world):
    content = csv_bytes(
        [["personnummer", "betyg", "examinationsdatum"], [number(world.students[0]), "", ""]]
    )
    with pytest.raises(UnreadableFile, match="no rows of results"):
        preview_of(world, content)
