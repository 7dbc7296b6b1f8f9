"""Staff pages about one student (T-ADM-2; issue #3, point 7): find a student by personal
identity number, see their participations at the current university with history and results,
and correct them (admit, register on the student's behalf, record a leave of absence).

The identity number travels only in a POST body: URLs carry the person's public id, so no
address bar, browser history or access log holds the number (issue #2, security baseline).
Only study administrators of the current university reach these pages (registration.rules).
"""

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certificates import staff_queries as certificate_queries
from credits import queries as credit_queries
from emrex import queries as emrex_queries
from ladokportal import clock
from ladokportal.attempts import attempt
from people.models import Person
from people.rules import administers_studies_at
from registration import services, staff_queries
from registration.models import CourseParticipation, ProgrammeParticipation
from results.queries import student as result_queries
from staffweb.access import require
from staffweb.students.forms import AdmitForm, LeaveForm, RegisterForm, StudentSearchForm

# The overview shows the newest few; the certificates page has them all.
LATEST_CERTIFICATES = 3


def _student_or_404(request: HttpRequest, person_id: uuid.UUID) -> Person:
    person = staff_queries.student_at(request.institution, person_id)
    if person is None:
        raise Http404
    return person


@require(administers_studies_at)
def search(request: HttpRequest) -> HttpResponse:
    """T-ADM-2: the number is posted; a hit redirects to the student's overview."""
    form = StudentSearchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = staff_queries.find_student(request.institution, form.cleaned_data["number"])
        if person is not None:
            return redirect("staff_student", person_id=person.public_id)
        form.add_error(
            "number",
            _("No student with that number at %(university)s.")
            % {"university": request.institution.name},
        )
    return render(request, "staffweb/students/search.html", {"form": form})


def _with_results(
    courses: list[staff_queries.CourseRow], results: result_queries.StaffResults
) -> list[tuple[staff_queries.CourseRow, list[result_queries.StaffResultRow]]]:
    """T-ADM-2: each course participation with the student's results on its instance (in
    every state for staff with a right on the course, else the certified ones only)."""
    return [(c, results.of(c.participation.course_instance_id)) for c in courses]


@require(administers_studies_at)
def student(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    person = _student_or_404(request, person_id)
    today = clock.today()
    overview = staff_queries.student_overview(request.user, request.institution, person, today)
    results = result_queries.staff_results(request.user, request.institution, person)
    programmes = [
        (
            row,
            LeaveForm(auto_id=f"leave-{row.participation.public_id}-%s"),
            _with_results(row.courses, results),
        )
        for row in overview.programmes
    ]
    held = {
        c.participation.course_instance_id
        for c in [*overview.courses, *(c for p in overview.programmes for c in p.courses)]
    }
    admit_form = AdmitForm(
        choices=staff_queries.admission_choices(request.user, request.institution, today)
    )
    return render(
        request,
        "staffweb/students/overview.html",
        {
            "overview": overview,
            "person": person,
            "programmes": programmes,
            "courses": _with_results(overview.courses, results),
            "other_results": results.without(held),
            "admit_form": admit_form,
            "certificates": certificate_queries.certificates_of(
                person, request.institution, today, limit=LATEST_CERTIFICATES
            ),
            # T-ADM-2: credit-transfer cases at the university.
            "credit_cases": credit_queries.overview(request.institution, person),
            # S-EMREX-2: the student's Emrex transfers.
            "emrex_transfers": emrex_queries.transfers(request.institution, person),
        },
    )


def _back(person: Person, anchor: str = "") -> HttpResponse:
    response = redirect("staff_student", person_id=person.public_id)
    response["Location"] += f"#{anchor}" if anchor else ""
    return response


def _form_errors(request: HttpRequest, form) -> None:
    errors = [str(e) for errors in form.errors.values() for e in errors]
    messages.error(request, _("Nothing was saved: %(errors)s") % {"errors": " ".join(errors)})


@require_POST
@require(administers_studies_at)
def admit(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    person = _student_or_404(request, person_id)
    choices = staff_queries.admission_choices(request.user, request.institution, clock.today())
    form = AdmitForm(request.POST, choices=choices)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(person, "admit")
    instance = form.cleaned_data["course_instance"]
    admitted = attempt(
        request,
        lambda: services.admit(request.user, person=person, course_instance=instance),
        lambda _participation: (
            _("%(name)s is admitted to %(course)s %(instance)s.")
            % {
                "name": person.full_name,
                "course": instance.course.name,
                "instance": instance.instance_code,
            }
        ),
    )
    if not admitted:
        return _back(person, "admit")
    return _back(person, f"course-{admitted.result.public_id}")


@require_POST
@require(administers_studies_at)
def register(
    request: HttpRequest, person_id: uuid.UUID, participation_id: uuid.UUID
) -> HttpResponse:
    person = _student_or_404(request, person_id)
    participation = get_object_or_404(
        CourseParticipation.objects.select_related("course_instance__course"),
        public_id=participation_id,
        person=person,
        institution=request.institution,
    )
    form = RegisterForm(request.POST)
    if not form.is_valid():
        raise Http404
    period = get_object_or_404(
        participation.course_instance.periods.select_related("study_period"),
        sequence=form.cleaned_data["sequence"],
    )
    attempt(
        request,
        lambda: services.register_on_behalf(
            request.user, participation=participation, period=period
        ),
        lambda _done: (
            _("%(name)s is registered on %(course)s for %(period)s.")
            % {
                "name": person.full_name,
                "course": participation.course_instance.course.name,
                "period": period.study_period.name,
            }
        ),
    )
    return _back(person, f"course-{participation.public_id}")


@require_POST
@require(administers_studies_at)
def record_leave(
    request: HttpRequest, person_id: uuid.UUID, participation_id: uuid.UUID
) -> HttpResponse:
    person = _student_or_404(request, person_id)
    participation = get_object_or_404(
        ProgrammeParticipation,
        public_id=participation_id,
        person=person,
        institution=request.institution,
    )
    anchor = f"programme-{participation.public_id}"
    form = LeaveForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(person, anchor)
    data = form.cleaned_data
    attempt(
        request,
        lambda: services.record_leave(
            request.user,
            participation=participation,
            start=data["start"],
            end=data["end"],
            guaranteed_return=data["guaranteed_return"],
        ),
        _("Leave of absence recorded: %(start)s – %(end)s.")
        % {"start": data["start"].isoformat(), "end": data["end"].isoformat()},
    )
    return _back(person, anchor)
