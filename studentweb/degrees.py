"""The student's degree pages (S-DEG-1..5): the page named after what the student may apply for,
issued certificates with their contents, PDF and shares, cases until issued, and the multi-step
application (which certificate, which courses with the audit, how to receive it, confirm) with
the university's local text at every step and the draft kept in the session between steps.
Alumni reach every page here (S-AUTH-2). Reads through degrees.queries, writes through
degrees.services and degrees.sharing, always through the logged-in person.
"""

import uuid

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from certificates.downloads import pdf_response
from degrees import queries, services, sharing
from degrees.errors import DegreeError
from degrees.inputs import completed_courses
from degrees.models import DegreeKind, DegreeShare, Delivery, IssuedDegree
from institutions.models import LocalTextSlot
from institutions.queries import local_text
from ladokportal.attempts import attempt
from people.access import student_required
from people.middleware import alumni_allowed
from studentweb.degree_forms import CoursesForm, DeliveryForm, KindForm, ShareForm

STEPS = ("kind", "courses", "delivery", "confirm")


def _draft_key(request: HttpRequest) -> str:
    return f"degree_draft:{request.institution.pk}"


def _draft(request: HttpRequest) -> dict:
    return dict(request.session.get(_draft_key(request)) or {})


def _save_draft(request: HttpRequest, draft: dict) -> None:
    request.session[_draft_key(request)] = draft


def _settings(request: HttpRequest):
    return getattr(request.institution, "settings", None)


@alumni_allowed
@student_required
def degrees_home(request: HttpRequest) -> HttpResponse:
    """S-DEG-1..3: issued certificates and the cases not yet issued."""
    overview = queries.student_overview(request.user.person)
    context = {"overview": overview, "page_name": queries.page_name(_settings(request))}
    return render(request, "studentweb/degrees/home.html", context)


# --- The application (S-DEG-4) ------------------------------------------------------------------


def _step_context(request: HttpRequest, step: str, slot: str | None, **extra) -> dict:
    return {
        "step": step,
        "step_number": STEPS.index(step) + 1,
        "step_count": len(STEPS),
        "local": local_text(request.institution, slot) if slot else None,
        "page_name": queries.page_name(_settings(request)),
        **extra,
    }


def _chosen_kind(request: HttpRequest, draft: dict) -> DegreeKind | None:
    if not draft.get("kind"):
        return None
    return queries.offered_kinds(_settings(request)).filter(public_id=draft["kind"]).first()


@alumni_allowed
@require_http_methods(["GET", "POST"])
@student_required
def apply_kind(request: HttpRequest) -> HttpResponse:
    """Step 1: which certificate."""
    kinds = list(queries.offered_kinds(_settings(request)))
    draft = _draft(request)
    form = KindForm(request.POST or None, kinds=kinds, initial={"kind": draft.get("kind")})
    if request.method == "POST" and form.is_valid():
        if draft.get("kind") != form.cleaned_data["kind"]:
            draft = {"kind": form.cleaned_data["kind"], "key": str(uuid.uuid4())}
        _save_draft(request, draft)
        return redirect("degree_apply_courses")
    context = _step_context(request, "kind", LocalTextSlot.DEGREE_STEP1, form=form, kinds=kinds)
    return render(
        request, "studentweb/degrees/apply.html", context, status=400 if form.errors else 200
    )


@alumni_allowed
@require_http_methods(["GET", "POST"])
@student_required
def apply_courses(request: HttpRequest) -> HttpResponse:
    """Step 2: which courses to include, with the audit of the chosen ones."""
    draft = _draft(request)
    kind = _chosen_kind(request, draft)
    if kind is None:
        return redirect("degree_apply")
    person = request.user.person
    completed = completed_courses(person, request.institution)
    initial = draft.get("courses") or [c.course_id for c in completed]
    form = CoursesForm(request.POST or None, completed=completed, initial={"courses": initial})
    chosen = initial
    status = 200
    if request.method == "POST":
        if form.is_valid():
            chosen = form.cleaned_data["courses"]
            draft["courses"] = chosen
            _save_draft(request, draft)
            if "next" in request.POST:
                return redirect("degree_apply_delivery")
        else:
            chosen, status = [], 400
    verdict = queries.audit_of(person, kind, chosen, completed=completed)
    context = _step_context(
        request, "courses", LocalTextSlot.DEGREE_STEP2, form=form, kind=kind, audit=verdict
    )
    return render(request, "studentweb/degrees/apply.html", context, status=status)


