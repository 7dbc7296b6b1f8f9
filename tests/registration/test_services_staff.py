"""Study administration of participations (T-ADM-3, issue #3 item 7): admit, register on the
student's behalf (also outside the window), record a leave of absence. Only study
administrators of the course's university or org unit; every change in the history."""

import datetime

import pytest

from ladokportal.errors import NotAllowed
from people.models import StaffRoleKind
from registration import services
from registration.models import CourseParticipation, LeaveOfAbsence, ParticipationSource
from registration.services import RegistrationError
from tests.factories import (
    CourseFactory,
    CourseParticipationFactory,
    OrgUnitFactory,
    PersonFactory,
    ProgrammeInstanceFactory,
    ProgrammeParticipationFactory,
    StaffRoleFactory,
    UserFactory,
)
from tests.registration.conftest import S, days, history, period, rows

pytestmark = pytest.mark.django_db


def staff(institution, role=StaffRoleKind.STUDY_ADMIN, **narrowing):
    user = UserFactory()
    StaffRoleFactory(user=user, institution=institution, role=role, **narrowing)
    return user


@pytest.fixture
def department(institution):
    return OrgUnitFactory(institution=institution)


@pytest.fixture
def course_of_department(institution, department):
    return CourseFactory(institution=institution, org_unit=department)


@pytest.fixture
def outsiders(institution, other_institution, department):
    """Staff who must not act on the department's courses at Lund."""
    return {
        "teacher": staff(institution, StaffRoleKind.REPORTER),
        "examiner": staff(institution, StaffRoleKind.CERTIFIER),
        "study admin of another department": staff(
            institution, org_unit=OrgUnitFactory(institution=institution)
        ),
        "study admin of another course": staff(
            institution, course=CourseFactory(institution=institution)
        ),
        "study admin of another university": staff(other_institution),
        "a student": UserFactory(person=PersonFactory()),
    }


@pytest.fixture
def insiders(institution, department, course_of_department):
    return {
        "study admin of the university": staff(institution),
        "study admin of the department": staff(institution, org_unit=department),
        "study admin of the course": staff(institution, course=course_of_department),
    }


# --- admit --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who",
    ["study admin of the university", "study admin of the department", "study admin of the course"],
)
def test_admit_by_the_courses_study_administration(
    student, make_instance, course_of_department, insiders, who
):
    actor = insiders[who]
    instance = make_instance(course=course_of_department)

    participation = services.admit(actor, person=student.person, course_instance=instance)

    participation.refresh_from_db()
    assert (participation.person_id, participation.state, participation.source) == (
        student.person_id,
        S.ADMITTED,
        ParticipationSource.STAFF,
    )
    assert history(participation) == [
        (actor.pk, "", S.ADMITTED, "admitted by study administration")
    ]


@pytest.mark.parametrize(
    "who",
    [
        "teacher",
        "examiner",
        "study admin of another department",
        "study admin of another course",
        "study admin of another university",
        "a student",
    ],
)
def test_admit_by_anyone_else_is_not_permitted(
    student, make_instance, course_of_department, outsiders, who
):
    instance = make_instance(course=course_of_department)
    before = rows()

    with pytest.raises(NotAllowed):
        services.admit(outsiders[who], person=student.person, course_instance=instance)

    assert rows() == before


def test_admit_on_a_course_without_org_unit_by_a_study_admin_of_another_course_is_not_permitted(
    student, make_instance, institution
):
    """A role narrowed to one course has no org unit either: that must not make it cover every
    course that has none."""
    actor = staff(institution, course=CourseFactory(institution=institution))
    instance = make_instance(course=CourseFactory(institution=institution, org_unit=None))
    before = rows()

    with pytest.raises(NotAllowed):
        services.admit(actor, person=student.person, course_instance=instance)

    assert rows() == before


def test_admit_a_student_who_already_has_a_place_is_refused(student, make_instance, study_admin):
    instance = make_instance()
    CourseParticipationFactory(person=student.person, course_instance=instance)
    before = rows()

    with pytest.raises(RegistrationError) as refusal:
        services.admit(study_admin, person=student.person, course_instance=instance)

    assert str(refusal.value) == "The student already has a place on this course instance."
    assert rows() == before


