"""Applying, deciding and withdrawing (S-DEG-2..4, S-DEG-6): every move an event, bad input a
clear message with nothing stored, the audit asked again when issuing, the rights of each act."""

import uuid

import pytest
from django.utils import translation

from certificates.models import Certificate, CertificateKind
from degrees import services
from degrees.errors import DegreeError, NotAllowed
from degrees.models import CaseAction, CaseState, DegreeCase, DegreeCaseEvent, IssuedDegree
from people.models import StaffRoleKind
from tests.factories import PersonFactory, StaffRoleFactory, UserFactory
from tests.factories.degrees import (
    apply,
    completed_course,
    graduate,
    officer,
    settings_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(institution):
    settings_of(institution)
    person, user, kind = graduate(institution)
    return person, user, kind


def test_submit_creates_a_case_with_its_courses_and_an_event(world, institution):
    person, user, kind = world
    case = apply(user, person, institution, kind)
    assert case.state == CaseState.SUBMITTED
    assert sorted(case.courses.values_list("code", flat=True)) == ["FYSA11", "MATA21", "MATK11"]
    assert list(case.events.values_list("action", "to_state")) == [
        (CaseAction.SUBMIT, CaseState.SUBMITTED)
    ]


def test_submit_twice_with_one_form_makes_one_case(world, institution):
    person, user, kind = world
    key = uuid.uuid4()
    first = apply(user, person, institution, kind, request_key=key)
    second = apply(user, person, institution, kind, request_key=key)
    assert first.pk == second.pk
    assert DegreeCase.objects.count() == 1


@pytest.mark.parametrize("which", ["none", "other_student", "other_university"])
def test_submit_refuses_bad_courses_and_stores_nothing(
    world, institution, other_institution, which
):
    person, user, kind = world
    stranger = PersonFactory()
    ids = {
        "none": [],
        "other_student": [completed_course(stranger, institution, code="ANNAN").pk],
        "other_university": [completed_course(person, other_institution, code="UUKURS").pk],
    }[which]
    with translation.override("en"), pytest.raises(DegreeError) as refused:
        apply(user, person, institution, kind, course_ids=ids)
    assert refused.value.message in {
        "Choose at least one course for the degree to rest on.",
        "A degree can rest only on courses you have completed at this university.",
    }
    assert DegreeCase.objects.count() == 0
    assert DegreeCaseEvent.objects.count() == 0


def test_submit_refuses_a_second_open_case_of_the_same_degree(world, institution):
    person, user, kind = world
    apply(user, person, institution, kind)
    with pytest.raises(DegreeError):
        apply(user, person, institution, kind)
    assert DegreeCase.objects.count() == 1


def test_submit_only_for_oneself(world, institution):
    person, _user, kind = world
    with pytest.raises(NotAllowed):
        apply(UserFactory(person=PersonFactory()), person, institution, kind)


def test_issue_freezes_content_and_creates_the_digital_degree(world, institution):
    person, user, kind = world
    case = apply(user, person, institution, kind)
    handler = officer(institution)
    services.take(handler, case)
    services.add_note(handler, case, "Secret internal remark")
    degree = services.issue(handler, case)
    case.refresh_from_db()
    assert case.state == CaseState.ISSUED
    assert [e.action for e in case.events.all()] == ["submit", "take", "issue"]
    assert degree.content["title"] == {
        "sv": "Filosofie kandidatexamen",
        "en": "Degree of Bachelor of Science",
    }
    assert degree.content["credits"] == "30.0"
    assert [c["code"] for c in degree.content["courses"]] == ["FYSA11", "MATA21", "MATK11"]
    assert "Secret internal remark" not in str(degree.content)
    document = Certificate.objects.get(pk=degree.document_id)
    assert document.kind == CertificateKind.DEGREE
    assert document.content["body"] == degree.content
    assert "Secret internal remark" not in str(document.content)


def test_issue_without_digital_degrees_makes_no_document(world, institution):
    person, user, kind = world
    settings = settings_of(institution)
    settings.digital_degree = False
    settings.save()
    case = apply(user, person, institution, kind, delivery="paper")
    degree = services.issue(officer(institution), case)
    assert degree.document_id is None


def test_issue_refuses_when_the_audit_does_not_hold(world, institution):
    person, user, kind = world
    case = apply(
        user,
        person,
        institution,
        kind,
        course_ids=[c.pk for c in case_courses(person, institution, "MATA21", "FYSA11")],
    )
    with translation.override("en"), pytest.raises(DegreeError) as refused:
        services.issue(officer(institution), case)
    assert refused.value.message == (
        "The requirements are not met: 7.5 credits more in total; "
        "no independent project in Mathematics."
    )
    assert IssuedDegree.objects.count() == 0


def case_courses(person, institution, *codes):
    from catalog.models import Course

    return Course.objects.filter(institution=institution, code__in=codes)


def test_a_decided_case_cannot_be_decided_again(world, institution):
    person, user, kind = world
    case = apply(user, person, institution, kind)
    handler = officer(institution)
    services.issue(handler, case)
    with pytest.raises(DegreeError):
        services.issue(handler, case)
    with pytest.raises(DegreeError):
        services.refuse(handler, case, reason="No")
    assert IssuedDegree.objects.count() == 1


def test_refuse_needs_a_reason_and_keeps_it_for_the_student(world, institution):
    person, user, kind = world
    case = apply(user, person, institution, kind)
    handler = officer(institution)
    with pytest.raises(DegreeError):
        services.refuse(handler, case, reason="  ")
    refused = services.refuse(handler, case, reason="The project is not approved.")
    assert refused.state == CaseState.REFUSED
    assert refused.decision_reason == "The project is not approved."
    assert case.events.last().reason == "The project is not approved."


@pytest.mark.parametrize("who", ["student", "teacher", "other_officer"])
def test_only_the_universitys_officers_decide(world, institution, other_institution, who):
    person, user, kind = world
    case = apply(user, person, institution, kind)
    actor = {
        "student": lambda: user,
        "teacher": lambda: (
            StaffRoleFactory(institution=institution, role=StaffRoleKind.CERTIFIER).user
        ),
        "other_officer": lambda: officer(other_institution),
    }[who]()
    for act in (
        lambda: services.take(actor, case),
        lambda: services.issue(actor, case),
        lambda: services.refuse(actor, case, reason="x"),
        lambda: services.add_note(actor, case, "x"),
    ):
        with pytest.raises(NotAllowed):
            act()
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED


def test_withdraw_revokes_the_document(world, institution):
    person, user, kind = world
    handler = officer(institution)
    degree = services.issue(handler, apply(user, person, institution, kind))
    with pytest.raises(DegreeError):
        services.withdraw(handler, degree, reason="")
    withdrawn = services.withdraw(handler, degree, reason="Fraudulent transcript.")
    assert withdrawn.withdrawn
    assert Certificate.objects.get(pk=degree.document_id).revoked_at is not None
    assert degree.case.events.last().action == CaseAction.WITHDRAW
    with pytest.raises(DegreeError):
        services.withdraw(handler, degree, reason="Again")
