"""The course page's results (S-EDU-3, S-CRED-3): each module with its counting certified grade,
the examiner, examination date and the annotations shown to students one click away, the final
grade once the course grade is certified, credited modules marked; nothing uncertified."""

import pytest
from django.urls import reverse
from django.utils import translation

from results.models import AnnotationColumn, AnnotationKind, ResultSource
from results.services import certifying, removal
from tests.factories.results import reporting_world
from tests.studentweb.results_world import certify, login_for, ready, report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(institution):
    return reporting_world(institution, students=2)


def page(client_for, world, person=None):
    person = person or world.students[0]
    participation = person.course_participations.get(course_instance=world.instance)
    return client_for(login_for(person)).get(reverse("course_page", args=[participation.public_id]))


def module_block(text: str, code: str) -> str:
    """The course page's list item of one module, up to the next module or the section's end."""
    for part in text.split('<li class="course-item" id="module-')[1:]:
        if part.startswith(f'{code}"'):
            return part.split("</section>")[0]
    raise AssertionError(f"module {code} is not on the page")


def test_a_certified_module_grade_shows_with_examiner_and_date_in_details(world, client_for):
    me = world.students[0]
    result = certify(world, {me: "G"}, module=world.module, days_ago=4)[0]

    block = module_block(page(client_for, world).text, world.module.code)

    assert "Grade: <strong>Pass (G)</strong>" in block
    assert "<summary>About the result" in block
    assert f"<dt>Examiner</dt><dd>{world.examiner.display_name}</dd>" in block
    assert f"<dt>Examination date</dt><dd>{result.examination_date.isoformat()}</dd>" in block


def test_a_module_without_certified_result_says_so(world, client_for):
    ready(world, {world.students[0]: "G"}, module=world.module)

    block = module_block(page(client_for, world).text, world.module.code)

    assert "No certified result yet." in block
    assert "Pass (G)" not in block


def test_annotations_shown_to_students_appear_and_internal_ones_do_not(world, client_for):
    me = world.students[0]
    course = world.instance.course
    AnnotationColumn.objects.create(
        institution=course.institution,
        course=course,
        module=world.module,
        kind=AnnotationKind.TITLE,
    )
    AnnotationColumn.objects.create(
        institution=course.institution,
        course=course,
        module=world.module,
        kind=AnnotationKind.TEXT,
        shown_to_student=False,
    )
    certify(
        world,
        {me: "G"},
        module=world.module,
        annotations={"title": "Waves on Lake Vättern", "text": "Checked twice by the examiner"},
    )

    block = module_block(page(client_for, world).text, world.module.code)

    assert "<dt>Title of the thesis</dt><dd>Waves on Lake Vättern</dd>" in block
    assert "Checked twice" not in block


def test_after_a_retake_the_pass_counts_and_the_fail_is_listed_as_earlier(world, client_for):
    me = world.students[0]
    certify(world, {me: "U"}, module=world.module, days_ago=20)
    certify(world, {me: "G"}, module=world.module, days_ago=3)

    response = page(client_for, world)
    block = module_block(response.text, world.module.code)

    row = response.context["results"].modules[0]
    assert (row.counting.result.grade.code, [e.result.grade.code for e in row.earlier]) == (
        "G",
        ["U"],
    )
    assert "Grade: <strong>Pass (G)</strong>" in block
    assert "<dt>Earlier results</dt>" in block


def test_the_final_grade_shows_once_the_course_grade_is_certified(world, client_for):
    me = world.students[0]
    for module in world.modules:
        certify(world, {me: "G"}, module=module)
    ready(world, {me: "G"}, module=None)

    before = page(client_for, world).text
    certifying.certify(world.examiner, results=list(me.results.filter(module=None)))
    after = page(client_for, world).text

    assert 'id="final-grade"' not in before
    assert "<strong>Final grade: Pass (G)</strong>" in after


def test_credited_modules_are_marked_credited(world, client_for):
    me, m1, m2 = world.students[0], *world.modules
    certify(world, {me: "G"}, module=m1, source=ResultSource.CREDIT)
    certify(world, {me: "G"}, module=m2)

    text = page(client_for, world).text

    assert '<span class="badge">Credited</span>' in module_block(text, m1.code)
    assert "Credited" not in module_block(text, m2.code)


def test_a_removed_result_leaves_the_page(world, client_for):
    me = world.students[0]
    result = certify(world, {me: "G"}, module=world.module)[0]
    removal.remove(world.examiner, result=result, reason="Reported on the wrong student")

    block = module_block(page(client_for, world).text, world.module.code)

    assert "No certified result yet." in block


def test_a_result_prepared_for_removal_still_shows(world, client_for):
    """Prepared for removal is still the valid decision until the examiner removes it."""
    me = world.students[0]
    result = certify(world, {me: "G"}, module=world.module)[0]
    removal.prepare_removal(world.reporter, result=result, reason="Case 2026/3")

    block = module_block(page(client_for, world).text, world.module.code)

    assert "Grade: <strong>Pass (G)</strong>" in block


def test_another_students_results_are_not_on_my_page(world, client_for):
    me, other = world.students
    certify(world, {other: "G"}, module=world.module)

    block = module_block(page(client_for, world, me).text, world.module.code)

    assert "No certified result yet." in block


def test_the_course_page_in_swedish_names_the_grade_in_swedish(world, client_for):
    me = world.students[0]
    certify(world, {me: "G"}, module=world.module)
    participation = me.course_participations.get(course_instance=world.instance)
    client = client_for(login_for(me))
    client.post("/language/", {"language": "sv", "next": "/start/"})

    text = client.get(reverse("course_page", args=[participation.public_id])).text

    assert "<strong>Godkänd (G)</strong>" in text


@pytest.mark.parametrize("modules", [1, 3])
def test_query_count_does_not_grow_with_modules_and_results(
    modules, institution, client_for, django_assert_num_queries
):
    world = reporting_world(institution, students=1, modules=modules)
    me = world.students[0]
    course = world.instance.course
    for module in world.modules:
        AnnotationColumn.objects.create(
            institution=institution, course=course, module=module, kind=AnnotationKind.TITLE
        )
        certify(world, {me: "U"}, module=module, days_ago=9, annotations={"title": "First"})
        certify(world, {me: "G"}, module=module, days_ago=2, annotations={"title": "Second"})
    certify(world, {me: "G"}, module=None)
    participation = me.course_participations.get(course_instance=world.instance)
    client = client_for(login_for(me))

    # The course page's own queries (tests/studentweb/test_education_course.py): ten.
    with django_assert_num_queries(10):
        response = client.get(reverse("course_page", args=[participation.public_id]))

    assert response.text.count("<dt>Title of the thesis</dt><dd>Second</dd>") == modules
    assert response.context["results"].final is not None


def test_report_helper_leaves_drafts_invisible(world, client_for):
    """A draft (reported, not marked ready) never shows either."""
    report(world, {world.students[0]: "G"}, module=world.module)

    block = module_block(page(client_for, world).text, world.module.code)

    assert "No certified result yet." in block
