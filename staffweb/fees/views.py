"""The fee administrator's pages (#15 build point 3): fee periods with the preview and creation of
their invoices and sending them, each invoice with its money and history (scholarships, refunds,
payments by hand), fee liabilities and exemptions, and payments from the bank: a camt.054 file
uploaded, previewed, booked; unmatched and overpaid payments handled in the inbox (B-7).

Fee administrators of the current university only (fees.rules.administers_fees_at); everyone
else with a staff role gets 403, students the page that sends them back. Another university's
period, invoice, file or payment is a 404.
"""

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fees import staff_queries as queries
from fees.errors import FeeError
from fees.models import EntryKind
from fees.rules import administers_fees_at
from fees.services import admin, bank, invoicing, ledger
from ladokportal.attempts import attempt
from staffweb.access import require
from staffweb.fees.forms import (
    AssignForm,
    CloseForm,
    LiabilityForm,
    MoneyForm,
    PeriodForm,
    UploadForm,
)


def _found(row):
    if row is None:
        raise Http404
    return row


# --- Fee periods and their invoices -------------------------------------------------------------


@require_GET
@require(administers_fees_at)
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "staffweb/fees/home.html",
        {
            "periods": queries.periods(request.institution),
            "waiting": queries.inbox(request.institution).count(),
        },
    )


@require_http_methods(["GET", "POST"])
@require(administers_fees_at)
def period_new(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = PeriodForm(request.POST if posted else None, institution=request.institution)
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            period = admin.save_period(
                request.user,
                institution=request.institution,
                instance=data["instance"],
                study_period=data["study_period"],
                credits=data["credits"],
                amount=data["amount"],
                instalments=data["instalments"],
                first_due_date=data["first_due_date"],
            )
        except FeeError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("The fee period is saved."))
            return redirect("staff_fee_period", period_id=period.public_id)
    return render(request, "staffweb/fees/period_form.html", {"form": form})


@require_GET
@require(administers_fees_at)
def period(request: HttpRequest, period_id: uuid.UUID) -> HttpResponse:
    """The period, who would get an invoice now (the preview) and the invoices it has."""
    found = _found(queries.period(request.institution, period_id))
    invoices = list(queries.period_invoices(found))
    return render(
        request,
        "staffweb/fees/period.html",
        {
            "period": found,
            "planned": invoicing.preview(found),
            "plan": invoicing.split(found),
            "invoices": invoices,
            "unsent": sum(1 for i in invoices if i.sent_at is None),
        },
    )


@require_POST
@require(administers_fees_at)
def period_create_invoices(request: HttpRequest, period_id: uuid.UUID) -> HttpResponse:
    found = _found(queries.period(request.institution, period_id))
    attempt(
        request,
        lambda: invoicing.create_invoices(request.user, period=found),
        lambda count: _("%(count)s invoices created.") % {"count": count},
    )
    return redirect("staff_fee_period", period_id=found.public_id)


@require_POST
@require(administers_fees_at)
def period_send_invoices(request: HttpRequest, period_id: uuid.UUID) -> HttpResponse:
    found = _found(queries.period(request.institution, period_id))
    attempt(
        request,
        lambda: invoicing.send_invoices(request.user, period=found),
        lambda count: _("%(count)s invoices sent.") % {"count": count},
    )
    return redirect("staff_fee_period", period_id=found.public_id)


@require_http_methods(["GET", "POST"])
@require(administers_fees_at)
def invoice(request: HttpRequest, invoice_id: uuid.UUID) -> HttpResponse:
    """The invoice with its instalments, money and history; the form records a scholarship, a
    refund or a payment entered by hand."""
    found = _found(queries.invoice(request.institution, invoice_id))
    posted = request.method == "POST"
    form = MoneyForm(request.POST if posted else None)
    kind = request.POST.get("kind", "")
    if posted and form.is_valid() and kind in EntryKind.values:
        data = form.cleaned_data
        common = {"invoice": found, "amount": data["amount"], "on_date": data["on_date"]}
        acts = {
            EntryKind.PAYMENT: lambda: ledger.record_payment(request.user, **common),
            EntryKind.SCHOLARSHIP: lambda: ledger.record_scholarship(
                request.user, scholarship=data["description"], **common
            ),
            EntryKind.REFUND: lambda: ledger.record_refund(
                request.user, reason=data["description"], **common
            ),
        }
        if attempt(request, acts[kind], _("Recorded.")):
            return redirect("staff_fee_invoice", invoice_id=found.public_id)
    from fees.queries import instalment_rows

    return render(
        request,
        "staffweb/fees/invoice.html",
        {
            "invoice": found,
            "instalments": instalment_rows(found, list(found.instalment_rows.all())),
            "entries": list(found.entries.all()),
            "history": queries.invoice_history(found),
            "form": form,
            "kinds": EntryKind.choices,
        },
    )


