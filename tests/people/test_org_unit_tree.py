"""A right held for an org unit covers its sub-units (#12 point 6): a teacher with reporting
rights for a faculty reports on a course of a division in one of its departments, an examiner
of the department certifies there, a study administrator of the faculty manages the course's
instances and sessions. A sibling unit's right covers nothing."""

import pytest

from exams.rules import manages_session
from people.models import StaffRoleKind
from registration.rules import managed_course_instances, manages_course_instance
from results.rules import Rights, certifiable_instances, reportable_instances
from tests.factories import CourseInstanceFactory, OrgUnitFactory, StaffRoleFactory, UserFactory
from tests.factories.exams import ActivitySessionFactory

pytestmark = pytest.mark.django_db
K = StaffRoleKind


@pytest.fixture
def tree(institution):
    faculty = OrgUnitFactory(institution=institution, code="NAT")
    department = OrgUnitFactory(institution=institution, code="MATH", parent=faculty)
    division = OrgUnitFactory(institution=institution, code="ALG", parent=department)
    sibling = OrgUnitFactory(institution=institution, code="PHYS", parent=faculty)
    instance = CourseInstanceFactory(course__institution=institution, course__org_unit=division)
    return {"faculty": faculty, "department": department, "sibling": sibling, "instance": instance}


def holder(institution, role, unit):
    user = UserFactory()
    StaffRoleFactory(user=user, institution=institution, role=role, org_unit=unit)
    return user


@pytest.mark.parametrize("unit", ["faculty", "department"])
def test_a_reporting_and_certifying_right_covers_the_sub_units(institution, tree, unit):
    instance = tree["instance"]
    teacher = holder(institution, K.REPORTER, tree[unit])
    examiner = holder(institution, K.CERTIFIER, tree[unit])
    assert Rights.load(teacher, institution.pk).may_report(instance.course)
    assert Rights.load(examiner, institution.pk).may_certify(instance.course)
    assert list(reportable_instances(teacher, institution.pk)) == [instance]
    assert list(certifiable_instances(examiner, institution.pk)) == [instance]


def test_a_study_administrator_of_the_faculty_manages_the_divisions_courses(institution, tree):
    instance = tree["instance"]
    admin = holder(institution, K.STUDY_ADMIN, tree["faculty"])
    session = ActivitySessionFactory(institution=institution, course_instances=[instance])
    assert manages_course_instance(admin, instance)
    assert list(managed_course_instances(admin, institution.pk)) == [instance]
    assert manages_session(admin, session)


def test_a_sibling_units_right_covers_nothing_there(institution, tree):
    instance = tree["instance"]
    teacher = holder(institution, K.REPORTER, tree["sibling"])
    admin = holder(institution, K.STUDY_ADMIN, tree["sibling"])
    session = ActivitySessionFactory(institution=institution, course_instances=[instance])
    assert not Rights.load(teacher, institution.pk).may_report(instance.course)
    assert list(reportable_instances(teacher, institution.pk)) == []
    assert not manages_course_instance(admin, instance)
    assert not manages_session(admin, session)
