"""Start page "New results" (S-HOME-1, G-4): one message per result certified since the student
last saw the page, with course, module, grade and a link to the course page; shown once, then
gone; only certified results; switched per university."""

import pytest
from django.urls import reverse
from django.utils import translation

from institutions.models import InstitutionSettings
from results.models import Result
from results.services import removal
from tests.factories.results import register, reporting_world
from tests.studentweb.results_world import certify, login_for, ready, report

pytestmark = pytest.mark.django_db

HEADING = '<h2 id="new-results" class="card__title">New results</h2>'


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(institution):
    return reporting_world(institution, students=2)


def section(text: str) -> str:
    if HEADING not in text:
        return ""
    return text.split(HEADING, 1)[1].split("</section>", 1)[0]


def test_a_newly_certified_result_is_shown_once_then_gone(world, client_for):
    me = world.students[0]
    result = certify(world, {me: "G"}, module=world.module)[0]
    participation = me.course_participations.get(course_instance=world.instance)
    client = client_for(login_for(me))

    first = section(client.get("/start/").text)
    second = client.get("/start/").text

    course = world.instance.course
    assert f"{course.name} ({course.code})" in first
    assert f"{world.module.code} {world.module.name}" in first
    assert "Grade: <strong>Pass (G)</strong>" in first
    assert f'href="{reverse("course_page", args=[participation.public_id])}"' in first
    assert HEADING not in second
    assert Result.objects.get(pk=result.pk).seen_by_student_at is not None


def test_each_new_result_is_one_message_and_a_course_grade_says_final_grade(world, client_for):
    me = world.students[0]
    for module in world.modules:
        certify(world, {me: "G"}, module=module)
    certify(world, {me: "G"}, module=None)

    response = client_for(login_for(me)).get("/start/")

    assert [r.module_id for r in response.context["new_results"]] == [
        *(m.pk for m in world.modules),
        None,
    ]
    assert section(response.text).count('<li class="open-list__item">') == 3
    assert "Final grade for the course" in section(response.text)


def test_results_not_certified_are_never_announced(world, client_for):
    me, m1, m2 = world.students[0], *world.modules
    report(world, {me: "G"}, module=m1)
    ready(world, {me: "G"}, module=m2)
    removed = certify(world, {world.students[1]: "G"}, module=m1)[0]
    removal.remove(world.examiner, result=removed, reason="Wrong student")

    text = client_for(login_for(me)).get("/start/").text

    assert HEADING not in text


def test_a_result_removed_before_the_student_looked_is_not_announced(world, client_for):
    me = world.students[0]
    result = certify(world, {me: "G"}, module=world.module)[0]
    removal.remove(world.examiner, result=result, reason="Reported by mistake")

    text = client_for(login_for(me)).get("/start/").text

    assert HEADING not in text


def test_another_students_new_result_is_neither_shown_nor_marked_seen(world, client_for):
    me, other = world.students
    theirs = certify(world, {other: "G"}, module=world.module)[0]

    text = client_for(login_for(me)).get("/start/").text

    assert HEADING not in text
    assert Result.objects.get(pk=theirs.pk).seen_by_student_at is None


def test_a_new_result_at_another_university_waits_for_that_university(
    world, other_institution, client_for
):
    me = world.students[0]
    elsewhere = reporting_world(other_institution, students=0)
    register(me, elsewhere.instance)
    theirs = certify(elsewhere, {me: "G"}, module=elsewhere.module)[0]

    text = client_for(login_for(me)).get("/start/").text

    assert HEADING not in text
    assert Result.objects.get(pk=theirs.pk).seen_by_student_at is None


def test_switched_off_the_section_is_absent_and_nothing_is_marked_seen(
    world, institution, client_for
):
    me = world.students[0]
    result = certify(world, {me: "G"}, module=world.module)[0]
    InstitutionSettings.objects.filter(institution=institution).update(show_new_results=False)

    text = client_for(login_for(me)).get("/start/").text

    assert HEADING not in text
    assert Result.objects.get(pk=result.pk).seen_by_student_at is None


def test_in_swedish_the_grade_is_named_in_swedish(world, client_for):
    me = world.students[0]
    certify(world, {me: "G"}, module=world.module)
    client = client_for(login_for(me))
    client.post("/language/", {"language": "sv", "next": "/start/"})

    text = client.get("/start/").text

    assert 'id="new-results"' in text
    assert "<strong>Godkänd (G)</strong>" in text


@pytest.mark.parametrize("count", [1, 3])
def test_query_count_does_not_grow_with_new_results(
    count, institution, client_for, django_assert_num_queries
):
    world = reporting_world(institution, students=1, modules=count)
    me = world.students[0]
    for module in world.modules:
        certify(world, {me: "G"}, module=module)
    InstitutionSettings.objects.filter(institution=institution).update(
        show_study_choices=False,
        show_applications=False,
        show_registrations=False,
        show_exam_signup=False,
        show_upcoming_exams=False,
        show_current_courses=False,
    )
    client = client_for(login_for(me))

    # Session, user, person, universities, local text; the new results (with course, module,
    # grade and the participation to link to), and the one UPDATE marking them seen.
    with django_assert_num_queries(7):
        response = client.get("/start/")

    assert len(response.context["new_results"]) == count
