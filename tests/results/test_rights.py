"""Who may do what with results, at the services (T-ROLE-1, T-REP-3, T-CERT-1, T-REM-1).

Reporting rights (report, change, mark ready, un-mark, correct, discard, prepare or withdraw a
removal) belong to reporters, examiners and study administrators; certifying rights (certify,
remove, certify a prepared removal) to the course's examiners only. A right covers the whole
university, one org unit's courses or one course. Everybody else is refused with NotAllowed and
nothing changes: no state, version, history row or notification. The pages are tested elsewhere;
a URL typed by hand reaches these same services.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from notifications.models import Notification
from people.models import StaffRoleKind as K
from results import workflow
from results.errors import NotAllowed, ResultError
from results.models import Result, ResultAction, ResultEvent, ResultState
from results.rules import Rights, acts_on, certifiable_instances, reportable_instances
from results.services import certifying, removal, reporting
from results.validation import Entry
from tests.factories import (
    CourseInstanceFactory,
    OrgUnitFactory,
    StaffRoleFactory,
    UserFactory,
)
from tests.factories.results import grade, reporting_world
from tests.results.deep_helpers import days_ago, picture, result_in

pytestmark = pytest.mark.django_db

S = ResultState
REPORT, CERTIFY = "report", "certify"

# Each actor and the rights it should have on the world's course: (reporting, certifying).
ACTORS = {
    "reporter of the course": (True, False),
    "reporter of its org unit": (True, False),
    "reporter of the university": (True, False),
    "examiner of the course": (True, True),
    "examiner of its org unit": (True, True),
    "examiner of the university": (True, True),
    "study administrator": (True, False),
    "system administrator only": (False, False),
    "examiner of another course": (False, False),
    "examiner of another org unit": (False, False),
    "examiner at another university": (False, False),
    # An inconsistent row (another university's role naming this course) must not count.
    "other university's role on this course": (False, False),
    "user without roles": (False, False),
    "the student themself": (False, False),
    "nobody logged in": (False, False),
}


@pytest.fixture
def world(institution):
    unit = OrgUnitFactory(institution=institution, code="FYS")
    return reporting_world(institution, students=1, modules=1, org_unit=unit)


def make_actor(name, world, institution, other_institution):
    course = world.instance.course

    def staff(role, inst=institution, **scope):
        user = UserFactory()
        StaffRoleFactory(user=user, institution=inst, role=role, **scope)
        return user

    return {
        "reporter of the course": lambda: world.reporter,
        "reporter of its org unit": lambda: staff(K.REPORTER, org_unit=course.org_unit),
        "reporter of the university": lambda: staff(K.REPORTER),
        "examiner of the course": lambda: world.examiner,
        "examiner of its org unit": lambda: staff(K.CERTIFIER, org_unit=course.org_unit),
        "examiner of the university": lambda: staff(K.CERTIFIER),
        "study administrator": lambda: world.study_admin,
        "system administrator only": lambda: staff(K.SYSTEM_ADMIN),
        "examiner of another course": lambda: world.outsider,
        "examiner of another org unit": lambda: staff(
            K.CERTIFIER, org_unit=OrgUnitFactory(institution=institution, code="KEM")
        ),
        "examiner at another university": lambda: staff(K.CERTIFIER, inst=other_institution),
        "other university's role on this course": lambda: staff(
            K.CERTIFIER, inst=other_institution, course=course
        ),
        "user without roles": UserFactory,
        "the student themself": lambda: UserFactory(person=world.students[0]),
        "nobody logged in": AnonymousUser,
    }[name]()


def _edit(actor, world, result, code="U"):
    reporting.save_drafts(
        actor,
        course_instance=world.instance,
        module=world.module,
        entries=[
            Entry(
                person=result.person,
                grade=grade(code),
                examination_date=result.examination_date,
                result=result,
                version=result.version,
            )
        ],
    )


def _report(actor, world, _result):
    reporting.save_drafts(
        actor,
        course_instance=world.instance,
        module=world.module,
        entries=[Entry(person=world.students[0], grade=grade("G"), examination_date=days_ago(1))],
    )


def _correct(actor, world, result):
    reporting.correct(
        actor,
        result=result,
        entry=Entry(
            person=result.person,
            grade=grade("U"),
            examination_date=result.examination_date,
            version=result.version,
        ),
    )


# act: (state the result is brought to first, right needed, the call, state afterwards)
ACTS = {
    "report": (None, REPORT, _report, S.DRAFT),
    "change a draft": (S.DRAFT, REPORT, _edit, S.DRAFT),
    "change a ready result": (S.READY, REPORT, _edit, S.READY),
    "mark ready": (
        S.DRAFT,
        REPORT,
        lambda a, w, r: reporting.mark_ready(
            a, results=[r], graded_by=w.reporter, notify=w.examiner
        ),
        S.READY,
    ),
    "un-mark": (S.READY, REPORT, lambda a, _w, r: reporting.unmark(a, results=[r]), S.DRAFT),
    "correct before certifying": (S.READY, REPORT, _correct, S.READY),
    "discard a draft": (
        S.DRAFT,
        REPORT,
        lambda a, _w, r: reporting.discard_draft(a, result=r),
        S.REMOVED,
    ),
    "certify": (
        S.READY,
        CERTIFY,
        lambda a, _w, r: certifying.certify(a, results=[r]),
        S.CERTIFIED,
    ),
    "prepare a removal": (
        S.CERTIFIED,
        REPORT,
        lambda a, _w, r: removal.prepare_removal(a, result=r, reason="Dnr 2026/9"),
        S.REMOVAL_PREPARED,
    ),
    "withdraw a prepared removal": (
        S.REMOVAL_PREPARED,
        REPORT,
        lambda a, _w, r: removal.withdraw_removal(a, result=r),
        S.CERTIFIED,
    ),
    "remove a ready result": (
        S.READY,
        CERTIFY,
        lambda a, _w, r: removal.remove(a, result=r, reason="Wrong student"),
        S.REMOVED,
    ),
    "remove a certified result": (
        S.CERTIFIED,
        CERTIFY,
        lambda a, _w, r: removal.remove(a, result=r, reason="Beslut 2026-12"),
        S.REMOVED,
    ),
    "certify a prepared removal": (
        S.REMOVAL_PREPARED,
        CERTIFY,
        lambda a, _w, r: removal.remove(a, result=r),
        S.REMOVED,
    ),
}


def _counts():
    return picture(), Notification.objects.count()


@pytest.mark.parametrize("act", list(ACTS))
@pytest.mark.parametrize("who", list(ACTORS))
def test_rights_matrix(world, institution, other_institution, who, act):
    state, right, call, after = ACTS[act]
    reports, certifies = ACTORS[who]
    allowed = reports if right == REPORT else certifies
    actor = make_actor(who, world, institution, other_institution)
    result = result_in(world, state) if state else None
    before = _counts()

    if not allowed:
        with pytest.raises(NotAllowed):
            call(actor, world, result)
        assert _counts() == before
        return

    call(actor, world, result)
    moved = Result.objects.get(pk=result.pk) if result else Result.objects.get()
    assert moved.state == after
    assert moved.version == (result.version + 1 if result else 1)
    last = ResultEvent.objects.filter(result=moved).latest("pk")
    assert last.actor_id == actor.pk


# The workflow move each act of ACTS makes on an existing result.
MOVES = {
    "change a draft": ResultAction.EDITED,
    "change a ready result": ResultAction.EDITED,
    "mark ready": ResultAction.MARKED_READY,
    "un-mark": ResultAction.UNMARKED,
    "correct before certifying": ResultAction.EDITED,
    "discard a draft": ResultAction.DISCARDED,
    "certify": ResultAction.CERTIFIED,
    "prepare a removal": ResultAction.REMOVAL_PREPARED,
    "withdraw a prepared removal": ResultAction.REMOVAL_WITHDRAWN,
    "remove a ready result": ResultAction.REMOVED,
    "remove a certified result": ResultAction.REMOVED,
    "certify a prepared removal": ResultAction.REMOVED,
}


@pytest.mark.parametrize("act", list(MOVES))
@pytest.mark.parametrize(
    "who", ["reporter of the course", "examiner of the course", "system administrator only"]
)
def test_what_a_page_offers_is_what_the_service_accepts(
    world, institution, other_institution, who, act
):
    """results.rules.acts_on offers an act exactly when its service accepts it from this person
    in this state (the matrix above), and never one the workflow has no move for."""
    state, right, _call, _after = ACTS[act]
    reports, certifies = ACTORS[who]
    actor = make_actor(who, world, institution, other_institution)
    result = result_in(world, state)
    offered = acts_on(Rights.load(actor, institution.pk), result)
    assert (MOVES[act] in offered) == (reports if right == REPORT else certifies)
    assert all(workflow.allows(state, move) for move in offered)


@pytest.mark.parametrize("who", list(ACTORS))
def test_rights_and_the_lists_agree(world, institution, other_institution, who):
    """What a service allows is what the lists built in SQL offer (T-ROLE-1: a URL typed by hand
    gets nothing more than the menu offers, and the menu nothing the service refuses)."""
    reports, certifies = ACTORS[who]
    actor = make_actor(who, world, institution, other_institution)
    rights = Rights.load(actor, institution.pk)
    course = world.instance.course
    assert (rights.may_report(course), rights.may_certify(course)) == (reports, certifies)
    reportable = set(reportable_instances(actor, institution.pk))
    certifiable = set(certifiable_instances(actor, institution.pk))
    assert (world.instance in reportable, world.instance in certifiable) == (
        reports,
        certifies,
    )


@pytest.mark.parametrize("role", [K.REPORTER, K.CERTIFIER])
def test_an_org_unit_role_covers_its_own_courses_only(institution, role):
    """StaffRole.org_unit: the courses given by that org unit, not those of another unit and not
    a course without an org unit."""
    mine, theirs = OrgUnitFactory(institution=institution), OrgUnitFactory(institution=institution)
    covered = reporting_world(institution, students=1, modules=1, org_unit=mine)
    elsewhere = reporting_world(institution, students=1, modules=1, org_unit=theirs)
    nowhere = reporting_world(institution, students=1, modules=1)
    assert nowhere.instance.course.org_unit_id is None
    user = UserFactory()
    StaffRoleFactory(user=user, institution=institution, role=role, org_unit=mine)

    rights = Rights.load(user, institution.pk)
    for w, expected in ((covered, True), (elsewhere, False), (nowhere, False)):
        assert rights.may_report(w.instance.course) is expected
        assert rights.may_certify(w.instance.course) is (expected and role == K.CERTIFIER)
    in_list = reportable_instances(user, institution.pk).filter(
        pk__in=[w.instance.pk for w in (covered, elsewhere, nowhere)]
    )
    assert list(in_list) == [covered.instance]

    for w in (elsewhere, nowhere):
        ready = result_in(w, S.READY)
        before = picture()
        with pytest.raises(NotAllowed):
            _report(user, w, None)
        with pytest.raises(NotAllowed):
            reporting.unmark(user, results=[ready])
        with pytest.raises(NotAllowed):
            certifying.certify(user, results=[ready])
        assert picture() == before
    _report(user, covered, None)
    assert Result.objects.filter(course_instance=covered.instance, reported_by=user).exists()


def test_a_university_wide_role_covers_a_course_without_org_unit(institution):
    world = reporting_world(institution, students=1, modules=1)
    examiner = UserFactory()
    StaffRoleFactory(user=examiner, institution=institution, role=K.CERTIFIER)
    ready = result_in(world, S.READY)
    [certified] = certifying.certify(examiner, results=[ready])
    assert certified.state == S.CERTIFIED


def test_a_course_role_does_not_cover_another_instance_of_another_course(institution):
    world = reporting_world(institution, students=1, modules=1)
    other = CourseInstanceFactory(course__institution=institution)
    rights = Rights.load(world.examiner, institution.pk)
    assert rights.may_certify(world.instance.course)
    assert not rights.may_report(other.course)


def test_certifying_a_batch_needs_the_right_on_every_result(institution):
    """A batch mixing a course the examiner holds with one they do not is refused whole."""
    first = reporting_world(institution, students=1, modules=1)
    second = reporting_world(institution, students=1, modules=1)
    examiner = first.examiner
    mine, theirs = result_in(first, S.READY), result_in(second, S.READY)
    before = picture()
    with pytest.raises(NotAllowed):
        certifying.certify(examiner, results=[mine, theirs])
    assert picture() == before


# --- Whom a result is marked ready for (T-REP-3) --------------------------------------------


@pytest.mark.parametrize(
    ("graded_by", "notify", "allowed"),
    [
        ("reporter", "examiner", True),
        ("examiner", None, True),
        ("study_admin", "examiner", True),
        ("outsider", "examiner", False),  # the grading teacher must report on this course
        ("student", "examiner", False),
        ("reporter", "reporter", False),  # the one notified must be the course's examiner
        ("reporter", "outsider", False),
        ("reporter", "study_admin", False),
    ],
)
def test_grading_teacher_and_notified_examiner_need_their_rights(world, graded_by, notify, allowed):
    people = {
        "reporter": world.reporter,
        "examiner": world.examiner,
        "study_admin": world.study_admin,
        "outsider": world.outsider,
        "student": UserFactory(person=world.students[0]),
        None: None,
    }
    draft = result_in(world, S.DRAFT)
    before = _counts()
    mark = lambda: reporting.mark_ready(  # noqa: E731
        world.reporter, results=[draft], graded_by=people[graded_by], notify=people[notify]
    )
    if not allowed:
        with pytest.raises(ResultError):
            mark()
        assert _counts() == before
        return
    [ready] = mark()
    assert (ready.graded_by, ready.notify) == (people[graded_by], people[notify])
    assert Notification.objects.count() == before[1] + (1 if notify else 0)
