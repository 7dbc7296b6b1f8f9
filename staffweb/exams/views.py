"""Staff pages for activity sessions (T-ADM-3, T-DEAD-1, T-ANON-1; issue #4, point 5): study
administrators of the current university list, create and edit the sessions they manage, add
and remove participants, export the participant list and, in special cases, list the
anonymisation codes of an anonymous exam with a recorded reason.

Other staff get 403; a session of another university is a 404, one whose courses the person
does not manage a 403. Identity numbers travel only in POST bodies, never in URLs.
"""

import re
import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from exams import exports, services, staff_queries, staff_services
from exams.models import ActivitySession
from ladokportal import clock
from ladokportal.attempts import attempt
from ladokportal.errors import NotAllowed
from people.rules import administers_studies_at
from registration.staff_queries import find_student
from staffweb.access import require
from staffweb.exams.forms import CodeListingForm, ExportForm, ParticipantForm, SessionForm


def _session_or_404(request: HttpRequest, session_id: uuid.UUID) -> ActivitySession:
    """The session in the URL: 404 outside the current university, 403 for a session the study
    administrator does not manage (a role narrowed to other courses)."""
    session = staff_queries.session_at(request.user, request.institution, session_id)
    if session is None:
        raise Http404
    if not session.managed:
        raise NotAllowed
    return session


@require_GET
@require(administers_studies_at)
def session_list(request: HttpRequest) -> HttpResponse:
    listing = staff_queries.session_list(request.user, request.institution)
    return render(request, "staffweb/exams/list.html", {"listing": listing})


def _session_form(request: HttpRequest, session: ActivitySession | None) -> SessionForm:
    today = clock.today()
    instances = staff_queries.course_instance_choices(
        request.user, request.institution, today, session
    )
    posted = request.method == "POST"
    return SessionForm(
        request.POST if posted else None,
        initial=SessionForm.initial_from(session) if session and not posted else None,
        course_instances=instances,
        modules=staff_queries.module_choices(instances),
        retakes=staff_queries.retake_choices(request.user, request.institution, today, session),
    )


def _save(request: HttpRequest, form: SessionForm, session: ActivitySession | None):
    """The saved session, or None with the service's refusals put on the form's fields."""
    if not form.is_valid():
        return None
    data = form.data_for_service()
    try:
        if session is None:
            return staff_services.create_session(
                request.user, institution=request.institution, data=data
            )
        return staff_services.update_session(request.user, session=session, data=data)
    except staff_services.SessionError as error:
        form.add_error(None, error.as_validation_error())
    return None


@require_http_methods(["GET", "POST"])
@require(administers_studies_at)
def session_create(request: HttpRequest) -> HttpResponse:
    form = _session_form(request, None)
    if request.method == "POST":
        session = _save(request, form, None)
        if session is not None:
            messages.success(
                request, _("The session %(label)s is created.") % {"label": session.label}
            )
            return redirect("staff_exam", session_id=session.public_id)
    return render(request, "staffweb/exams/form.html", {"form": form, "session": None})


@require_http_methods(["GET", "POST"])
@require(administers_studies_at)
def session_edit(request: HttpRequest, session_id: uuid.UUID) -> HttpResponse:
    session = _session_or_404(request, session_id)
    form = _session_form(request, session)
    if request.method == "POST":
        saved = _save(request, form, session)
        if saved is not None:
            messages.success(request, _("The changes are saved."))
            return redirect("staff_exam", session_id=saved.public_id)
    return render(request, "staffweb/exams/form.html", {"form": form, "session": session})


@require_GET
@require(administers_studies_at)
def session_detail(request: HttpRequest, session_id: uuid.UUID) -> HttpResponse:
    session = _session_or_404(request, session_id)
    row = staff_queries.session_row(session)
    return render(
        request,
        "staffweb/exams/detail.html",
        {
            "session": session,
            "participants": staff_queries.participants(session),
            "deadline": row.deadline,
            "overdue": row.overdue,
            "missing": row.missing,
            "participant_form": ParticipantForm(),
            "codes_form": CodeListingForm(),
        },
    )


def _back_to(session: ActivitySession, anchor: str = "participants") -> HttpResponse:
    response = redirect("staff_exam", session_id=session.public_id)
    response["Location"] += f"#{anchor}"
    return response


@require_POST
@require(administers_studies_at)
def participant_add(request: HttpRequest, session_id: uuid.UUID) -> HttpResponse:
    session = _session_or_404(request, session_id)
    form = ParticipantForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["number"]))
        return _back_to(session)
    person = find_student(request.institution, form.cleaned_data["number"])
    if person is None:
        messages.error(
            request,
            _("No student with that number at %(university)s.")
            % {"university": request.institution.name},
        )
        return _back_to(session)
    attempt(
        request,
        lambda: services.add_participant(request.user, session=session, person=person),
        lambda _signup: (
            _("%(name)s is a participant. The student sees the session under Signed up.")
            % {"name": person.full_name}
        ),
    )
    return _back_to(session)


@require_http_methods(["GET", "POST"])
@require(administers_studies_at)
def participant_remove(
    request: HttpRequest, session_id: uuid.UUID, signup_id: uuid.UUID
) -> HttpResponse:
    """GET asks for confirmation; POST removes."""
    session = _session_or_404(request, session_id)
    signup = staff_queries.participant(session, signup_id)
    if signup is None:
        raise Http404
    if request.method == "GET":
        return render(request, "staffweb/exams/remove.html", {"session": session, "signup": signup})
    attempt(
        request,
        lambda: services.remove_participant(request.user, signup=signup),
        lambda _removed: (
            _("%(name)s is no longer a participant.") % {"name": signup.person.full_name}
        ),
    )
    return _back_to(session)


@never_cache
@require_http_methods(["GET", "POST"])
@require(administers_studies_at)
def codes(request: HttpRequest, session_id: uuid.UUID) -> HttpResponse:
    """T-ANON-1: the code key of an anonymous exam, after the reason is given and logged. The key
    is on this POST's response only (no redirect, no link, not cached): nothing else shows it."""
    session = _session_or_404(request, session_id)
    if not session.anonymous:
        raise Http404
    form = CodeListingForm(request.POST if request.method == "POST" else None)
    key = None
    if request.method == "POST" and form.is_valid():
        try:
            key = services.list_codes(
                request.user, session=session, reason=form.cleaned_data["reason"]
            )
        except services.SignupError as error:
            form.add_error("reason", str(error))
    return render(
        request, "staffweb/exams/codes.html", {"session": session, "form": form, "key": key}
    )


@never_cache
@require_GET
@require(administers_studies_at)
def export(request: HttpRequest, session_id: uuid.UUID) -> HttpResponse:
    """The participant list as CSV or xlsx (?format=csv|xlsx), without codes (B-6)."""
    session = _session_or_404(request, session_id)
    form = ExportForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose CSV or xlsx."))
    rows = staff_queries.participants(session)
    kind = form.cleaned_data["format"]
    day = clock.date_of(session.starts_at).isoformat()
    name = f"{re.sub(r'[^A-Za-z0-9-]', '', session.label) or 'session'}-{day}-participants.{kind}"
    if kind == "csv":
        content, mime = exports.participants_csv(rows), "text/csv; charset=utf-8"
    else:
        content = exports.participants_xlsx(rows, title=session.label)
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
