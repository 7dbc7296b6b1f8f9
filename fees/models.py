"""Tuition fees (studieavgifter, S-FEE-1..4): who is liable, what a course or programme instance
costs per term, the invoices sent to liable students with their instalments, and the money that
came in (payments from the bank file, scholarships) and went out (refunds).

Money is exact decimal kronor (DecimalField, never float). What an invoice has received is a sum
of its ledger entries (`InvoiceEntry`), recomputed by the database in the same statement that
books an entry (fees.services.ledger); what remains, whether it is paid in full and its state
(not sent → sent → settled) are generated columns the database derives from those sums, never
typed by anyone. Check constraints keep every sum non-negative and a refund never above what was
paid. Every change writes a `FeeEvent` (the history staff read).

Only fees.services writes these rows; fees.queries reads them for the pages.
"""

import uuid
from decimal import Decimal

from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils.translation import pgettext_lazy

from catalog.models import CourseInstance, ProgrammeInstance, StudyPeriod
from institutions.models import InstitutionOwned
from people.models import Person, User

ZERO = Decimal("0.00")


def Money(**kwargs) -> models.DecimalField:
    """Kronor and öre: up to ten million kronor with two decimals."""
    return models.DecimalField(max_digits=12, decimal_places=2, **kwargs)


class ExemptionGround(models.TextChoices):
    EU_EEA = "eu_eea", pgettext_lazy("fee exemption", "Citizen of an EU/EEA country or Switzerland")
    RESIDENCE_PERMIT = (
        "residence_permit",
        pgettext_lazy("fee exemption", "Permanent or long-term residence permit in Sweden"),
    )
    EXCHANGE = "exchange", pgettext_lazy("fee exemption", "Exchange student")
    DOCTORAL = "doctoral", pgettext_lazy("fee exemption", "Doctoral studies")
    OTHER = "other", pgettext_lazy("fee exemption", "Other ground (see the note)")


