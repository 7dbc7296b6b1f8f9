"""T-ADM-3: study administrators create and edit activity sessions; every rule is held by
exams.staff_services whoever calls, and a refused change saves nothing."""

import dataclasses
import datetime

import pytest
from django.utils import timezone, translation

from exams.models import ActivitySession
from exams.staff_services import SessionData, SessionError, create_session, update_session
from ladokportal import clock
from ladokportal.errors import NotAllowed
from people.models import StaffRoleKind, User
from tests.factories import (
    CourseFactory,
    CourseInstanceFactory,
    ModuleFactory,
    OrgUnitFactory,
    StaffRoleFactory,
    UserFactory,
)
from tests.factories.exams import ActivitySessionFactory, SignupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def days(n: int) -> datetime.date:
    return clock.today() + datetime.timedelta(days=n)


def at(n: int, hour: int = 8) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(days(n), datetime.time(hour)))


def study_admin(institution, username: str = "siv", **narrowing) -> User:
    user = UserFactory(username=username)
    StaffRoleFactory(
        user=user, institution=institution, role=StaffRoleKind.STUDY_ADMIN, **narrowing
    )
    return user


@pytest.fixture
def admin(institution) -> User:
    return study_admin(institution)


@pytest.fixture
def instance(institution):
    return CourseInstanceFactory(
        course__institution=institution, start_date=days(-30), end_date=days(60)
    )


def valid(instance, **changes) -> SessionData:
    data = SessionData(
        name_sv="Tentamen",
        name_en="Written exam",
        kind="written",
        label="TEN1",
        starts_at=at(30),
        ends_at=at(30, 13),
        town="Lund",
        place="Sparta A",
        course_instances=[instance],
        signup_opens=days(1),
        signup_closes=days(20),
        capacity=40,
    )
    return dataclasses.replace(data, **changes)


def test_create_session_saves_every_fact(institution, admin, instance):
    module = ModuleFactory(course=instance.course)
    session = create_session(
        admin, institution=institution, data=valid(instance, modules=[module], anonymous=True)
    )
    session.refresh_from_db()
    assert (
        session.institution_id,
        session.label,
        session.name_en,
        session.starts_at,
        session.ends_at,
        list(session.course_instances.all()),
        list(session.modules.all()),
        session.signup_closes,
        session.capacity,
        session.anonymous,
    ) == (
        institution.pk,
        "TEN1",
        "Written exam",
        at(30),
        at(30, 13),
        [instance],
        [module],
        days(20),
        40,
        True,
    )


INVALID = {
    "ends before it starts": ({"ends_at": at(30, 7)}, "ends_at", "end after it starts"),
    "ends when it starts": ({"ends_at": at(30)}, "ends_at", "end after it starts"),
    "sign-up opens without closing": (
        {"signup_closes": None},
        "signup_closes",
        "Give both the first and the last day of sign-up",
    ),
    "sign-up closes before it opens": (
        {"signup_opens": days(10), "signup_closes": days(5)},
        "signup_closes",
        "close on or after the day it opens",
    ),
    "sign-up closes on the session's day": (
        {"signup_closes": days(30)},
        "signup_closes",
        "close before the day the session starts",
    ),
    "no places": ({"capacity": 0}, "capacity", "at least 1"),
    "no course instance": ({"course_instances": []}, "course_instances", "at least one"),
    "no name": ({"name_sv": "", "name_en": " "}, "name_en", "Give the session a name"),
    "label with a space": ({"label": "TEN 1"}, "label", "letters and digits"),
    "unknown kind": ({"kind": "party"}, "kind", "what kind"),
    "bad link": ({"link": "not a link"}, "link", "Enter a valid URL"),
}


@pytest.mark.parametrize("case", INVALID)
def test_create_session_refuses_invalid_data_and_saves_nothing(institution, admin, instance, case):
    changes, field, message = INVALID[case]
    with pytest.raises(SessionError) as refused:
        create_session(admin, institution=institution, data=valid(instance, **changes))
    assert list(refused.value.message_dict) == [field]
    assert message in refused.value.message_dict[field][0]
    assert ActivitySession.objects.count() == 0


def test_create_session_refuses_a_course_instance_of_another_university(
    institution, other_institution, admin, instance
):
    foreign = CourseInstanceFactory(course__institution=other_institution)
    with pytest.raises(SessionError) as refused:
        create_session(
            admin, institution=institution, data=valid(instance, course_instances=[foreign])
        )
    assert list(refused.value.message_dict) == ["course_instances"]
    assert ActivitySession.objects.count() == 0


def test_create_session_refuses_a_course_instance_the_admin_does_not_manage(institution, instance):
    narrowed = study_admin(institution, "nina", course=CourseFactory(institution=institution))
    with pytest.raises(SessionError) as refused:
        create_session(narrowed, institution=institution, data=valid(instance))
    assert refused.value.message_dict["course_instances"][0].startswith(
        "You can only choose course instances of Lund University that you manage"
    )
    assert ActivitySession.objects.count() == 0


def test_org_unit_admin_creates_a_session_of_their_unit(institution):
    unit = OrgUnitFactory(institution=institution)
    own = CourseInstanceFactory(course__institution=institution, course__org_unit=unit)
    unit_admin = study_admin(institution, "ulla", org_unit=unit)
    session = create_session(unit_admin, institution=institution, data=valid(own))
    assert list(session.course_instances.all()) == [own]


