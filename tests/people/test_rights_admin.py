"""T-ROLE-1: reporting and certifying rights (and the other staff roles) per course, org unit and
university are granted and revoked by the university's system administrators, through
people.services.grant_role and revoke_role, whoever calls. A refused change changes nothing, and
every grant and revocation stays in StaffRoleEvent."""

import threading
import time
from collections.abc import Callable

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.utils import translation
from django_scopes import scopes_disabled

from ladokportal.errors import NotAllowed
from people.models import StaffRole, StaffRoleEvent, StaffRoleEventKind, StaffRoleKind, User
from people.rules import administers_rights_at
from people.services import RoleError, grant_role, revocation_refusal, revoke_role
from tests.factories import (
    CourseFactory,
    OrgUnitFactory,
    PersonFactory,
    StaffRoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

K = StaffRoleKind


@pytest.fixture(autouse=True)
def _english():
    """Messages are compared word for word."""
    with translation.override("en"):
        yield


def staff(institution, username: str, role: str = K.REPORTER, **narrowing) -> User:
    user = UserFactory(username=username, first_name=username.title(), last_name="Staff")
    StaffRoleFactory(user=user, institution=institution, role=role, **narrowing)
    return user


@pytest.fixture
def sysadmin(institution) -> User:
    return staff(institution, "oskar", K.SYSTEM_ADMIN)


@pytest.fixture
def teacher() -> User:
    """An account without any right yet: the one the administrator gives rights to."""
    return UserFactory(username="maria", first_name="Maria", last_name="Nilsson")


def state() -> tuple[list, list]:
    """Every right and every history row, to show that a refusal changed nothing."""
    rights = list(
        StaffRole.objects.order_by("pk").values_list(
            "user_id", "institution_id", "role", "org_unit_id", "course_id"
        )
    )
    events = list(StaffRoleEvent.objects.order_by("pk").values_list("kind", "user_id", "role"))
    return rights, events


# --- The predicate ---------------------------------------------------------------------------


def test_administers_rights_only_as_system_administrator_of_the_whole_university(
    institution, other_institution, sysadmin
):
    unit = OrgUnitFactory(institution=institution)
    narrowed = staff(institution, "nina", K.SYSTEM_ADMIN, org_unit=unit)
    study_admin = staff(institution, "siv", K.STUDY_ADMIN)
    elsewhere = staff(other_institution, "ulla", K.SYSTEM_ADMIN)
    assert administers_rights_at(sysadmin, institution.pk) is True
    assert administers_rights_at(sysadmin, other_institution.pk) is False
    assert administers_rights_at(narrowed, institution.pk) is False
    assert administers_rights_at(study_admin, institution.pk) is False
    assert administers_rights_at(elsewhere, institution.pk) is False
    assert administers_rights_at(AnonymousUser(), institution.pk) is False


def test_role_row_says_the_same_as_the_predicate(institution, sysadmin):
    unit = OrgUnitFactory(institution=institution)
    narrowed = StaffRoleFactory(institution=institution, role=K.SYSTEM_ADMIN, org_unit=unit)
    certifier = StaffRoleFactory(institution=institution, role=K.CERTIFIER)
    assert sysadmin.staff_roles.get().administers_rights is True
    assert narrowed.administers_rights is False
    assert certifier.administers_rights is False


def test_display_name_prefers_the_person(institution):
    person = PersonFactory(first_name="Sara", last_name="Holm")
    assert UserFactory(username="s1", first_name="X", person=person).display_name == "Sara Holm"
    assert UserFactory(username="s2", first_name="Per", last_name="Holm").display_name == "Per Holm"
    assert UserFactory(username="s3").display_name == "s3"


# --- Granting --------------------------------------------------------------------------------


def test_system_administrator_grants_a_course_right_and_it_is_recorded(
    institution, sysadmin, teacher
):
    course = CourseFactory(institution=institution)
    row = grant_role(
        sysadmin, user=teacher, role=K.REPORTER, institution=institution, course=course
    )
    row.refresh_from_db()
    assert (row.user, row.institution, row.role, row.org_unit, row.course, row.granted_by) == (
        teacher,
        institution,
        K.REPORTER,
        None,
        course,
        sysadmin,
    )
    event = StaffRoleEvent.objects.get()
    assert (
        event.kind,
        event.institution,
        event.user,
        event.role,
        event.org_unit,
        event.course,
        event.actor,
    ) == (StaffRoleEventKind.GRANTED, institution, teacher, K.REPORTER, None, course, sysadmin)


def test_system_administrator_grants_an_org_unit_right(institution, sysadmin, teacher):
    unit = OrgUnitFactory(institution=institution)
    row = grant_role(
        sysadmin, user=teacher, role=K.CERTIFIER, institution=institution, org_unit=unit
    )
    assert list(teacher.staff_roles.values_list("pk", "role", "org_unit", "course")) == [
        (row.pk, K.CERTIFIER, unit.pk, None)
    ]


@pytest.mark.parametrize(
    ("role", "narrowing"),
    [(K.STUDY_ADMIN, {}), (K.SYSTEM_ADMIN, {}), (K.REPORTER, {"course": True})],
    ids=["study-admin", "system-admin", "course-reporter"],
)
def test_grant_refused_to_anyone_but_a_system_administrator_of_the_university(
    institution, other_institution, teacher, role, narrowing
):
    course = CourseFactory(institution=institution)
    unit = OrgUnitFactory(institution=institution)
    refused = [
        staff(institution, "siv", K.STUDY_ADMIN),
        staff(institution, "tom", K.CERTIFIER),
        staff(institution, "nina", K.SYSTEM_ADMIN, org_unit=unit),
        staff(other_institution, "ulla", K.SYSTEM_ADMIN),
        UserFactory(username="stina"),
        AnonymousUser(),
    ]
    before = state()
    for actor in refused:
        with pytest.raises(NotAllowed):
            grant_role(
                actor,
                user=teacher,
                role=role,
                institution=institution,
                course=course if narrowing else None,
            )
    assert state() == before


@pytest.mark.parametrize("scope", ["university", "org_unit", "course"])
def test_a_right_already_held_is_refused_with_a_message(institution, sysadmin, teacher, scope):
    narrowing = {
        "university": {},
        "org_unit": {"org_unit": OrgUnitFactory(institution=institution)},
        "course": {"course": CourseFactory(institution=institution)},
    }[scope]
    grant_role(sysadmin, user=teacher, role=K.REPORTER, institution=institution, **narrowing)
    before = state()
    with pytest.raises(RoleError) as refused:
        grant_role(sysadmin, user=teacher, role=K.REPORTER, institution=institution, **narrowing)
    assert str(refused.value) == "Maria Nilsson already holds this right."
    assert state() == before


def test_refused_duplicate_leaves_the_callers_transaction_usable(institution, sysadmin, teacher):
    """The unique constraint is caught inside a savepoint: the caller's transaction goes on."""
    grant_role(sysadmin, user=teacher, role=K.REPORTER, institution=institution)
    with transaction.atomic():
        with pytest.raises(RoleError):
            grant_role(sysadmin, user=teacher, role=K.REPORTER, institution=institution)
        assert StaffRole.objects.filter(user=teacher).count() == 1


def test_same_role_with_another_scope_is_a_new_right(institution, sysadmin, teacher):
    course = CourseFactory(institution=institution)
    grant_role(sysadmin, user=teacher, role=K.REPORTER, institution=institution)
    grant_role(sysadmin, user=teacher, role=K.REPORTER, institution=institution, course=course)
    grant_role(sysadmin, user=teacher, role=K.CERTIFIER, institution=institution, course=course)
    assert teacher.staff_roles.count() == 3


def test_scope_of_another_university_and_double_scope_are_refused(
    institution, other_institution, sysadmin, teacher
):
    here_unit = OrgUnitFactory(institution=institution)
    here_course = CourseFactory(institution=institution)
    there_unit = OrgUnitFactory(institution=other_institution)
    there_course = CourseFactory(institution=other_institution)
    cases = [
        ({"org_unit": there_unit}, "That org unit belongs to another university."),
        ({"course": there_course}, "That course belongs to another university."),
        (
            {"org_unit": here_unit, "course": here_course},
            "Narrow a right to an org unit or to a course, not both.",
        ),
    ]
    before = state()
    for narrowing, message in cases:
        with pytest.raises(RoleError) as refused:
            grant_role(
                sysadmin, user=teacher, role=K.REPORTER, institution=institution, **narrowing
            )
        assert str(refused.value) == message
    assert state() == before


def test_system_administrator_right_cannot_be_narrowed(institution, sysadmin, teacher):
    before = state()
    with pytest.raises(RoleError) as refused:
        grant_role(
            sysadmin,
            user=teacher,
            role=K.SYSTEM_ADMIN,
            institution=institution,
            course=CourseFactory(institution=institution),
        )
    assert str(refused.value) == (
        "A system administrator's right covers the whole university: choose neither an org "
        "unit nor a course."
    )
    assert state() == before


def test_unknown_role_is_refused(institution, sysadmin, teacher):
    before = state()
    with pytest.raises(RoleError) as refused:
        grant_role(sysadmin, user=teacher, role="superuser", institution=institution)
    assert str(refused.value) == "Choose one of the roles."
    assert state() == before


# --- Revoking --------------------------------------------------------------------------------


def test_system_administrator_revokes_and_the_history_keeps_it(institution, sysadmin, teacher):
    unit = OrgUnitFactory(institution=institution)
    row = grant_role(
        sysadmin, user=teacher, role=K.CERTIFIER, institution=institution, org_unit=unit
    )
    revoke_role(sysadmin, role_row=row)
    assert teacher.staff_roles.count() == 0
    assert list(
        StaffRoleEvent.objects.order_by("pk").values_list(
            "kind", "user", "role", "org_unit", "course", "actor"
        )
    ) == [
        (StaffRoleEventKind.GRANTED, teacher.pk, K.CERTIFIER, unit.pk, None, sysadmin.pk),
        (StaffRoleEventKind.REVOKED, teacher.pk, K.CERTIFIER, unit.pk, None, sysadmin.pk),
    ]


def test_own_system_administrator_right_cannot_be_revoked(institution, sysadmin):
    own = sysadmin.staff_roles.get()
    staff(institution, "petra", K.SYSTEM_ADMIN)  # another administrator changes nothing
    message = (
        "You cannot revoke your own system administrator's right. Ask another system "
        "administrator of the university."
    )
    assert revocation_refusal(sysadmin, own) == message
    before = state()
    with pytest.raises(RoleError) as refused:
        revoke_role(sysadmin, role_row=own)
    assert str(refused.value) == message
    assert state() == before


def test_own_other_rights_and_another_administrators_right_can_be_revoked(institution, sysadmin):
    own_reporter = StaffRoleFactory(user=sysadmin, institution=institution, role=K.REPORTER)
    petra = staff(institution, "petra", K.SYSTEM_ADMIN)
    assert revocation_refusal(sysadmin, own_reporter) is None
    revoke_role(sysadmin, role_row=own_reporter)
    revoke_role(sysadmin, role_row=petra.staff_roles.get())
    assert list(StaffRole.objects.values_list("user__username", "role")) == [
        ("oskar", K.SYSTEM_ADMIN)
    ]
    # Petra, no longer an administrator, cannot take Oskar's right away afterwards.
    with pytest.raises(NotAllowed):
        revoke_role(petra, role_row=sysadmin.staff_roles.get())


def test_revoke_refused_to_anyone_but_a_system_administrator_of_the_rows_university(
    institution, other_institution, sysadmin
):
    row = StaffRoleFactory(institution=institution, role=K.REPORTER)
    there = StaffRoleFactory(institution=other_institution, role=K.REPORTER)
    actors = [
        staff(institution, "siv", K.STUDY_ADMIN),
        staff(institution, "tom", K.CERTIFIER),
        staff(other_institution, "ulla", K.SYSTEM_ADMIN),
        AnonymousUser(),
    ]
    before = state()
    for actor in actors:
        with pytest.raises(NotAllowed):
            revoke_role(actor, role_row=row)
    with pytest.raises(NotAllowed):
        revoke_role(sysadmin, role_row=there)  # Oskar administers Lund only
    assert state() == before


def test_revoking_twice_says_it_is_already_revoked(institution, sysadmin):
    row = StaffRoleFactory(institution=institution, role=K.REPORTER)
    revoke_role(sysadmin, role_row=row)
    with pytest.raises(RoleError) as refused:
        revoke_role(sysadmin, role_row=row)
    assert str(refused.value) == "This right has already been revoked."
    assert StaffRoleEvent.objects.filter(kind=StaffRoleEventKind.REVOKED).count() == 1


# --- At the same moment (PostgreSQL, where row locks are real) ------------------------------


def concurrent(test: Callable) -> Callable:
    """Real transactions, each thread on its own connection, on PostgreSQL only."""
    for mark in (
        pytest.mark.postgres,
        pytest.mark.django_db(transaction=True),
        pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    ):
        test = mark(test)
    return test


def run_together(*actions: Callable[[], object], delays: tuple[float, ...]) -> list[object]:
    """Each action in its own thread and connection, released together; each one's result or
    the exception it raised."""
    barrier = threading.Barrier(len(actions))
    outcomes: list[object] = [None] * len(actions)

    def body(index: int, action: Callable[[], object]) -> None:
        from django.db import connection

        try:
            with scopes_disabled():
                connection.ensure_connection()
                barrier.wait(timeout=10)
                time.sleep(delays[index])
                outcomes[index] = action()
        except Exception as exc:  # the outcome, result or refusal, is what the test asserts on
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=body, args=pair) for pair in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert [thread.is_alive() for thread in threads] == [False] * len(threads)
    return outcomes


