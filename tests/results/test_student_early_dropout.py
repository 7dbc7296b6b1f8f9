"""Early dropout needs "no passed result" (S-WD-2, B-1): a student with a passing result a student
may see (certified, not removed) on the course instance drops out late, and the dialog says so
before the service does; failing, undecided and removed results do not count."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from catalog.models import CourseInstance
from ladokportal import clock
from registration import services as registration_services
from registration.models import CourseParticipation
from results.services import removal
from tests.factories import ProgrammeParticipationFactory
from tests.factories.results import reporting_world
from tests.studentweb.results_world import certify, login_for, ready, report

pytestmark = pytest.mark.django_db

EARLY = "This is an early dropout"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(institution):
    """A course that started five days ago: within the three early-dropout weeks, no exam."""
    world = reporting_world(institution, students=1)
    started = clock.today() - datetime.timedelta(days=5)
    CourseInstance.objects.filter(pk=world.instance.pk).update(start_date=started)
    world.instance.refresh_from_db()
    return world


def mine(world) -> CourseParticipation:
    return CourseParticipation.objects.get(person=world.students[0], course_instance=world.instance)


def dialog(client_for, world) -> str:
    me = world.students[0]
    url = reverse("course_drop_out", args=[mine(world).public_id])
    return client_for(login_for(me)).get(url).text


def drop_out(world) -> bool:
    me = world.students[0]
    return registration_services.drop_out(login_for(me), participation=mine(world))


def test_without_results_the_dropout_is_early(world, client_for):
    assert EARLY in dialog(client_for, world)
    assert drop_out(world) is True


def test_a_certified_passed_module_makes_the_dropout_late_on_page_and_in_service(world, client_for):
    certify(world, {world.students[0]: "G"}, module=world.module)

    text = dialog(client_for, world)
    early = drop_out(world)

    assert EARLY not in text
    assert (early, mine(world).early_dropout) == (False, False)


@pytest.mark.parametrize(
    "make",
    [
        lambda world, me: certify(world, {me: "U"}, module=world.module),
        lambda world, me: report(world, {me: "G"}, module=world.module),
        lambda world, me: ready(world, {me: "G"}, module=world.module),
        lambda world, me: removal.remove(
            world.examiner,
            result=certify(world, {me: "G"}, module=world.module)[0],
            reason="Reported on the wrong student",
        ),
    ],
    ids=["failed", "draft", "ready", "removed"],
)
def test_results_that_are_not_a_passed_decision_leave_the_dropout_early(make, world, client_for):
    make(world, world.students[0])

    assert EARLY in dialog(client_for, world)
    assert drop_out(world) is True


def test_a_passed_result_on_another_instance_does_not_count(world, institution, client_for):
    """The rule is per course instance: the instance dropped out of was never started."""
    from tests.factories.results import register

    me = world.students[0]
    earlier = reporting_world(institution, students=0)
    register(me, earlier.instance)
    earlier.students = [me]
    certify(earlier, {me: "G"}, module=earlier.module)

    assert drop_out(world) is True


def test_programme_dropout_lists_the_course_as_late_when_it_has_a_passed_result(
    world, institution, client_for
):
    me = world.students[0]
    programme = ProgrammeParticipationFactory(
        person=me, state="registered", programme_instance__programme__institution=institution
    )
    CourseParticipation.objects.filter(pk=mine(world).pk).update(programme_participation=programme)
    certify(world, {me: "G"}, module=world.module)
    url = reverse("programme_drop_out", args=[programme.public_id])

    response = client_for(login_for(me)).get(url)

    assert [c.early for c in response.context["page"].covered] == [False]
    assert "you drop out of it" in response.text