def test_admit_again_after_a_withdrawal_is_the_way_back(student, make_instance, study_admin):
    instance = make_instance()
    CourseParticipationFactory(person=student.person, course_instance=instance, state=S.WITHDRAWN)

    services.admit(study_admin, person=student.person, course_instance=instance)

    assert sorted(
        CourseParticipation.objects.filter(person=student.person).values_list("state", flat=True)
    ) == [S.ADMITTED, S.WITHDRAWN]


def test_admit_within_the_students_programme(student, make_instance, study_admin, institution):
    programme = ProgrammeParticipationFactory(
        person=student.person,
        programme_instance=ProgrammeInstanceFactory(programme__institution=institution),
    )

    participation = services.admit(
        study_admin,
        person=student.person,
        course_instance=make_instance(),
        programme_participation=programme,
    )

    assert participation.programme_participation_id == programme.pk


def test_admit_within_another_persons_programme_is_refused(
    student, other_student, make_instance, study_admin, institution
):
    theirs = ProgrammeParticipationFactory(
        person=other_student.person,
        programme_instance=ProgrammeInstanceFactory(programme__institution=institution),
    )
    before = rows()

    with pytest.raises(RegistrationError) as refusal:
        services.admit(
            study_admin,
            person=student.person,
            course_instance=make_instance(),
            programme_participation=theirs,
        )

    assert str(refusal.value) == "That programme place belongs to another student."
    assert rows() == before


# --- register on the student's behalf -----------------------------------------------------------


@pytest.mark.parametrize("window", [(-10, -1), (5, 10), None], ids=["after", "before", "no-window"])
def test_register_on_behalf_outside_the_window(student, make_instance, study_admin, window):
    instance = make_instance(windows=(window,))
    participation = CourseParticipationFactory(person=student.person, course_instance=instance)

    registration = services.register_on_behalf(
        study_admin, participation=participation, period=period(instance)
    )

    participation.refresh_from_db()
    assert participation.state == S.REGISTERED
    assert (registration.participation_id, registration.registered_by_id) == (
        participation.pk,
        study_admin.pk,
    )
    assert history(participation) == [(study_admin.pk, S.ADMITTED, S.REGISTERED, "study period 1")]


@pytest.mark.parametrize(
    "who",
    ["study admin of the university", "study admin of the department", "study admin of the course"],
)
def test_register_on_behalf_by_the_courses_study_administration(
    student, make_instance, course_of_department, insiders, who
):
    instance = make_instance(course=course_of_department, windows=((-10, -1),))
    participation = CourseParticipationFactory(person=student.person, course_instance=instance)

    services.register_on_behalf(insiders[who], participation=participation, period=period(instance))

    assert participation.registrations.count() == 1


@pytest.mark.parametrize(
    "who",
    [
        "teacher",
        "examiner",
        "study admin of another department",
        "study admin of another course",
        "study admin of another university",
        "a student",
    ],
)
def test_register_on_behalf_by_anyone_else_is_not_permitted(
    student, make_instance, course_of_department, outsiders, who
):
    instance = make_instance(course=course_of_department)
    participation = CourseParticipationFactory(person=student.person, course_instance=instance)
    before = rows()

    with pytest.raises(NotAllowed):
        services.register_on_behalf(
            outsiders[who], participation=participation, period=period(instance)
        )

    participation.refresh_from_db()
    assert participation.state == S.ADMITTED
    assert rows() == before


def test_register_on_behalf_of_a_withdrawn_student_is_refused(student, make_instance, study_admin):
    instance = make_instance()
    participation = CourseParticipationFactory(
        person=student.person, course_instance=instance, state=S.WITHDRAWN
    )
    before = rows()

    with pytest.raises(RegistrationError):
        services.register_on_behalf(
            study_admin, participation=participation, period=period(instance)
        )

    assert rows() == before


# --- leave of absence ---------------------------------------------------------------------------


@pytest.fixture
def programme(student, institution):
    return ProgrammeParticipationFactory(
        person=student.person,
        programme_instance=ProgrammeInstanceFactory(programme__institution=institution),
        state=S.REGISTERED,
    )


