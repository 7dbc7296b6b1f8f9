"""S-EXAM-2: the three filters, and a fixed number of queries whatever the number of sessions."""

import datetime

import pytest
from django.utils import timezone

from exams import queries
from exams.models import Signup
from ladokportal import clock
from registration.models import ParticipationState
from tests.conftest import enrol
from tests.factories import PersonFactory
from tests.factories.exams import ActivitySessionFactory

pytestmark = pytest.mark.django_db


def _at(days: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


@pytest.fixture
def student(institution):
    person = PersonFactory()
    participation = enrol(person, institution, state=ParticipationState.REGISTERED)
    return person, participation.course_instance


def _session(institution, instance, **fields):
    return ActivitySessionFactory(institution=institution, course_instances=[instance], **fields)


def _labels(cards):
    return [card.session.label for card in cards]


def test_filters_put_each_session_in_its_place(institution, student):
    person, instance = student
    open_one = _session(institution, instance, label="OPEN")
    signed = _session(institution, instance, label="SIGNED")
    past = _session(
        institution,
        instance,
        label="PAST",
        starts_at=_at(-30),
        ends_at=_at(-30) + datetime.timedelta(hours=4),
    )
    old = _session(
        institution,
        instance,
        label="OLD",
        starts_at=_at(-800),
        ends_at=_at(-800) + datetime.timedelta(hours=4),
    )
    closed = _session(
        institution,
        instance,
        label="CLOSED",
        signup_opens=clock.today() - datetime.timedelta(days=20),
        signup_closes=clock.today() - datetime.timedelta(days=1),
    )
    for session in (signed, past, old):
        Signup.objects.create(institution=institution, session=session, person=person)
    settings = institution.settings
    assert _labels(queries.exam_cards(person, settings, "not_signed_up")) == ["OPEN"]
    assert _labels(queries.exam_cards(person, settings, "signed_up")) == ["SIGNED"]
    assert _labels(queries.exam_cards(person, settings, "past")) == ["PAST"]
    assert closed.label not in _labels(queries.exam_cards(person, settings, "not_signed_up"))
    assert open_one.label == "OPEN"


def test_session_a_study_administrator_added_shows_under_signed_up(institution):
    person = PersonFactory()
    enrol(person, institution, state=ParticipationState.ADMITTED)  # not registered: no sign-up
    other = enrol(PersonFactory(), institution, state=ParticipationState.REGISTERED)
    session = _session(institution, other.course_instance, label="ADDED")
    Signup.objects.create(institution=institution, session=session, person=person)
    cards = queries.exam_cards(person, institution.settings, "signed_up")
    assert _labels(cards) == ["ADDED"]


def test_sessions_of_other_students_courses_are_not_shown(institution, student):
    person, _instance = student
    other = enrol(PersonFactory(), institution, state=ParticipationState.REGISTERED)
    _session(institution, other.course_instance, label="THEIRS")
    for which in queries.FILTERS:
        assert queries.exam_cards(person, institution.settings, which) == []


@pytest.mark.parametrize("count", [1, 3])
def test_exam_cards_query_count_does_not_grow(
    count, institution, student, django_assert_num_queries
):
    person, instance = student
    for n in range(count):
        session = _session(institution, instance, label=f"S{n}")
        Signup.objects.create(institution=institution, session=session, person=person)
    # Sessions (with places taken), their course instances, those courses, my sign-ups.
    with django_assert_num_queries(4):
        cards = queries.exam_cards(person, institution.settings, "signed_up")
    assert len(cards) == count
