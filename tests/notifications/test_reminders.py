"""Reminders before registration and exam sign-up close (B-2, G-4, #21 point 4): to those who
have not acted, once per person and period, in their language, only where the university has
them on. Here the sweep runs in-process; tests/notifications/test_reminder_worker.py runs it on
beat's schedule through a real worker."""

import pytest
from django.core import mail

from institutions.models import InstitutionSettings
from notifications import reminders
from notifications.models import Reminder
from tests.notifications.reminder_world import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(institution, other_institution):
    return build(institution, other_institution)


def sweep(capture) -> int:
    with capture(execute=True):
        return reminders.send_due()


def test_those_who_have_not_acted_are_reminded_once(world, django_capture_on_commit_callbacks):
    first = sweep(django_capture_on_commit_callbacks)
    again = sweep(django_capture_on_commit_callbacks)

    assert (first, again) == (3, 0)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(world.due)
    assert Reminder.objects.count() == 3


def test_each_is_written_in_the_persons_language(world, django_capture_on_commit_callbacks):
    sweep(django_capture_on_commit_callbacks)

    by_address = {m.to[0]: m for m in mail.outbox}
    anna, bo, eva = (by_address[p.email] for p in (world.anna, world.bo, world.eva))
    assert anna.subject.startswith("Registreringen stänger")
    assert "Hej Anna" in anna.body and "/courses/" in anna.body
    assert bo.subject.startswith("Registration closes") and "you have not registered" in bo.body
    assert "Sign-up for Written exam" in eva.body and "/exams/" in eva.body


def test_a_university_with_reminders_off_sends_none(
    world, institution, django_capture_on_commit_callbacks
):
    InstitutionSettings.objects.filter(institution=institution).update(send_reminders=False)

    assert sweep(django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


def test_registering_after_the_reminder_sends_no_second_one(
    world, django_capture_on_commit_callbacks
):
    """Once per period: a later sweep neither repeats the reminder nor reminds anyone who
    has acted meanwhile."""
    sweep(django_capture_on_commit_callbacks)
    Reminder.objects.all().delete()
    from registration.models import CourseParticipation, Registration

    for participation in CourseParticipation.objects.with_scopes_disabled().filter(
        person__in=[world.anna, world.bo]
    ):
        period = participation.course_instance.periods.with_scopes_disabled().get()
        Registration.objects.create(
            institution=participation.institution,
            participation=participation,
            course_instance=participation.course_instance,
            study_period=period.study_period,
        )
        participation.state = "registered"
        participation.save()

    assert sweep(django_capture_on_commit_callbacks) == 1  # only Eva's sign-up, sent again