class FeeLiability(InstitutionOwned):
    """Whether a student must pay tuition fees at a university, decided by a fee administrator:
    liable, or exempt on a ground. Without a row the student is not fee-liable there.
    Service: fees.services.admin.decide_liability."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="fee_liabilities")
    liable = models.BooleanField()
    ground = models.CharField(max_length=20, choices=ExemptionGround.choices, blank=True)
    note = models.CharField(max_length=300, blank=True)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["institution", "person"], name="feeliability_once"),
            models.CheckConstraint(
                condition=(Q(liable=True) & Q(ground="")) | (Q(liable=False) & ~Q(ground="")),
                name="feeliability_exempt_has_ground",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} liable={self.liable}"


class FeePeriod(InstitutionOwned):
    """What one term (study period) of a course or programme instance costs a liable student,
    and how the invoice is split into instalments. Service: fees.services.admin.save_period."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    course_instance = models.ForeignKey(
        CourseInstance, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    programme_instance = models.ForeignKey(
        ProgrammeInstance, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    study_period = models.ForeignKey(StudyPeriod, on_delete=models.PROTECT, related_name="+")
    credits = models.DecimalField(max_digits=5, decimal_places=1)
    amount = Money()
    instalments = models.PositiveSmallIntegerField(default=1)
    first_due_date = models.DateField()
    # Days between the due dates of consecutive instalments.
    interval_days = models.PositiveSmallIntegerField(default=30)

    class Meta:
        ordering = ["study_period__start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(course_instance__isnull=True) ^ Q(programme_instance__isnull=True),
                name="feeperiod_one_instance",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="feeperiod_amount_positive"),
            models.CheckConstraint(
                condition=Q(instalments__gte=1, instalments__lte=12),
                name="feeperiod_instalments_1_to_12",
            ),
            models.CheckConstraint(condition=Q(credits__gt=0), name="feeperiod_credits_positive"),
            models.UniqueConstraint(
                fields=["course_instance", "study_period"],
                condition=Q(course_instance__isnull=False),
                name="feeperiod_course_term_once",
            ),
            models.UniqueConstraint(
                fields=["programme_instance", "study_period"],
                condition=Q(programme_instance__isnull=False),
                name="feeperiod_programme_term_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.study_period_id}: {self.amount}"

    @property
    def instance(self) -> CourseInstance | ProgrammeInstance:
        return self.course_instance or self.programme_instance

    @property
    def education(self):
        """The course or programme the period belongs to (for its names and code)."""
        if self.course_instance is not None:
            return self.course_instance.course
        return self.programme_instance.programme


class InvoiceState(models.TextChoices):
    NOT_SENT = "not_sent", pgettext_lazy("invoice state", "Not available")
    SENT = "sent", pgettext_lazy("invoice state", "Available")
    SETTLED = "settled", pgettext_lazy("invoice state", "Settled")


# remaining = amount − payments − scholarships + refunds (S-FEE-3), in the database.
_REMAINING = F("amount") - F("paid") - F("scholarships") + F("refunded")


class Invoice(InstitutionOwned):
    """A liable student's invoice for one fee period, with its OCR reference and instalments.
    Services: fees.services.invoicing.create_invoices, send_invoices; fees.services.ledger
    (payments, scholarships, refunds) keeps `paid`, `scholarships` and `refunded` equal to the
    sums of the invoice's entries."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    fee_period = models.ForeignKey(FeePeriod, on_delete=models.PROTECT, related_name="invoices")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="invoices")
    number = models.PositiveIntegerField()
    ocr = models.CharField(max_length=25)
    amount = Money()
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reminded_at = models.DateTimeField(null=True, blank=True)
    # Sums of the ledger, written only by fees.services.ledger in the booking's statement.
    paid = Money(default=ZERO)
    scholarships = Money(default=ZERO)
    refunded = Money(default=ZERO)
    remaining = models.GeneratedField(expression=_REMAINING, output_field=Money(), db_persist=True)
    paid_in_full = models.GeneratedField(
        expression=Case(
            When(Q(amount__lte=F("paid") + F("scholarships") - F("refunded")), then=Value(True)),
            default=Value(False),
        ),
        output_field=models.BooleanField(),
        db_persist=True,
    )
    state = models.GeneratedField(
        expression=Case(
            When(sent_at__isnull=True, then=Value(InvoiceState.NOT_SENT.value)),
            When(
                Q(amount__lte=F("paid") + F("scholarships") - F("refunded")),
                then=Value(InvoiceState.SETTLED.value),
            ),
            default=Value(InvoiceState.SENT.value),
        ),
        output_field=models.CharField(max_length=10, choices=InvoiceState.choices),
        db_persist=True,
    )

    class Meta:
        ordering = ["fee_period__study_period__start_date", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["fee_period", "person"], name="invoice_once_per_period"
            ),
            models.UniqueConstraint(fields=["institution", "number"], name="invoice_number_unique"),
            models.UniqueConstraint(fields=["institution", "ocr"], name="invoice_ocr_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="invoice_amount_positive"),
            models.CheckConstraint(
                condition=Q(paid__gte=0, scholarships__gte=0, refunded__gte=0),
                name="invoice_sums_not_negative",
            ),
            # A refund gives back money that was paid, never more.
            models.CheckConstraint(
                condition=Q(refunded__lte=F("paid")), name="invoice_refund_at_most_paid"
            ),
            models.CheckConstraint(
                condition=Q(ocr__regex=r"^[0-9]{2,25}$"), name="invoice_ocr_digits"
            ),
        ]
        indexes = [models.Index(fields=["person", "fee_period"], name="invoice_person_period")]

    def __str__(self) -> str:
        return f"{self.ocr} {self.amount}"

    @property
    def state_label(self) -> str:
        """S-FEE-2: Settled, Available (sent, unpaid) or Not available (not sent)."""
        return str(InvoiceState(self.state).label)

    @property
    def overpaid(self) -> Decimal:
        """More came in than the invoice asks for: the difference, to refund or keep."""
        return -self.remaining if self.remaining < 0 else ZERO

    @property
    def credited(self) -> Decimal:
        """What counts against the invoice: payments and scholarships less refunds."""
        return self.paid + self.scholarships - self.refunded


class Instalment(InstitutionOwned):
    """One part of an invoice with its due date. Paid in order: an instalment is paid when what
    the invoice has received covers it and every earlier one (fees.queries.instalment_rows)."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="instalment_rows")
    sequence = models.PositiveSmallIntegerField()
    amount = Money()
    due_date = models.DateField()

    class Meta:
        ordering = ["invoice", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "sequence"], name="instalment_once"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="instalment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.invoice_id}/{self.sequence}: {self.amount} by {self.due_date}"


class EntryKind(models.TextChoices):
    PAYMENT = "payment", pgettext_lazy("fee entry", "Payment")
    SCHOLARSHIP = "scholarship", pgettext_lazy("fee entry", "Scholarship")
    REFUND = "refund", pgettext_lazy("fee entry", "Refund")


class PaymentSource(models.TextChoices):
    BANK_FILE = "bank_file", pgettext_lazy("payment source", "Bank file")
    MANUAL = "manual", pgettext_lazy("payment source", "Entered by staff")


class InvoiceEntry(InstitutionOwned):
    """Money in (payment, scholarship) or out (refund) on one invoice: amount, the day it
    happened, and where it came from. Never changed or deleted; a mistake is mended with a new
    entry. Written only by fees.services.ledger."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=12, choices=EntryKind.choices)
    amount = Money()
    on_date = models.DateField()
    source = models.CharField(max_length=10, choices=PaymentSource.choices, blank=True)
    # The scholarship's name, or the reason for a refund.
    description = models.CharField(max_length=200, blank=True)
    bank_payment = models.OneToOneField(
        "BankPayment", null=True, blank=True, on_delete=models.PROTECT, related_name="entry"
    )
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["on_date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="entry_amount_positive"),
            models.CheckConstraint(
                condition=~Q(kind="payment") | ~Q(source=""), name="entry_payment_has_source"
            ),
            models.CheckConstraint(
                condition=Q(kind="payment") | ~Q(description=""),
                name="entry_scholarship_refund_described",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} on {self.on_date}"


class BankFileState(models.TextChoices):
    PREVIEW = "preview", pgettext_lazy("bank file state", "Waiting to be booked")
    BOOKED = "booked", pgettext_lazy("bank file state", "Booked")


class BankFile(InstitutionOwned):
    """A camt.054 file of incoming payments as uploaded. Booked once: the same file uploaded
    again (same SHA-256) finds this row. Service: fees.services.bank."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    content = models.TextField()
    message_id = models.CharField(max_length=100, blank=True)
    state = models.CharField(
        max_length=10, choices=BankFileState.choices, default=BankFileState.PREVIEW
    )
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    booked_at = models.DateTimeField(null=True, blank=True)
    booked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "sha256"], name="bankfile_once")
        ]

    def __str__(self) -> str:
        return self.name