HEAD_STARTS = [(0.0, 0.0), (0.0, 0.05), (0.05, 0.0), (0.0, 0.0)]


@pytest.mark.parametrize("delays", HEAD_STARTS)
@concurrent
def test_two_administrators_revoking_each_other_leave_one(institution, delays):
    """Without the lock on every administrator's row both would succeed and leave nobody."""
    oskar = staff(institution, "oskar", K.SYSTEM_ADMIN)
    petra = staff(institution, "petra", K.SYSTEM_ADMIN)
    oskars, petras = oskar.staff_roles.get(), petra.staff_roles.get()
    outcomes = run_together(
        lambda: revoke_role(oskar, role_row=petras),
        lambda: revoke_role(petra, role_row=oskars),
        delays=delays,
    )
    assert sorted(type(o).__name__ for o in outcomes) == ["NoneType", "NotAllowed"]
    remaining = list(StaffRole.objects.values_list("user__username", flat=True))
    assert len(remaining) == 1
    assert StaffRoleEvent.objects.filter(kind=StaffRoleEventKind.REVOKED).count() == 1


@pytest.mark.parametrize("delays", HEAD_STARTS)
@concurrent
def test_the_same_grant_twice_at_once_makes_one(institution, delays):
    oskar = staff(institution, "oskar", K.SYSTEM_ADMIN)
    petra = staff(institution, "petra", K.SYSTEM_ADMIN)
    maria = UserFactory(username="maria", first_name="Maria", last_name="Nilsson")
    course = CourseFactory(institution=institution)

    def grant_by(actor: User):
        return lambda: grant_role(
            actor, user=maria, role=K.REPORTER, institution=institution, course=course
        )

    outcomes = run_together(grant_by(oskar), grant_by(petra), delays=delays)
    made = [o for o in outcomes if isinstance(o, StaffRole)]
    refused = [str(o) for o in outcomes if isinstance(o, RoleError)]
    assert len(made) == 1
    assert refused == ["Maria Nilsson already holds this right."]
    assert list(maria.staff_roles.values_list("pk", flat=True)) == [made[0].pk]
    assert StaffRoleEvent.objects.filter(user=maria).count() == 1
