"""One guard for every staff page (#11 point 5, staffweb.access.require): no staff role is the
page that sends a student back, a predicate of the domain's rules that does not hold is
NotAllowed (403), and the result rights a guard reads are the ones the page reads."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse

from ladokportal.errors import NotAllowed
from people.models import StaffRoleKind, User
from people.rules import administers_studies_at
from results.rules import Rights, certifies_at, reports_at
from staffweb.access import any_staff_member, require, rights
from tests.factories import StaffRoleFactory, UserFactory

K = StaffRoleKind


@require(administers_studies_at)
def _students_page(request, number):
    return HttpResponse(f"page {number}")


@require(reports_at | certifies_at)
def _results_page(request):
    return HttpResponse("results")


@require(any_staff_member)
def _home(request):
    return HttpResponse("home")


def _request(rf, user, institution):
    request = rf.get("/staff/")
    request.user, request.institution = user, institution
    return request


def _staff(institution, username: str, role: str):
    user = UserFactory(username=username)
    StaffRoleFactory(user=user, institution=institution, role=role)
    return user


def test_the_view_runs_when_the_predicate_holds(rf, institution):
    admin = _staff(institution, "sara", K.STUDY_ADMIN)
    response = _students_page(_request(rf, admin, institution), 7)
    assert (response.status_code, response.content) == (200, b"page 7")


def test_staff_for_whom_the_predicate_does_not_hold_are_not_allowed(rf, institution):
    teacher = _staff(institution, "tom", K.REPORTER)
    with pytest.raises(NotAllowed):
        _students_page(_request(rf, teacher, institution), 7)


def test_someone_without_a_staff_role_is_sent_to_the_student_web(rf, institution):
    student = UserFactory(username="stina")
    for view in (_home, _results_page):
        response = view(_request(rf, student, None))
        assert response.status_code == 403
        assert "This account has no staff rights" in response.content.decode()


def test_predicates_combine_and_every_staff_member_opens_the_home(rf, institution):
    examiner = _staff(institution, "eva", K.CERTIFIER)
    sysadmin = _staff(institution, "sven", K.SYSTEM_ADMIN)
    assert _results_page(_request(rf, examiner, institution)).status_code == 200
    with pytest.raises(NotAllowed):
        _results_page(_request(rf, sysadmin, institution))
    assert _home(_request(rf, sysadmin, institution)).status_code == 200


def test_a_guard_and_its_page_read_the_rights_once(rf, institution, django_assert_num_queries):
    reporter = _staff(institution, "rut", K.REPORTER)
    request = _request(rf, User.objects.get(pk=reporter.pk), institution)
    with django_assert_num_queries(1):
        assert reports_at.test(request.user, institution.pk)
        assert rights(request).reports_anything
        assert not rights(request).certifies_anything


def test_services_read_the_rights_afresh(institution):
    teacher = UserFactory(username="tove")
    assert not Rights.load(teacher, institution.pk).reports_anything
    StaffRoleFactory(user=teacher, institution=institution, role=K.REPORTER)
    assert Rights.load(teacher, institution.pk).reports_anything


def test_nobody_logged_in_has_no_result_rights(institution):
    assert not reports_at.test(AnonymousUser(), institution.pk)
