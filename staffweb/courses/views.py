"""Course search and course view for staff (seed 004): find a course by code or name from the
search at the top of every staff page; the course lists its instances; an instance lists its
modules and its activity sessions, each with its Report and Certify tabs whenever the person
holds the right, not only while results wait (T-CERT-1, T-ANON-1). Any staff member of the
university may search and look; what each tab does is guarded by its own page."""

import uuid

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from catalog import queries
from ladokportal.attempts import attempt
from ladokportal.errors import NotAllowed
from people import rights_queries
from people import services as people_services
from people.rules import administers_studies_at
from registration import instances
from staffweb.access import any_staff_member, require, rights
from staffweb.courses.forms import AdmitForm, InstanceForm, PeriodFormSet, instance_data


class SearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Course code or name"), max_length=100, required=False)


@require_GET
@require(any_staff_member)
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    text = form.cleaned_data["q"].strip() if form.is_valid() else ""
    courses = list(queries.search_courses(request.institution.pk, text)) if text else []
    return render(
        request,
        "staffweb/courses/search.html",
        {"form": form, "text": text, "courses": courses, "limit": queries.SEARCH_LIMIT},
    )


def _course_or_404(request: HttpRequest, code: str):
    found = queries.course_with_instances(request.institution.pk, code)
    if found is None:
        raise Http404
    return found


@require_GET
@require(any_staff_member)
def course(request: HttpRequest, code: str) -> HttpResponse:
    found = _course_or_404(request, code)
    mine = rights(request)
    return render(
        request,
        "staffweb/courses/course.html",
        {
            "course": found,
            "instances": found.instances.all(),
            "may_report": mine.may_report(found),
            "may_certify": mine.may_certify(found),
            "manages": instances.manages_course(request.user, found),
            "ask_form": AskForm(),
            "my_request": None
            if mine.may_report(found)
            else rights_queries.my_request(request.user, found),
        },
    )


@require_GET
@require(any_staff_member)
def instance(request: HttpRequest, code: str, instance_id: uuid.UUID) -> HttpResponse:
    found = _course_or_404(request, code)
    chosen = queries.instance_with_modules_and_sessions(found, instance_id)
    if chosen is None:
        raise Http404
    mine = rights(request)
    return render(
        request,
        "staffweb/courses/instance.html",
        {
            "course": found,
            "instance": chosen,
            "modules": chosen.course.modules.all(),
            "sessions": chosen.activity_sessions.all(),
            "may_report": mine.may_report(found),
            "may_certify": mine.may_certify(found),
            "manages": instances.manages_course(request.user, found),
        },
    )


# --- Course instances (T-ADM-3), for study administrators ---------------------------------


def _managed_course_or_404(request: HttpRequest, code: str):
    found = _course_or_404(request, code)
    if not instances.manages_course(request.user, found):
        raise NotAllowed
    return found


def _instance_form_page(request, found, instance=None, initial=None, periods_initial=None):
    posted = request.method == "POST"
    form = InstanceForm(request.POST if posted else None, initial=initial)
    periods = PeriodFormSet(
        request.POST if posted else None,
        initial=periods_initial,
        form_kwargs={"institution_id": request.institution.pk},
        prefix="periods",
    )
    if posted and form.is_valid() and periods.is_valid():
        try:
            saved = instances.save_instance(
                request.user,
                course=found,
                data=instance_data(form, periods),
                instance=instance,
            )
        except instances.InstanceError as error:
            for problem in error.problems:
                form.add_error(None, problem)
        else:
            messages.success(
                request,
                _("Instance %(code)s of %(course)s is saved.")
                % {"code": saved.instance_code, "course": found.code},
            )
            return redirect("staff_course_instance", code=found.code, instance_id=saved.public_id)
    return render(
        request,
        "staffweb/courses/instance_form.html",
        {"course": found, "instance": instance, "form": form, "periods": periods},
    )


@require_http_methods(["GET", "POST"])
@require(administers_studies_at)
def instance_new(request: HttpRequest, code: str) -> HttpResponse:
    """A new instance; `?copy=last` starts from last year's."""
    found = _managed_course_or_404(request, code)
    initial, periods_initial = None, None
    if request.GET.get("copy") == "last":
        initial, periods_initial = instances.copy_of_last(found)
    return _instance_form_page(request, found, initial=initial, periods_initial=periods_initial)


@require_http_methods(["GET", "POST"])
@require(administers_studies_at)
def instance_edit(request: HttpRequest, code: str, instance_id: uuid.UUID) -> HttpResponse:
    found = _managed_course_or_404(request, code)
    chosen = found.instances.filter(public_id=instance_id).prefetch_related("periods").first()
    if chosen is None:
        raise Http404
    initial = {
        name: getattr(chosen, name)
        for name in ("instance_code", "start_date", "end_date", "pace", "town", "teaching_language")
    }
    periods_initial = [
        {
            "study_period": p.study_period_id,
            "credits": p.credits,
            "registration_opens": p.registration_opens,
            "registration_closes": p.registration_closes,
        }
        for p in chosen.periods.all()
    ]
    return _instance_form_page(
        request, found, instance=chosen, initial=initial, periods_initial=periods_initial
    )


@require_http_methods(["GET", "POST"])
@require(administers_studies_at)
def admit(request: HttpRequest, code: str, instance_id: uuid.UUID) -> HttpResponse:
    """Paste identity numbers, see who they are (Preview), then admit those found (Admit)."""
    found = _managed_course_or_404(request, code)
    chosen = found.instances.filter(public_id=instance_id).first()
    if chosen is None:
        raise Http404
    form = AdmitForm(request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        pasted = form.cleaned_data["numbers"]
        if "confirm" in request.POST:
            outcome = attempt(
                request,
                lambda: instances.admit_many(request.user, instance=chosen, pasted=pasted),
                lambda admitted: (
                    ngettext(
                        "%(count)s student is admitted to %(code)s.",
                        "%(count)s students are admitted to %(code)s.",
                        len(admitted),
                    )
                    % {"count": len(admitted), "code": chosen.instance_code}
                ),
            )
            if outcome:
                return redirect(
                    "staff_course_instance", code=found.code, instance_id=chosen.public_id
                )
        preview = instances.preview_admissions(chosen, pasted)
    return render(
        request,
        "staffweb/courses/admit.html",
        {"course": found, "instance": chosen, "form": form, "preview": preview},
    )


# --- Asking for rights (#12 point 5) ----------------------------------------------------------


class AskForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why you need to report results on the course"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@require_POST
@require(any_staff_member)
def ask_rights(request: HttpRequest, code: str) -> HttpResponse:
    found = _course_or_404(request, code)
    form = AskForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say in a few words why you need the right."))
    else:
        attempt(
            request,
            lambda: people_services.request_reporting_right(
                request.user, course=found, reason=form.cleaned_data["reason"]
            ),
            _("Your request is sent to the course's study administrators."),
        )
    return redirect("staff_course", code=found.code)
