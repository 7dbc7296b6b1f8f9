"""S-EXAM-4, T-ANON-1, T-ADM-3: the sign-up rules, codes and staff actions, in the services."""

import datetime
import threading

import pytest
from django.db import connection
from django_scopes import scopes_disabled

from exams import services
from exams.codes import ALPHABET
from exams.models import CodeListing, Signup
from exams.services import SignupError
from ladokportal import clock
from ladokportal.errors import NotAllowed
from registration.models import ParticipationState
from tests.conftest import enrol
from tests.factories import PersonFactory, StaffRoleFactory, UserFactory
from tests.factories.exams import ActivitySessionFactory

pytestmark = pytest.mark.django_db
TODAY = clock.today


@pytest.fixture
def registered(institution):
    """A student registered on a course instance, and a session examining it."""
    person = PersonFactory()
    participation = enrol(person, institution, state=ParticipationState.REGISTERED)
    session = ActivitySessionFactory(
        institution=institution, course_instances=[participation.course_instance]
    )
    return UserFactory(person=person), session


def test_sign_up_within_the_period(registered):
    user, session = registered
    signup = services.sign_up(user, session=session)
    assert (signup.person_id, signup.anonymisation_code) == (user.person_id, None)


def test_signing_up_twice_is_refused(registered):
    user, session = registered
    services.sign_up(user, session=session)
    with pytest.raises(SignupError, match="You are signed up"):
        services.sign_up(user, session=session)
    assert Signup.objects.count() == 1


@pytest.mark.parametrize(
    ("opens", "closes", "message"),
    [(3, 10, "Sign-up opens"), (-10, -1, "Sign-up closed")],
)
def test_sign_up_outside_the_period_is_refused(registered, opens, closes, message):
    user, session = registered
    session.signup_opens = TODAY() + datetime.timedelta(days=opens)
    session.signup_closes = TODAY() + datetime.timedelta(days=closes)
    session.save()
    with pytest.raises(SignupError, match=message):
        services.sign_up(user, session=session)
    assert Signup.objects.count() == 0


def test_session_without_sign_up_period_is_for_staff_to_fill(registered):
    user, session = registered
    session.signup_opens = session.signup_closes = None
    session.save()
    with pytest.raises(SignupError, match="do not sign up for this session themselves"):
        services.sign_up(user, session=session)


@pytest.mark.parametrize("state", [ParticipationState.ADMITTED, ParticipationState.WITHDRAWN])
def test_student_not_registered_on_the_course_is_refused(institution, state):
    person = PersonFactory()
    participation = enrol(person, institution, state=state)
    session = ActivitySessionFactory(
        institution=institution, course_instances=[participation.course_instance]
    )
    with pytest.raises(SignupError, match="registered on its course"):
        services.sign_up(UserFactory(person=person), session=session)


def test_full_session_refuses_with_the_number_of_places(registered, institution):
    user, session = registered
    session.capacity = 1
    session.save()
    other = PersonFactory()
    enrol(other, institution, state=ParticipationState.REGISTERED)
    Signup.objects.create(institution=institution, session=session, person=other)
    with pytest.raises(SignupError, match="all 1 places are taken"):
        services.sign_up(user, session=session)


def test_anonymous_session_gives_unique_readable_codes(institution):
    session = ActivitySessionFactory(institution=institution, anonymous=True, label="TEN1")
    codes = set()
    for _ in range(30):
        person = PersonFactory()
        participation = enrol(person, institution, state=ParticipationState.REGISTERED)
        session.course_instances.add(participation.course_instance)
        codes.add(services.sign_up(UserFactory(person=person), session=session).anonymisation_code)
    assert len(codes) == 30
    for code in codes:
        prefix, body = code.split("-")
        assert prefix == "TEN1"
        assert len(body) == 6
        assert set(body) <= set(ALPHABET)