class BankPaymentState(models.TextChoices):
    BOOKED = "booked", pgettext_lazy("bank payment state", "Booked")
    OVERPAID = "overpaid", pgettext_lazy("bank payment state", "Booked, more than owed")
    UNMATCHED = "unmatched", pgettext_lazy("bank payment state", "Not matched")
    HANDLED = "handled", pgettext_lazy("bank payment state", "Handled")


# What waits for a fee administrator (the bank inbox).
NEEDS_HANDLING = (BankPaymentState.OVERPAID, BankPaymentState.UNMATCHED)


class BankPayment(InstitutionOwned):
    """One incoming payment of a bank file, booked at most once: the bank's own reference for
    the transaction is unique per university, so a payment that comes again (the same file, a
    later file repeating it, two imports at once) is never booked twice. Matched payments are
    booked on their invoice; unmatched and overpaid ones wait for a fee administrator."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    bank_file = models.ForeignKey(BankFile, on_delete=models.PROTECT, related_name="payments")
    bank_reference = models.CharField(max_length=100)
    reference = models.CharField(max_length=40, blank=True)
    amount = Money()
    currency = models.CharField(max_length=3, default="SEK")
    booking_date = models.DateField()
    debtor = models.CharField(max_length=140, blank=True)
    state = models.CharField(max_length=10, choices=BankPaymentState.choices)
    # Why it was not matched (wrong check digit, unknown reference, another currency).
    problem = models.CharField(max_length=200, blank=True)
    invoice = models.ForeignKey(
        Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="bank_payments"
    )
    handled_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    handling_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["booking_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "bank_reference"], name="bankpayment_once"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="bankpayment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.bank_reference} {self.amount}"


class FeeEventKind(models.TextChoices):
    LIABILITY = "liability", pgettext_lazy("fee event", "Liability decided")
    PERIOD_SAVED = "period_saved", pgettext_lazy("fee event", "Fee period saved")
    INVOICE_CREATED = "invoice_created", pgettext_lazy("fee event", "Invoice created")
    INVOICE_SENT = "invoice_sent", pgettext_lazy("fee event", "Invoice sent")
    REMINDED = "reminded", pgettext_lazy("fee event", "Reminder sent")
    PAYMENT = "payment", pgettext_lazy("fee event", "Payment booked")
    SCHOLARSHIP = "scholarship", pgettext_lazy("fee event", "Scholarship recorded")
    REFUND = "refund", pgettext_lazy("fee event", "Refund recorded")
    FILE_BOOKED = "file_booked", pgettext_lazy("fee event", "Bank file booked")
    PAYMENT_HANDLED = "payment_handled", pgettext_lazy("fee event", "Bank payment handled")


class FeeEvent(InstitutionOwned):
    """The history of the fee records: who did what, when, to which student or invoice, with
    the amount where money moved. Written by the service in the act's transaction; never
    changed."""

    kind = models.CharField(max_length=20, choices=FeeEventKind.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    invoice = models.ForeignKey(
        Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    fee_period = models.ForeignKey(
        FeePeriod, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    amount = Money(null=True, blank=True)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["institution", "-at"], name="feeevent_recent")]

    def __str__(self) -> str:
        return f"{self.kind} at {self.at}"