@alumni_allowed
@require_http_methods(["GET", "POST"])
@student_required
def apply_delivery(request: HttpRequest) -> HttpResponse:
    """Step 3: how to receive it."""
    draft = _draft(request)
    kind = _chosen_kind(request, draft)
    if kind is None or not draft.get("courses"):
        return redirect("degree_apply")
    digital = bool(getattr(_settings(request), "digital_degree", False))
    initial = draft.get("delivery") or (Delivery.DIGITAL if digital else Delivery.PAPER)
    form = DeliveryForm(request.POST or None, digital=digital, initial={"delivery": initial})
    if request.method == "POST" and form.is_valid():
        draft["delivery"] = form.cleaned_data["delivery"]
        _save_draft(request, draft)
        return redirect("degree_apply_confirm")
    context = _step_context(request, "delivery", LocalTextSlot.DEGREE_STEP3, form=form, kind=kind)
    return render(
        request, "studentweb/degrees/apply.html", context, status=400 if form.errors else 200
    )


@alumni_allowed
@require_http_methods(["GET", "POST"])
@student_required
def apply_confirm(request: HttpRequest) -> HttpResponse:
    """Step 4: what will be sent, with the audit; sending makes the case."""
    draft = _draft(request)
    kind = _chosen_kind(request, draft)
    if kind is None or not draft.get("courses") or not draft.get("delivery"):
        return redirect("degree_apply")
    person = request.user.person
    completed = completed_courses(person, request.institution)
    if request.method == "POST":
        try:
            case = services.submit(
                request.user,
                person=person,
                institution=request.institution,
                kind=kind,
                course_ids=draft["courses"],
                delivery=draft["delivery"],
                request_key=uuid.UUID(draft["key"]),
            )
        except DegreeError as error:
            messages.error(request, error.message)
        else:
            request.session.pop(_draft_key(request), None)
            messages.success(
                request,
                _("Your application has been sent. Case %(number)s.") % {"number": case.number},
            )
            return redirect("degree_case", public_id=case.public_id)
    verdict = queries.audit_of(person, kind, draft["courses"], completed=completed)
    context = _step_context(
        request,
        "confirm",
        None,
        kind=kind,
        audit=verdict,
        delivery=Delivery(draft["delivery"]).label,
    )
    return render(request, "studentweb/degrees/apply.html", context)


# --- Cases and issued certificates (S-DEG-2, S-DEG-3) -------------------------------------------


@alumni_allowed
@student_required
def degree_case(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = queries.student_case(request.user.person, public_id)
    if case is None:
        raise Http404
    return render(request, "studentweb/degrees/case.html", {"case": case})


def _degree(request: HttpRequest, public_id: uuid.UUID) -> IssuedDegree:
    degree = queries.student_degree(request.user.person, public_id)
    if degree is None:
        raise Http404
    return degree


@alumni_allowed
@student_required
def degree_page(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """S-DEG-2, S-DEG-5: the frozen contents, the PDF where there is one, the shares."""
    degree = _degree(request, public_id)
    settings = _settings(request)
    context = {
        "degree": degree,
        "c": degree.content,
        "shares": queries.shares(degree),
        "sharing": bool(getattr(settings, "degree_sharing", False)) and not degree.withdrawn,
        "share_form": ShareForm(),
    }
    return render(request, "studentweb/degrees/degree.html", context)


@alumni_allowed
@student_required
def degree_download(request: HttpRequest, public_id: uuid.UUID) -> FileResponse:
    degree = _degree(request, public_id)
    if degree.document is None or not degree.document.is_ready or degree.withdrawn:
        raise Http404
    return pdf_response(degree.document)


@alumni_allowed
@require_POST
@student_required
def share_create(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    degree = _degree(request, public_id)
    form = ShareForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the last day as a date, or leave it empty."))
        return redirect("degree_page", public_id=degree.public_id)
    attempt(
        request,
        lambda: sharing.create_share(
            request.user, degree, expires_on=form.cleaned_data["expires_on"]
        ),
        lambda share: (
            _("A share has been created. Its code is %(code)s.") % {"code": share.display_code}
        ),
    )
    return redirect("degree_page", public_id=degree.public_id)


@alumni_allowed
@require_POST
@student_required
def share_revoke(request: HttpRequest, public_id: uuid.UUID, share_id: uuid.UUID) -> HttpResponse:
    degree = _degree(request, public_id)
    share = DegreeShare.objects.filter(degree=degree, public_id=share_id).first()
    if share is None:
        raise Http404
    share.degree = degree
    attempt(
        request,
        lambda: sharing.revoke_share(request.user, share),
        _("The share has been revoked. Its code no longer works."),
    )
    return redirect("degree_page", public_id=degree.public_id)
