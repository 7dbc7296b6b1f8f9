"""The student's tuition fees (S-FEE-1..4): invoices, payments and upcoming instalments grouped
by course or programme instance, each invoice expanding to its details (a <details> element,
so it works without JavaScript), and the university's local text. Read through the logged-in
person: another student's invoice is simply not there."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from fees import queries
from institutions.models import LocalTextSlot
from institutions.queries import local_text
from people.access import student_required


@require_GET
@student_required
def fees(request: HttpRequest) -> HttpResponse:
    settings = request.institution.settings
    return render(
        request,
        "studentweb/fees/invoices.html",
        {
            "groups": queries.student_invoices(request.user.person),
            "local_text": local_text(request.institution, LocalTextSlot.FEES),
            "invoice_download": settings.invoice_download,
            "payment_confirmations": settings.payment_confirmations,
        },
    )
