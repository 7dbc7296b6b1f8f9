"""The tenancy safety net (STYLE.md § Reads and tenancy): institution-owned data is reachable
only inside an institution's scope, and then only that institution's rows."""

import pytest
from django_scopes import scope
from django_scopes.exceptions import ScopeError

from catalog.models import Course
from institutions.models import LocalText
from registration.models import CourseParticipation
from tests.factories import CourseFactory


@pytest.mark.django_db
@pytest.mark.parametrize("model", [Course, LocalText, CourseParticipation])
def test_unscoped_query_raises_instead_of_leaking(model, institution):
    with scope(), pytest.raises(ScopeError):
        list(model.objects.all())


@pytest.mark.django_db
def test_scope_shows_only_its_own_institutions_rows(institution, other_institution):
    mine = CourseFactory(institution=institution, code="MINE01")
    CourseFactory(institution=other_institution, code="THEIRS01")
    with scope(institution=[institution.pk]):
        assert list(Course.objects.values_list("code", flat=True)) == [mine.code]
        assert Course.objects.filter(code="THEIRS01").exists() is False


@pytest.mark.django_db
def test_related_managers_are_scoped_too(institution, other_institution, student_user):
    from tests.conftest import enrol

    enrol(student_user.person, other_institution)
    with scope(institution=[institution.pk]):
        institutions = {p.institution_id for p in student_user.person.course_participations.all()}
    assert institutions == {institution.pk}


@pytest.mark.django_db
def test_a_request_for_one_university_cannot_see_anothers_local_text(
    client_for, student_user, other_institution
):
    response = client_for(student_user).get("/start/")
    assert response.status_code == 200
    assert "Welcome to Lund University." in response.text
    assert "Uppsala" not in response.text
