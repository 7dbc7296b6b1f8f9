"""Reminders before a period closes (B-2): some days before a registration period or an exam
sign-up period closes, an e-mail in the person's language to those who have not acted, once per
person and period, at each university that has them switched on (G-4,
InstitutionSettings.send_reminders and reminder_days). Beat runs `send_due` through the task
notifications.send_reminders (settings.CELERY_BEAT_SCHEDULE); the worker delivers the e-mails."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django_scopes import scope

from exams import reminders as exam_reminders
from institutions.models import InstitutionSettings
from ladokportal import clock
from notifications.models import NotificationKind, Reminder
from notifications.services import notify_many
from people.models import Person
from registration import reminders as registration_reminders


@dataclass(frozen=True)
class Due:
    person: Person
    subject: str  # what Reminder.subject records: "registration:<id>" or "signup:<id>"
    kind: str
    context: dict


def send_due(today: datetime.date | None = None) -> int:
    """Remind everyone due at every university with reminders on; the number of e-mails."""
    today = today or clock.today()
    universities = InstitutionSettings.objects.filter(send_reminders=True).values_list(
        "pk", "institution_id"
    )
    return sum(_send_at(pk, institution_id, today) for pk, institution_id in universities)


def _send_at(settings_pk: int, institution_id: int, today: datetime.date) -> int:
    """One university, in one transaction that holds its settings row: two sweeps at once (a
    beat tick while the last one still runs) take turns, and the second finds the reminders
    the first wrote."""
    with scope(institution=[institution_id]), transaction.atomic():
        settings = InstitutionSettings.objects.select_for_update().get(pk=settings_pk)
        if not settings.send_reminders:
            return 0
        due = [
            *_registrations(today, settings.reminder_days),
            *_signups(today, settings.reminder_days),
        ]
        done = set(
            Reminder.objects.filter(
                person__in={d.person.pk for d in due}, subject__in={d.subject for d in due}
            ).values_list("person_id", "subject")
        )
        fresh = [d for d in due if (d.person.pk, d.subject) not in done and d.person.email]
        Reminder.objects.bulk_create([Reminder(person=d.person, subject=d.subject) for d in fresh])
        return sum(
            notify_many([(d.person, d.context) for d in fresh if d.kind == kind], kind)
            for kind in (NotificationKind.REGISTRATION_CLOSING, NotificationKind.SIGNUP_CLOSING)
        )


def _registrations(today: datetime.date, days: int) -> list[Due]:
    return [
        Due(
            participation.person,
            f"registration:{period.pk}",
            NotificationKind.REGISTRATION_CLOSING,
            {
                "course_code": participation.course_instance.course.code,
                "course_name_sv": participation.course_instance.course.name_sv,
                "course_name_en": participation.course_instance.course.name_en,
                "period_name_sv": period.study_period.name_sv,
                "period_name_en": period.study_period.name_en,
                "closes": period.registration_closes.isoformat(),
                "path": f"/courses/{participation.public_id}/",
            },
        )
        for participation, period in registration_reminders.due(today, days)
    ]


def _signups(today: datetime.date, days: int) -> list[Due]:
    return [
        Due(
            person,
            f"signup:{session.pk}",
            NotificationKind.SIGNUP_CLOSING,
            {
                "session_name_sv": session.name_sv,
                "session_name_en": session.name_en,
                "starts": clock.local(session.starts_at).strftime("%Y-%m-%d %H:%M"),
                "closes": session.signup_closes.isoformat(),
                "path": f"/exams/{session.public_id}/",
            },
        )
        for person, session in exam_reminders.due(today, days)
    ]