def test_create_session_refuses_a_module_of_another_course(institution, admin, instance):
    stray = ModuleFactory(course=CourseFactory(institution=institution), code="9999")
    with pytest.raises(SessionError) as refused:
        create_session(admin, institution=institution, data=valid(instance, modules=[stray]))
    assert refused.value.message_dict == {
        "modules": [
            f"Choose modules of the chosen course instances' courses only: 9999 {stray.name}."
        ]
    }
    assert ActivitySession.objects.count() == 0


def test_retake_must_examine_the_same_course_and_come_later(institution, admin, instance):
    other_course = ActivitySessionFactory(
        institution=institution,
        label="OTHER",
        starts_at=at(60),
        ends_at=at(60, 12),
        course_instances=[CourseInstanceFactory(course__institution=institution)],
    )
    earlier = ActivitySessionFactory(
        institution=institution,
        label="EARLY",
        starts_at=at(10),
        ends_at=at(10, 12),
        course_instances=[instance],
    )
    for retake, message in [
        (other_course, "The re-take must examine the same course as this session."),
        (earlier, "The re-take must start after this session ends."),
    ]:
        with pytest.raises(SessionError) as refused:
            create_session(admin, institution=institution, data=valid(instance, retake=retake))
        assert refused.value.message_dict == {"retake": [message]}
    assert ActivitySession.objects.count() == 2


def test_a_session_is_the_retake_of_one_session_only(institution, admin, instance):
    retake = ActivitySessionFactory(
        institution=institution, starts_at=at(60), ends_at=at(60, 12), course_instances=[instance]
    )
    first = create_session(admin, institution=institution, data=valid(instance, retake=retake))
    with pytest.raises(SessionError) as refused:
        create_session(
            admin, institution=institution, data=valid(instance, label="TEN2", retake=retake)
        )
    assert refused.value.message_dict == {
        "retake": [f"{retake.label} is already the re-take of {first.label}."]
    }


def test_teacher_cannot_create_a_session(institution, instance):
    teacher = UserFactory(username="tom")
    StaffRoleFactory(user=teacher, institution=institution, role=StaffRoleKind.CERTIFIER)
    with pytest.raises(NotAllowed):
        create_session(teacher, institution=institution, data=valid(instance))
    assert ActivitySession.objects.count() == 0


def test_admin_of_another_university_cannot_create_a_session_here(
    institution, other_institution, instance
):
    elsewhere = study_admin(other_institution, "olle")
    with pytest.raises(NotAllowed):
        create_session(elsewhere, institution=institution, data=valid(instance))


# --- Editing --------------------------------------------------------------------------------------


@pytest.fixture
def session(institution, admin, instance) -> ActivitySession:
    return create_session(admin, institution=institution, data=valid(instance))


def test_update_session_changes_its_facts(admin, session, instance):
    update_session(
        admin, session=session, data=valid(instance, place="Victoriastadion", capacity=200)
    )
    session.refresh_from_db()
    assert (session.place, session.capacity) == ("Victoriastadion", 200)


def test_update_refuses_fewer_places_than_participants_and_keeps_the_session(
    admin, session, instance
):
    for _n in range(3):
        SignupFactory(session=session)
    with pytest.raises(SessionError) as refused:
        update_session(admin, session=session, data=valid(instance, capacity=2, place="Elsewhere"))
    assert refused.value.message_dict == {
        "capacity": ["3 students already have a place: give at least that many places."]
    }
    session.refresh_from_db()
    assert (session.capacity, session.place) == (40, "Sparta A")


def test_anonymity_cannot_change_once_students_have_a_place(admin, session, instance):
    SignupFactory(session=session)
    with pytest.raises(SessionError) as refused:
        update_session(admin, session=session, data=valid(instance, anonymous=True))
    assert list(refused.value.message_dict) == ["anonymous"]
    session.refresh_from_db()
    assert session.anonymous is False


def test_label_of_an_anonymous_session_with_participants_cannot_change(
    institution, admin, instance
):
    session = create_session(admin, institution=institution, data=valid(instance, anonymous=True))
    SignupFactory(session=session, anonymisation_code="TEN1-ACDEFG")
    with pytest.raises(SessionError) as refused:
        update_session(admin, session=session, data=valid(instance, anonymous=True, label="X1"))
    assert list(refused.value.message_dict) == ["label"]


def test_session_cannot_be_its_own_retake(admin, session, instance):
    with pytest.raises(SessionError) as refused:
        update_session(admin, session=session, data=valid(instance, retake=session))
    assert refused.value.message_dict == {"retake": ["A session cannot be its own re-take."]}


def test_narrowed_admin_keeps_a_colleagues_course_on_the_session(institution, admin, instance):
    """A course-narrowed administrator edits a session of two courses; the one they do not
    manage may stay, but they cannot add another one they do not manage."""
    own = CourseInstanceFactory(course__institution=institution)
    session = create_session(
        admin, institution=institution, data=valid(instance, course_instances=[instance, own])
    )
    narrowed = study_admin(institution, "nina", course=own.course)
    update_session(
        narrowed,
        session=session,
        data=valid(instance, course_instances=[instance, own], place="Hörsal 1"),
    )
    foreign = CourseInstanceFactory(course__institution=institution)
    with pytest.raises(SessionError):
        update_session(
            narrowed, session=session, data=valid(instance, course_instances=[own, foreign])
        )
    session.refresh_from_db()
    assert (session.place, set(session.course_instances.all())) == ("Hörsal 1", {instance, own})


def test_admin_without_the_sessions_course_cannot_edit_it(institution, session, instance):
    narrowed = study_admin(institution, "nina", course=CourseFactory(institution=institution))
    with pytest.raises(NotAllowed):
        update_session(narrowed, session=session, data=valid(instance, place="Elsewhere"))
