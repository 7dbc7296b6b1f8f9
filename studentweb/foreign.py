"""Foreign merits (S-EMREX-1), where the university offers Emrex (G-4): the student's merits
fetched from abroad, the choice of a contact point, the hand-over to it (a plain form posting
the session id and the return URL), the return the contact point posts back, and the export of
the student's own certified results as signed ELMO."""

from urllib.parse import urlsplit

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from django_scopes import scopes_disabled

from emrex import queries, services
from emrex.models import ContactPoint
from ladokportal.errors import DomainError
from people.access import student_required


def _enabled(request: HttpRequest) -> None:
    if request.institution is None or not request.institution.settings.emrex:
        raise Http404


@require_GET
@student_required
def foreign_merits(request: HttpRequest) -> HttpResponse:
    _enabled(request)
    person = request.user.person
    return render(
        request,
        "studentweb/foreign/merits.html",
        {
            "merits": queries.merits(person),
            "contact_points": queries.contact_points(),
            "latest": queries.latest_session(person),
        },
    )


class ContactPointChoice(forms.Form):
    contact_point = forms.SlugField(max_length=40)


@require_POST
@student_required
def foreign_merits_start(request: HttpRequest) -> HttpResponse:
    """Open a session and hand the student over to the contact point they chose."""
    _enabled(request)
    # Through a form field, so that a value no code can be (too long, a NUL byte) is refused
    # here rather than by the database.
    chosen = ContactPointChoice(request.POST)
    contact_point = (
        ContactPoint.objects.filter(code=chosen.cleaned_data["contact_point"], active=True).first()
        if chosen.is_valid()
        else None
    )
    if contact_point is None:
        messages.error(request, _("Choose a contact point."))
        return redirect("foreign_merits")
    session = services.start_import(
        request.user.person, institution=request.institution, contact_point=contact_point
    )
    response = render(
        request,
        "studentweb/foreign/hand_over.html",
        {
            "contact_point": contact_point,
            "session_id": session.session_id,
            "return_url": request.build_absolute_uri(reverse("foreign_merits_return")),
        },
    )
    # The hand-over form posts to the contact point's own site.
    parts = urlsplit(contact_point.url)
    response._csp_update = {"form-action": [f"{parts.scheme}://{parts.netloc}"]}
    return response


@csrf_exempt  # posted by the contact point's page; the session id is the proof
@login_not_required
@require_POST
def foreign_merits_return(request: HttpRequest) -> HttpResponse:
    """The EMREX answer: accepted results are stored, anything else is refused; either way the
    outcome is kept on the session and the student sees it on Foreign merits."""
    # The session id names the university and the student, whatever login travels with the
    # post from the contact point's site.
    with scopes_disabled():
        try:
            stored = services.receive(
                session_id=request.POST.get("sessionId", "")[:100],
                return_code=request.POST.get("returnCode", "")[:40],
                document=request.POST.get("elmo", ""),
            )
        except DomainError as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(
                request,
                _("%(count)s results were imported.") % {"count": len(stored)},
            )
    return redirect("foreign_merits")


@require_GET
@student_required
def foreign_merits_export(request: HttpRequest) -> HttpResponse:
    """The student's certified results here as signed ELMO, for a foreign university."""
    _enabled(request)
    xml = services.export(request.user.person, institution=request.institution)
    response = HttpResponse(xml, content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="elmo-{request.institution.code}.xml"'
    response["Cache-Control"] = "private, no-store"
    return response
