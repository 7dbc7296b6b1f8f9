"""A student's certificates as a study administrator sees them (S-CERT-1..4, T-ADM-2, B-5): every
certificate of the student at the current university, expired ones too, who created each and how
often it was checked; a certificate created on the student's behalf (the same form and service as
the student's own page); one certificate with its state, its frozen content, its file, what went
wrong when it failed, a retry, and its verification log.

Only study administrators of the current university reach these pages; the student is found
through the university (registration.staff_queries.student_at), so another university's student
is 404 here, and each certificate through that student.
"""

import uuid

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from certificates import services, staff_queries
from certificates.downloads import pdf_response
from certificates.forms import CertificateForm
from certificates.models import CertificateKind, CertificateLanguage
from ladokportal import clock
from people.models import Person
from people.rules import administers_studies_at
from registration.staff_queries import student_at
from staffweb.access import require

LIST_TEMPLATE = "staffweb/students/certificates.html"
DETAIL_TEMPLATE = "staffweb/students/certificate.html"
# htmx stops polling on this status (the certificate is no longer in progress).
STOP_POLLING = 286
# The options of the two transcripts, shown together under their own legend.
TRANSCRIPT_FIELDS = ("completed_only", "include_modules", "include_failed")


def _student_or_404(request: HttpRequest, person_id: uuid.UUID) -> Person:
    person = student_at(request.institution, person_id)
    if person is None:
        raise Http404
    return person


def _create(request: HttpRequest, person: Person, form: CertificateForm) -> HttpResponse | None:
    """The certificate asked for, or None with the reason on the form (nothing saved)."""
    certificate = form.create(request.user, person=person, institution=request.institution)
    if certificate is None:
        return None
    messages.success(
        request,
        # Not "being created": without a worker the document is ready before this page shows,
        # and the state card below says how far it has come (#12 point 6).
        _("The certificate for %(name)s is ordered: %(kind)s (%(language)s).")
        % {
            "name": person.full_name,
            "kind": CertificateKind(certificate.kind).label,
            "language": CertificateLanguage(certificate.language).label,
        },
    )
    return redirect(
        "staff_certificate", person_id=person.public_id, public_id=certificate.public_id
    )


def _staff_form(*args, **kwargs) -> CertificateForm:
    """The national transcript shows every university's results: only the student asks for it
    (certificates.services refuses it to staff as well)."""
    form = CertificateForm(*args, **kwargs)
    form.fields["kind"].choices = [
        choice
        for choice in form.fields["kind"].choices
        if choice[0] != CertificateKind.NATIONAL_TRANSCRIPT
    ]
    return form


@require_http_methods(["GET", "POST"])
@require(administers_studies_at)
def certificate_list(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """GET: the student's certificates and the form; POST: create one on the student's behalf
    (S-CERT-1), then its page. A refused request shows the form again with the reason."""
    person = _student_or_404(request, person_id)
    if request.method == "POST":
        form = _staff_form(request.POST)
        if form.is_valid():
            created = _create(request, person, form)
            if created is not None:
                return created
    else:
        form = _staff_form(initial={"language": person.language})
    context = {
        "person": person,
        "rows": staff_queries.certificates_of(person, request.institution, clock.today()),
        "form": form,
        "transcript_fields": [form[name] for name in TRANSCRIPT_FIELDS],
        "doctoral": staff_queries.takes_doctoral_options(person, request.institution),
    }
    return render(request, LIST_TEMPLATE, context, status=400 if form.errors else 200)


@never_cache
@vary_on_headers("HX-Request")
@require_GET
@require(administers_studies_at)
def certificate_page(
    request: HttpRequest, person_id: uuid.UUID, public_id: uuid.UUID
) -> HttpResponse:
    """The certificate's state, file, content and log; for htmx (polling while the worker
    renders) the state box alone, with 286 once there is nothing more to wait for."""
    person = _student_or_404(request, person_id)
    detail = staff_queries.certificate_of(person, request.institution, public_id, clock.today())
    if detail is None:
        raise Http404
    context = {"person": person, "detail": detail, "certificate": detail.certificate}
    if request.htmx:
        status = 200 if detail.certificate.in_progress else STOP_POLLING
        return render(request, DETAIL_TEMPLATE + "#state", context, status=status)
    return render(request, DETAIL_TEMPLATE, context)


@never_cache
@require_GET
@require(administers_studies_at)
def certificate_download(
    request: HttpRequest, person_id: uuid.UUID, public_id: uuid.UUID
) -> FileResponse:
    """The sealed PDF, as a download (never shown inline from our origin)."""
    person = _student_or_404(request, person_id)
    certificate = staff_queries.certificate_file(person, request.institution, public_id)
    if certificate is None:
        raise Http404
    return pdf_response(certificate)


@require_POST
@require(administers_studies_at)
def certificate_retry(
    request: HttpRequest, person_id: uuid.UUID, public_id: uuid.UUID
) -> HttpResponse:
    """S-CERT-4: a failed certificate goes back to the worker as the same row."""
    person = _student_or_404(request, person_id)
    detail = staff_queries.certificate_of(person, request.institution, public_id, clock.today())
    if detail is None:
        raise Http404
    certificate = services.retry(request.user, detail.certificate)
    if certificate.in_progress:
        messages.success(request, _("The certificate is being created again."))
    return redirect("staff_certificate", person_id=person.public_id, public_id=public_id)
