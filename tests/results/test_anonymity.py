"""results.anonymity, the one rule of B-6 (#17 point 1), and the findings it closes: the
timeline, the student overview, messages next to a code and the exam systems' API."""

import pytest
from django.urls import reverse
from django.utils import translation

from results import anonymity
from results.anonymity import Place
from results.models import Result
from results.rules import Rights
from results.validation import Entry, check_entries
from tests.factories import PersonFactory
from tests.results.test_anonymity_hunt import DRAFT_GRADES, Hunt, _day

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def hunt(institution):
    hunt = Hunt(institution)
    hunt.report_by_code()
    return hunt


def test_one_rule_for_every_place(hunt):
    w = hunt.world
    result = Result.objects.select_related("activity_session", "course_instance__course").first()
    reporter = Rights.load(w.reporter, w.instance.institution_id)
    examiner = Rights.load(w.examiner, w.instance.institution_id)
    outsider = Rights.load(w.outsider, w.instance.institution_id)
    assert anonymity.sealed(result)
    assert anonymity.sight(reporter, result, Place.BY_NAME) == anonymity.Sight(True, False, False)
    assert anonymity.sight(reporter, result, Place.BY_CODE) == anonymity.Sight(False, True, True)
    assert anonymity.sight(reporter, result, Place.CERTIFY) == anonymity.NOTHING
    assert anonymity.sight(outsider, result, Place.CERTIFY) == anonymity.NOTHING
    assert anonymity.sight(examiner, result, Place.CERTIFY) == anonymity.Sight(True, True, True)
    # An examiner sees no more than a reporter anywhere else.
    assert anonymity.sight(examiner, result, Place.BY_NAME).grade is False


def test_the_timeline_by_name_shows_no_grade_of_a_result_by_code(hunt, client_for):
    w = hunt.world
    for result in Result.objects.all():
        url = reverse("staff_result_timeline", args=[result.public_id])
        for user in (w.reporter, w.examiner, w.study_admin):
            html = client_for(user).get(url).content.decode()
            assert result.person.last_name in html
            assert result.grade.code not in html, (user, html)
            assert "Reported by anonymisation code: shown here once certified." in html


def test_the_student_overview_shows_no_grade_of_a_result_by_code(hunt, client_for):
    w = hunt.world
    person = w.students[0]
    html = client_for(w.study_admin).get(reverse("staff_student", args=[person.public_id])).text
    assert DRAFT_GRADES[0] not in html


def test_messages_next_to_a_code_tell_nothing_of_the_person(hunt):
    w = hunt.world
    stranger = PersonFactory()
    errors = check_entries(
        w.instance,
        hunt.module,
        [Entry(person=stranger, grade=hunt.grades["Qb7"], examination_date=_day(-3))],
    )
    (message,) = [m for m in errors[0] if "registered" in m]
    assert isinstance(message, anonymity.Personal)
    assert "registered" not in anonymity.by_code(message)
    assert "Certify tab" in anonymity.by_code(message)
    assert anonymity.by_code("Choose a grade.") == "Choose a grade."