# --- Liabilities ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require(administers_fees_at)
def liabilities(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = LiabilityForm(request.POST if posted else None)
    if posted and form.is_valid():
        data = form.cleaned_data
        person = queries.person_by_identity_number(data["identity_number"])
        if person is None:
            form.add_error("identity_number", _("No student has that personal identity number."))
        elif attempt(
            request,
            lambda: admin.decide_liability(
                request.user,
                institution=request.institution,
                person=person,
                liable=data["decision"] == "liable",
                ground=data["ground"],
                note=data["note"],
            ),
            _("The decision is saved."),
        ):
            return redirect("staff_fee_liabilities")
    return render(
        request,
        "staffweb/fees/liabilities.html",
        {"form": form, "liabilities": queries.liabilities(request.institution)[:200]},
    )


# --- Bank files and the inbox (B-7) ---------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require(administers_fees_at)
def bank_files(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = UploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            bank_file = bank.upload(
                request.user,
                institution=request.institution,
                name=upload.name,
                data=upload.read(),
            )
        except FeeError as error:
            form.add_error("file", str(error.message))
        else:
            return redirect("staff_fee_bank_file", file_id=bank_file.public_id)
    return render(
        request,
        "staffweb/fees/bank_files.html",
        {"form": form, "files": queries.bank_files(request.institution)[:100]},
    )


@require_http_methods(["GET", "POST"])
@require(administers_fees_at)
def bank_file(request: HttpRequest, file_id: uuid.UUID) -> HttpResponse:
    """The preview of what booking the file does; the POST books it."""
    found = _found(queries.bank_file(request.institution, file_id))
    if request.method == "POST":
        outcome = attempt(
            request,
            lambda: bank.book(request.user, bank_file=found),
            _("The file is booked."),
        )
        if outcome:
            return redirect("staff_fee_inbox")
        return redirect("staff_fee_bank_file", file_id=found.public_id)
    return render(
        request,
        "staffweb/fees/bank_file.html",
        {"bank_file": found, "preview": bank.preview(found)},
    )


@require_GET
@require(administers_fees_at)
def inbox(request: HttpRequest) -> HttpResponse:
    handled = request.GET.get("show") == "handled"
    return render(
        request,
        "staffweb/fees/inbox.html",
        {"payments": queries.inbox(request.institution, handled=handled)[:500], "handled": handled},
    )


@require_http_methods(["GET", "POST"])
@require(administers_fees_at)
def bank_payment(request: HttpRequest, payment_id: uuid.UUID) -> HttpResponse:
    """One payment of the inbox: book it on an invoice found by hand, or close it with a note."""
    found = _found(queries.bank_payment(request.institution, payment_id))
    assign_form = AssignForm(request.POST if request.POST.get("act") == "assign" else None)
    close_form = CloseForm(request.POST if request.POST.get("act") == "close" else None)
    if assign_form.is_bound and assign_form.is_valid():
        target = queries.invoice_by_ocr(request.institution, assign_form.cleaned_data["reference"])
        if target is None:
            assign_form.add_error("reference", _("No invoice has that reference number."))
        elif attempt(
            request,
            lambda: bank.assign(
                request.user,
                bank_payment=found,
                invoice=target,
                note=assign_form.cleaned_data["note"],
            ),
            _("The payment is booked on the invoice."),
        ):
            return redirect("staff_fee_inbox")
    if (
        close_form.is_bound
        and close_form.is_valid()
        and attempt(
            request,
            lambda: bank.close(
                request.user, bank_payment=found, note=close_form.cleaned_data["note"]
            ),
            _("The payment is marked as handled."),
        )
    ):
        return redirect("staff_fee_inbox")
    return render(
        request,
        "staffweb/fees/bank_payment.html",
        {"payment": found, "assign_form": assign_form, "close_form": close_form},
    )
