"""The student's certificates (S-CERT-1..4, B-2, B-5): the list with the form that creates one,
the certificate's page with its progress, document, check code, frozen content and verification
log, the state box the page polls while the worker renders, the download and the retry.

Reads go through certificates.queries (always through the logged-in person: someone else's
certificate is a 404), writes through certificates.services. Alumni reach these pages too.
"""

import uuid

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from certificates import queries, services
from certificates.downloads import pdf_response
from certificates.errors import CertificateError
from certificates.forms import CertificateForm
from certificates.models import Certificate, CertificateLanguage, CertificateState, RenderStep
from ladokportal import clock
from people.access import student_required
from people.middleware import alumni_allowed

PAGE = "studentweb/certificates/certificate.html"
# The progress shown while the worker renders (S-CERT-4), in the order it happens.
STEPS = [RenderStep.WAITING, RenderStep.LAYOUT, RenderStep.SEALING, RenderStep.STORING]


def _list_page(request: HttpRequest, form: CertificateForm, status: int = 200) -> HttpResponse:
    person = request.user.person
    context = {
        "form": form,
        "certificates": queries.student_certificates(person, clock.today()),
        "doctoral": queries.has_doctoral_programme(person, request.institution),
    }
    return render(request, "studentweb/certificates/list.html", context, status=status)


def _new_form() -> CertificateForm:
    language = (get_language() or "").split("-")[0]
    initial = {"language": language} if language in CertificateLanguage.values else {}
    return CertificateForm(initial=initial)


def _state(certificate: Certificate) -> dict:
    """What the state box shows: the state, the steps of the render with the current one, and
    the marker the polling sends back so that an unchanged state is not swapped in again."""
    current = 0
    if certificate.state == CertificateState.RENDERING:
        current = STEPS.index(certificate.step) if certificate.step in STEPS[1:] else 1
    steps = [
        {"label": step.label, "done": n < current, "current": n == current}
        for n, step in enumerate(STEPS)
    ]
    return {
        "certificate": certificate,
        "steps": steps,
        "marker": f"{certificate.state}:{certificate.step}",
    }


def _page_url(certificate: Certificate) -> str:
    return reverse("certificate", args=[certificate.public_id])


@alumni_allowed
@require_http_methods(["GET", "POST"])
@student_required
def certificates(request: HttpRequest) -> HttpResponse:
    """S-CERT-1, S-CERT-3: the valid certificates and the form; POST creates one (the form's
    one-time key makes a second submit find the first) and goes to its page."""
    if request.method == "GET":
        return _list_page(request, _new_form())
    form = CertificateForm(request.POST)
    if not form.is_valid():
        return _list_page(request, form, status=400)
    certificate = form.create(
        request.user, person=request.user.person, institution=request.institution
    )
    if certificate is None:
        return _list_page(request, form, status=400)
    messages.success(
        request,
        _(
            "Your certificate is being created. It takes a moment; this page shows when it is "
            "ready, and you will also get an e-mail."
        ),
    )
    return redirect(_page_url(certificate))


def _certificate(request: HttpRequest, public_id: uuid.UUID) -> Certificate:
    certificate = queries.student_certificate_state(request.user.person, public_id)
    if certificate is None:
        raise Http404
    return certificate


@alumni_allowed
@student_required
def certificate(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """S-CERT-2..4, B-5: the certificate as it was frozen, its state and its verification log."""
    found = queries.student_certificate(request.user.person, public_id)
    if found is None:
        raise Http404
    context = {
        **_state(found),
        "c": found.content,
        "part": queries.content_part(found.content),
        "expired": found.valid_until < clock.today(),
    }
    return render(request, PAGE, context)


@alumni_allowed
@student_required
def certificate_status(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """S-CERT-4: the state box alone, polled by the page while the worker renders; once the
    certificate is ready or has failed the box comes back without the poll. While nothing has
    changed since the marker the page sent, 204: htmx leaves the box (and screen readers) alone."""
    context = _state(_certificate(request, public_id))
    if request.GET.get("seen") == context["marker"]:
        return HttpResponse(status=204)
    return render(request, f"{PAGE}#state", context)


@alumni_allowed
@student_required
def certificate_download(request: HttpRequest, public_id: uuid.UUID) -> FileResponse:
    """The sealed PDF, only to its owner, only when it is ready."""
    found = _certificate(request, public_id)
    if not found.is_ready:
        raise Http404
    return pdf_response(found)


@alumni_allowed
@require_POST
@student_required
def certificate_retry(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """S-CERT-4: a failed certificate goes back to the worker as the same row; a second click
    changes nothing."""
    found = _certificate(request, public_id)
    try:
        found = services.retry(request.user, found)
    except CertificateError as error:
        messages.error(request, error.message)
        return redirect(_page_url(found))
    if request.htmx:
        return render(request, f"{PAGE}#state", _state(found))
    messages.success(request, _("We are trying again to create your certificate."))
    return redirect(_page_url(found))