def test_record_leave_is_kept_with_who_recorded_it(programme, study_admin, today):
    start, end = today + days(10), today + days(100)

    leave = services.record_leave(
        study_admin, participation=programme, start=start, end=end, guaranteed_return=True
    )

    leave.refresh_from_db()
    assert (leave.start_date, leave.end_date, leave.with_guaranteed_return) == (start, end, True)
    assert leave.recorded_by_id == study_admin.pk
    assert history(programme) == [
        (
            study_admin.pk,
            S.REGISTERED,
            S.REGISTERED,
            f"leave of absence {start.isoformat()} – {end.isoformat()}",
        )
    ]


@pytest.mark.parametrize(
    ("start", "end"),
    [(20, 30), (0, 10), (40, 50), (0, 60)],
    ids=["inside", "ends-on-first-day", "starts-on-last-day", "around"],
)
def test_record_leave_overlapping_another_is_refused(programme, study_admin, today, start, end):
    services.record_leave(
        study_admin,
        participation=programme,
        start=today + days(10),
        end=today + days(40),
        guaranteed_return=True,
    )
    before = rows()

    with pytest.raises(RegistrationError) as refusal:
        services.record_leave(
            study_admin,
            participation=programme,
            start=today + days(start),
            end=today + days(end),
            guaranteed_return=False,
        )

    assert str(refusal.value) == "The leave overlaps a leave already recorded."
    assert rows() == before


def test_record_leave_right_after_another(programme, study_admin, today):
    services.record_leave(
        study_admin,
        participation=programme,
        start=today,
        end=today + days(9),
        guaranteed_return=True,
    )

    services.record_leave(
        study_admin,
        participation=programme,
        start=today + days(10),
        end=today + days(20),
        guaranteed_return=True,
    )

    assert LeaveOfAbsence.objects.filter(programme_participation=programme).count() == 2


def test_record_leave_ending_before_it_starts_is_refused(programme, study_admin, today):
    before = rows()

    with pytest.raises(RegistrationError) as refusal:
        services.record_leave(
            study_admin,
            participation=programme,
            start=today + days(10),
            end=today + days(9),
            guaranteed_return=True,
        )

    assert str(refusal.value) == "The leave must end on or after the day it starts."
    assert rows() == before


def test_record_leave_for_a_student_no_longer_on_the_programme_is_refused(
    programme, study_admin, today
):
    programme.state = S.WITHDRAWN
    programme.save()
    before = rows()

    with pytest.raises(RegistrationError) as refusal:
        services.record_leave(
            study_admin, participation=programme, start=today, end=today, guaranteed_return=True
        )

    assert str(refusal.value) == "The student is no longer on this programme."
    assert rows() == before


@pytest.mark.parametrize("who", ["teacher", "examiner", "study admin of another university"])
def test_record_leave_by_anyone_else_is_not_permitted(programme, outsiders, today, who):
    before = rows()

    with pytest.raises(NotAllowed):
        services.record_leave(
            outsiders[who], participation=programme, start=today, end=today, guaranteed_return=True
        )

    assert rows() == before


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (
            datetime.date(1, 1, 1),
            datetime.date(9999, 12, 31),
            "The leave must begin while the programme runs, between 2026-08-31 and 2029-06-07.",
        ),
        (
            datetime.date(2030, 1, 1),
            datetime.date(2030, 2, 1),
            "The leave must begin while the programme runs, between 2026-08-31 and 2029-06-07.",
        ),
        (
            datetime.date(2027, 1, 1),
            datetime.date(2029, 6, 1),
            "A leave of absence lasts at most two years.",
        ),
    ],
    ids=["0001 to 9999", "after the programme", "three years"],
)
def test_a_leave_must_fit_the_programme(programme, study_admin, start, end, message):
    """#17 point 4: dates within sane ranges for their meaning."""
    with pytest.raises(RegistrationError) as refusal:
        services.record_leave(
            study_admin, participation=programme, start=start, end=end, guaranteed_return=True
        )
    assert str(refusal.value) == message
    assert not LeaveOfAbsence.objects.exists()
