"""Invoices of a fee period (#15 build point 3): preview, create in one act, send with an e-mail
in the student's language (B-2), reminder before the due date."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail

from fees import ocr
from fees.models import FeeEvent, Instalment, Invoice, InvoiceState
from fees.services import invoicing
from ladokportal import clock
from ladokportal.errors import NotAllowed
from registration.models import ParticipationState
from tests.factories import PersonFactory, StaffRoleFactory, UserFactory
from tests.fees.conftest import liable_student

pytestmark = pytest.mark.django_db


def test_preview_lists_liable_students_with_a_place_and_no_invoice(
    institution, fee_period, course_instance, fee_admin
):
    liable = liable_student(institution, course_instance)
    liable_student(institution, course_instance, liable=False)
    liable_student(institution, course_instance, state=ParticipationState.WITHDRAWN)
    PersonFactory()  # liable nowhere, no place
    planned = invoicing.preview(fee_period)
    assert [(p.person, p.amount) for p in planned] == [(liable, Decimal("45000.00"))]


def test_creating_twice_creates_each_invoice_once(
    institution, fee_period, course_instance, fee_admin
):
    fee_period.instalments = 2
    fee_period.save()
    students = [liable_student(institution, course_instance) for _ in range(3)]
    assert invoicing.create_invoices(fee_admin, period=fee_period) == 3
    assert invoicing.create_invoices(fee_admin, period=fee_period) == 0
    invoices = list(Invoice.objects.order_by("number"))
    assert sorted(i.person_id for i in invoices) == sorted(p.pk for p in students)
    assert [i.number for i in invoices] == [1, 2, 3]
    assert all(ocr.is_valid(i.ocr) for i in invoices)
    assert {i.state for i in invoices} == {InvoiceState.NOT_SENT}
    for i in invoices:
        parts = list(Instalment.objects.filter(invoice=i).order_by("sequence"))
        assert sum(p.amount for p in parts) == i.amount
        assert [p.due_date for p in parts] == [
            fee_period.first_due_date,
            fee_period.first_due_date + datetime.timedelta(days=30),
        ]
    assert FeeEvent.objects.filter(kind="invoice_created").count() == 3


def test_send_makes_invoices_available_and_mails_each_student_in_their_language(
    institution, fee_period, course_instance, fee_admin, django_capture_on_commit_callbacks
):
    swede = liable_student(institution, course_instance)
    guest = liable_student(institution, course_instance)
    guest.language = "en"
    guest.save()
    invoicing.create_invoices(fee_admin, period=fee_period)
    with django_capture_on_commit_callbacks(execute=True):
        assert invoicing.send_invoices(fee_admin, period=fee_period) == 2
    assert invoicing.send_invoices(fee_admin, period=fee_period) == 0
    assert set(Invoice.objects.values_list("state", flat=True)) == {InvoiceState.SENT}
    by_address = {m.to[0]: m for m in mail.outbox}
    assert len(mail.outbox) == 2
    assert by_address[swede.email].subject == "Faktura för studieavgift"
    assert by_address[guest.email].subject == "Invoice for tuition fee"
    reference = Invoice.objects.get(person=guest).ocr
    assert reference in by_address[guest.email].body


def test_reminder_once_before_the_due_date(
    institution, fee_period, course_instance, fee_admin, django_capture_on_commit_callbacks
):
    liable_student(institution, course_instance)
    invoicing.create_invoices(fee_admin, period=fee_period)
    invoicing.send_invoices(fee_admin, period=fee_period)
    mail.outbox.clear()
    due = fee_period.first_due_date
    assert invoicing.remind_due(due - datetime.timedelta(days=8)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert invoicing.remind_due(due - datetime.timedelta(days=7)) == 1
    assert invoicing.remind_due(due - datetime.timedelta(days=6)) == 0
    assert [m.subject for m in mail.outbox] == ["Påminnelse: studieavgift att betala"]


def test_only_fee_administrators_create_and_send(institution, fee_period):
    study_admin = UserFactory()
    StaffRoleFactory(user=study_admin, institution=institution, role="study_admin")
    for act in (invoicing.create_invoices, invoicing.send_invoices):
        with pytest.raises(NotAllowed):
            act(study_admin, period=fee_period)


def test_a_fee_administrator_of_another_university_is_refused(other_institution, fee_period):
    stranger = UserFactory()
    StaffRoleFactory(user=stranger, institution=other_institution, role="fee_admin")
    with pytest.raises(NotAllowed):
        invoicing.create_invoices(stranger, period=fee_period)


def test_due_dates_follow_the_clock(fee_period):
    assert fee_period.first_due_date == clock.today() + datetime.timedelta(days=20)


def test_the_worker_task_reminds(
    institution, fee_period, course_instance, fee_admin, django_capture_on_commit_callbacks
):
    from fees.tasks import remind_due

    fee_period.first_due_date = clock.today() + datetime.timedelta(days=3)
    fee_period.save()
    liable_student(institution, course_instance)
    invoicing.create_invoices(fee_admin, period=fee_period)
    invoicing.send_invoices(fee_admin, period=fee_period)
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_due.delay().get() == 1
    assert Invoice.objects.get().reminded_at is not None
