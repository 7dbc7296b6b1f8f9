"""The fee administrator's pages (#15 build point 3): every URL tried as another student, another
university's fee administrator, a teacher and nobody; the whole flow through the pages; fixed
query counts at two data sizes."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from fees.models import BankFile, BankPayment, Invoice, InvoiceEntry
from fees.services import bank, invoicing
from people.models import StaffRoleKind
from tests.factories import PersonFactory, StaffRoleFactory, StudyPeriodFactory, UserFactory
from tests.fees import camt_files
from tests.fees.camt_files import transaction as tx
from tests.fees.conftest import liable_student

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(institution, fee_admin, fee_period, course_instance):
    """A period with one sent invoice and a booked file with an unmatched payment."""
    student = liable_student(institution, course_instance)
    invoicing.create_invoices(fee_admin, period=fee_period)
    invoicing.send_invoices(fee_admin, period=fee_period)
    invoice = Invoice.objects.get()
    data = camt_files.document(tx("U1", "12345678", "10.00"))
    bank_file = bank.upload(fee_admin, institution=institution, name="f.xml", data=data)
    bank.book(fee_admin, bank_file=bank_file)
    return {
        "student": student,
        "invoice": invoice,
        "period": fee_period,
        "file": bank_file,
        "payment": BankPayment.objects.get(),
    }


def urls(world) -> list[tuple[str, str]]:
    return [
        ("get", "/staff/fees/"),
        ("get", "/staff/fees/periods/new/"),
        ("post", "/staff/fees/periods/new/"),
        ("get", f"/staff/fees/periods/{world['period'].public_id}/"),
        ("post", f"/staff/fees/periods/{world['period'].public_id}/create/"),
        ("post", f"/staff/fees/periods/{world['period'].public_id}/send/"),
        ("get", f"/staff/fees/invoices/{world['invoice'].public_id}/"),
        ("post", f"/staff/fees/invoices/{world['invoice'].public_id}/"),
        ("get", "/staff/fees/liabilities/"),
        ("post", "/staff/fees/liabilities/"),
        ("get", "/staff/fees/bank/"),
        ("post", "/staff/fees/bank/"),
        ("get", f"/staff/fees/bank/files/{world['file'].public_id}/"),
        ("post", f"/staff/fees/bank/files/{world['file'].public_id}/"),
        ("get", "/staff/fees/bank/inbox/"),
        ("get", f"/staff/fees/bank/payments/{world['payment'].public_id}/"),
        ("post", f"/staff/fees/bank/payments/{world['payment'].public_id}/"),
    ]


def test_a_teacher_gets_403_everywhere(world, institution, client_for):
    teacher = UserFactory()
    StaffRoleFactory(user=teacher, institution=institution, role=StaffRoleKind.REPORTER)
    client = client_for(teacher)
    for method, url in urls(world):
        assert getattr(client, method)(url).status_code == 403, url


def test_another_student_gets_403_everywhere(world, client_for, student_user):
    client = client_for(student_user)
    for method, url in urls(world):
        assert getattr(client, method)(url).status_code == 403, url


def test_the_invoiced_student_gets_403_too(world, client_for):
    client = client_for(UserFactory(person=world["student"]))
    for method, url in urls(world):
        assert getattr(client, method)(url).status_code == 403, url


def test_another_universitys_fee_administrator_gets_403_or_404(
    world, other_institution, client_for
):
    stranger = UserFactory()
    StaffRoleFactory(user=stranger, institution=other_institution, role=StaffRoleKind.FEE_ADMIN)
    client = client_for(stranger)
    for method, url in urls(world):
        status = getattr(client, method)(url).status_code
        # At their own university the lists are theirs (empty); our rows are not there.
        ids = [str(world[k].public_id) for k in ("period", "invoice", "file", "payment")]
        if any(i in url for i in ids):
            assert status == 404, url
        else:
            assert status in (200, 302), url
    assert Invoice.objects.get().state == "sent"
    assert BankFile.objects.count() == 1


def test_nobody_is_sent_to_log_in(world, client):
    for method, url in urls(world):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


def test_the_whole_flow_through_the_pages(institution, fee_admin, course_instance, client_for):
    """Period, preview, create, send, upload, preview, book, handle the unmatched payment."""
    client = client_for(fee_admin)
    student = liable_student(institution, course_instance)
    term = StudyPeriodFactory(institution=institution)
    response = client.post(
        "/staff/fees/periods/new/",
        {
            "instance": f"c{course_instance.pk}",
            "study_period": term.pk,
            "credits": "30",
            "amount": "45000",
            "instalments": "2",
            "first_due_date": "2027-01-15",
        },
        follow=True,
    )
    period_page = response.content.decode()
    assert "Create 1 invoice" in period_page
    assert student.full_name in period_page
    path = response.redirect_chain[-1][0]
    client.post(path + "create/")
    client.post(path + "send/")
    invoice = Invoice.objects.get()
    assert invoice.state == "sent"

    wrong = invoice.ocr[:-1] + str((int(invoice.ocr[-1]) + 1) % 10)
    data = camt_files.document(tx("B1", invoice.ocr, "22500.00"), tx("B2", wrong, "22500.00"))
    response = client.post(
        "/staff/fees/bank/", {"file": SimpleUploadedFile("camt.xml", data)}, follow=True
    )
    preview = response.content.decode()
    assert "Booked on the invoice" in preview
    assert "has a wrong check digit" in preview
    assert InvoiceEntry.objects.count() == 0
    response = client.post(response.redirect_chain[-1][0], follow=True)
    assert response.redirect_chain[-1][0] == "/staff/fees/bank/inbox/"
    unmatched = BankPayment.objects.get(state="unmatched")
    response = client.post(
        f"/staff/fees/bank/payments/{unmatched.public_id}/",
        {"act": "assign", "reference": invoice.ocr, "note": "Mistyped reference"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/staff/fees/bank/inbox/"
    invoice.refresh_from_db()
    assert (invoice.state, invoice.remaining) == ("settled", Decimal("0.00"))


def test_a_malformed_file_is_refused_on_the_page(fee_admin, client_for):
    response = client_for(fee_admin).post(
        "/staff/fees/bank/", {"file": SimpleUploadedFile("x.xml", b"<oops")}
    )
    assert "The file is not well-formed XML; nothing was read." in response.content.decode()
    assert BankFile.objects.count() == 0


def test_liability_decision_by_identity_number(institution, fee_admin, client_for):
    person = PersonFactory()
    response = client_for(fee_admin).post(
        "/staff/fees/liabilities/",
        {
            "identity_number": person.display_identifier,
            "decision": "exempt",
            "ground": "exchange",
            "note": "Erasmus",
        },
        follow=True,
    )
    assert "Exchange student" in response.content.decode()
    assert person.fee_liabilities.get().ground == "exchange"


def test_scholarship_on_the_invoice_page(world, fee_admin, client_for):
    invoice = world["invoice"]
    client_for(fee_admin).post(
        f"/staff/fees/invoices/{invoice.public_id}/",
        {"kind": "scholarship", "amount": "5000", "on_date": "2026-11-01", "description": "Global"},
    )
    invoice.refresh_from_db()
    assert invoice.scholarships == Decimal("5000.00")


@pytest.mark.parametrize("count", [1, 3])
def test_staff_pages_cost_the_same_for_one_or_three(
    count, institution, fee_admin, fee_period, course_instance, client_for
):
    for _ in range(count):
        liable_student(institution, course_instance)
    invoicing.create_invoices(fee_admin, period=fee_period)
    for n in range(count):
        data = camt_files.document(tx(f"Q{n}", "12345678", "1.00"), message_id=f"Q{n}")
        bank.book(
            fee_admin,
            bank_file=bank.upload(fee_admin, institution=institution, name="q", data=data),
        )
    client = client_for(fee_admin)
    invoice = Invoice.objects.first()
    payment = BankPayment.objects.first()
    pages = {
        "/staff/fees/": 6,
        f"/staff/fees/periods/{fee_period.public_id}/": 7,
        f"/staff/fees/invoices/{invoice.public_id}/": 8,
        "/staff/fees/liabilities/": 5,
        "/staff/fees/bank/": 5,
        f"/staff/fees/bank/files/{payment.bank_file.public_id}/": 7,
        "/staff/fees/bank/inbox/": 5,
        f"/staff/fees/bank/payments/{payment.public_id}/": 5,
    }
    counted = {}
    for url in pages:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counted[url] = len(queries)
    assert counted == pages
