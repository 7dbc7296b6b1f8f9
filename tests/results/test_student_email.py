"""The e-mail a student gets when a result is certified (B-2, G-1): queued by the certify service
in the student's language, naming the course and module in that language, and never the grade
itself (an e-mail is not a safe place for it: the student reads the grade after logging in).
The real worker is exercised in tests/notifications/test_worker.py; here delivery runs inline."""

import pytest
from django.core import mail

from catalog.grading import SCALE_UGVG
from catalog.models import Module
from notifications import delivery
from notifications.models import Notification, NotificationKind
from tests.factories.catalog import scale
from tests.factories.results import reporting_world
from tests.studentweb.results_world import certify

pytestmark = pytest.mark.django_db

GRADE_WORDS = ("VG", "Väl godkänd", "Pass with distinction")


@pytest.fixture
def world(institution):
    world = reporting_world(
        institution, students=1, name_sv="Analys i en variabel", name_en="Analysis in One Variable"
    )
    Module.objects.filter(pk=world.module.pk).update(
        grading_scale=scale(SCALE_UGVG), name_sv="Skriftlig tentamen", name_en="Written exam"
    )
    world.module.refresh_from_db()
    return world


def certified_mail(world, language: str):
    me = world.students[0]
    me.language = language
    me.email = "stina@example.se"
    me.save(update_fields=["language", "email"])
    certify(world, {me: "VG"}, module=world.module)
    notification = Notification.objects.get(person=me, kind=NotificationKind.RESULT_CERTIFIED)
    assert delivery.deliver(notification.pk) is True
    (message,) = mail.outbox
    return message


@pytest.mark.parametrize(
    ("language", "names", "other_names"),
    [
        ("sv", ("Analys i en variabel", "Skriftlig tentamen"), ("Analysis", "Written exam")),
        ("en", ("Analysis in One Variable", "Written exam"), ("Analys i en variabel", "Skriftlig")),
    ],
)
def test_the_certified_email_is_in_the_students_language(world, language, names, other_names):
    message = certified_mail(world, language)
    code = world.instance.course.code

    assert message.to == ["stina@example.se"]
    assert code in message.subject
    assert all(name in message.body for name in names)
    assert not any(name in message.body for name in other_names)
    assert "/education/" in message.body


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_certified_email_never_carries_the_grade(world, language):
    message = certified_mail(world, language)

    assert [word for word in GRADE_WORDS if word in message.subject + message.body] == []


def test_a_result_marked_ready_sends_the_student_nothing(world):
    from tests.studentweb.results_world import ready

    me = world.students[0]
    ready(world, {me: "VG"}, module=world.module)

    assert Notification.objects.filter(person=me).count() == 0