def test_code_does_not_depend_on_the_student(institution):
    person = PersonFactory()
    participation = enrol(person, institution, state=ParticipationState.REGISTERED)
    user = UserFactory(person=person)
    first = ActivitySessionFactory(
        institution=institution, anonymous=True, course_instances=[participation.course_instance]
    )
    second = ActivitySessionFactory(
        institution=institution,
        anonymous=True,
        label=first.label,
        course_instances=[participation.course_instance],
    )
    one = services.sign_up(user, session=first).anonymisation_code
    two = services.sign_up(user, session=second).anonymisation_code
    assert one != two


def test_cancel_within_the_period_where_allowed(registered):
    user, session = registered
    signup = services.sign_up(user, session=session)
    services.cancel_sign_up(user, signup=signup)
    signup.refresh_from_db()
    assert signup.cancelled_at is not None
    # And signing up again is possible.
    assert services.sign_up(user, session=session).is_active


def test_cancel_refused_when_the_university_switches_it_off(registered, institution):
    user, session = registered
    signup = services.sign_up(user, session=session)
    institution.settings.allow_exam_cancel = False
    institution.settings.save()
    with pytest.raises(SignupError, match="study administration"):
        services.cancel_sign_up(user, signup=signup)
    signup.refresh_from_db()
    assert signup.cancelled_at is None


def test_cancel_refused_when_the_session_does_not_allow_it(registered):
    user, session = registered
    signup = services.sign_up(user, session=session)
    session.students_may_cancel = False
    session.save()
    with pytest.raises(SignupError):
        services.cancel_sign_up(user, signup=signup)


def test_someone_elses_signup_cannot_be_cancelled(registered):
    user, session = registered
    signup = services.sign_up(user, session=session)
    with pytest.raises(NotAllowed):
        services.cancel_sign_up(UserFactory(person=PersonFactory()), signup=signup)


@pytest.fixture
def study_admin(institution):
    user = UserFactory()
    StaffRoleFactory(user=user, institution=institution, role="study_admin")
    return user


def test_study_admin_adds_a_participant_outside_the_period(registered, study_admin):
    user, session = registered
    session.signup_opens = session.signup_closes = None
    session.save()
    signup = services.add_participant(study_admin, session=session, person=user.person)
    assert (signup.added_by, signup.is_active) == (study_admin, True)


def test_teacher_cannot_add_participants(registered, institution):
    user, session = registered
    teacher = UserFactory()
    StaffRoleFactory(user=teacher, institution=institution, role="reporter")
    with pytest.raises(NotAllowed):
        services.add_participant(teacher, session=session, person=user.person)
    assert Signup.objects.count() == 0


def test_study_admin_of_another_university_cannot_add(registered, other_institution):
    user, session = registered
    outsider = UserFactory()
    StaffRoleFactory(user=outsider, institution=other_institution, role="study_admin")
    with pytest.raises(NotAllowed):
        services.add_participant(outsider, session=session, person=user.person)


def test_listing_codes_needs_a_reason_and_is_logged(institution, registered, study_admin):
    user, session = registered
    session.anonymous = True
    session.save()
    services.sign_up(user, session=session)
    with pytest.raises(SignupError, match="reason"):
        services.list_codes(study_admin, session=session, reason="  ")
    assert CodeListing.objects.count() == 0
    listed = services.list_codes(
        study_admin, session=session, reason="Suspected mix-up of two exam papers"
    )
    assert [s.person_id for s in listed] == [user.person_id]
    log = CodeListing.objects.get()
    assert (log.actor, log.reason) == (study_admin, "Suspected mix-up of two exam papers")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_students_taking_the_last_place_at_once_get_one_place(institution):
    students = []
    for _ in range(2):
        person = PersonFactory()
        participation = enrol(person, institution, state=ParticipationState.REGISTERED)
        students.append((UserFactory(person=person), participation.course_instance))
    session = ActivitySessionFactory(
        institution=institution, capacity=1, course_instances=[i for _, i in students]
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt(user):
        try:
            with scopes_disabled():
                barrier.wait()
                services.sign_up(user, session=session)
                outcomes.append("place")
        except SignupError as error:
            outcomes.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(user,)) for user, _ in students]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["The session is full: all 1 places are taken.", "place"]
    assert Signup.objects.filter(session=session, cancelled_at__isnull=True).count() == 1
