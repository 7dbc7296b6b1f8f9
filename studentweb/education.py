"""The student's study pages: My education, the course page and the programme page, and the
participation actions on them (S-REG-1..4, S-WD-1..3, S-SWAP-1, S-EDU-1..4, B-1, G-4).

Each action is one URL: GET shows the confirmation (a whole page, or with htmx the page's
"dialog" partial swapped into the course or programme page), POST performs it through
registration.services and ends in a redirect with a message. Whether an action is offered,
and why not, comes from registration.eligibility through registration.queries.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from catalog.models import CourseInstance, CourseInstancePeriod
from ladokportal import clock, nexturl
from ladokportal.attempts import attempt
from people.access import student_required
from registration import queries, services
from registration.models import CourseParticipation
from registration.queries import CoursePage, EducationFilter, ProgrammePage
from results.queries import student as result_queries
from studychoices import queries as studychoice_queries
from studychoices import services as studychoice_services

CSN_REMINDER = gettext_lazy("If this affects your student finance, remember to tell CSN.")


# --- Forms --------------------------------------------------------------------------------------


class EducationFilterForm(forms.Form):
    """S-EDU-2: the filter of My education, a plain GET form."""

    show = forms.ChoiceField(
        label=gettext_lazy("Show"),
        choices=EducationFilter.CHOICES,
        widget=forms.RadioSelect,
        required=False,
    )

    def value(self) -> str:
        if self.is_valid() and self.cleaned_data["show"]:
            return self.cleaned_data["show"]
        return EducationFilter.ALL


class RegisterForm(forms.Form):
    """Which study period of the instance the student registers for (S-REG-3)."""

    period = forms.IntegerField(min_value=1)

    def __init__(self, *args, participation: CourseParticipation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.participation = participation

    def clean_period(self) -> CourseInstancePeriod:
        period = CourseInstancePeriod.objects.filter(
            course_instance_id=self.participation.course_instance_id,
            sequence=self.cleaned_data["period"],
        ).first()
        if period is None:
            raise forms.ValidationError(
                _("That study period does not belong to this course instance.")
            )
        return period


class ChangeInstanceForm(forms.Form):
    """S-SWAP-1: the target instance and, where the university allows it, part of the scope.
    The scope fields exist even where partial re-registration is off, so that a crafted request
    reaches the service, which refuses it; the page shows them only where it is on."""

    target = forms.ChoiceField(label=gettext_lazy("Course instance"), widget=forms.RadioSelect)
    scope_credits = forms.DecimalField(
        label=gettext_lazy("Credits to re-register on (optional)"),
        help_text=gettext_lazy("Leave empty to take the whole course."),
        required=False,
        max_digits=5,
        decimal_places=1,
        min_value=Decimal("0.1"),
    )
    scope_period = forms.ChoiceField(
        label=gettext_lazy("Study period to re-register on (optional)"),
        required=False,
    )

    def __init__(self, *args, targets: list[CourseInstance], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.targets = {str(t.public_id): t for t in targets}
        self.fields["target"].choices = [
            (key, f"{t.instance_code}: {t.start_date.isoformat()} – {t.end_date.isoformat()}")
            for key, t in self.targets.items()
        ]
        self.periods = {
            f"{key}:{p.sequence}": p for key, t in self.targets.items() for p in t.periods.all()
        }
        self.fields["scope_period"].choices = [
            ("", _("The whole course")),
            *(
                (key, f"{p.course_instance.instance_code}: {p.study_period.name}")
                for key, p in self.periods.items()
            ),
        ]

    def clean(self) -> dict:
        data = super().clean()
        data["target"] = self.targets.get(data.get("target", ""))
        period = self.periods.get(data.get("scope_period") or "")
        target = data["target"]
        if period is not None and target is not None and period.course_instance_id != target.pk:
            raise forms.ValidationError(
                _("That study period does not belong to the new course instance.")
            )
        data["scope_period"] = period
        return data


# --- Helpers ------------------------------------------------------------------------------------


def _dialog(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """The whole confirmation page, or for htmx only its dialog, swapped into the page."""
    name = f"{template}#dialog" if request.htmx else template
    response = render(request, name, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _go(request: HttpRequest, url: str) -> HttpResponse:
    """After a POST: a redirect, which htmx must follow as a whole page."""
    return HttpResponseClientRedirect(url) if request.htmx else HttpResponseRedirect(url)


def _course_url(participation: CourseParticipation) -> str:
    return reverse("course_page", args=[participation.public_id])


def _course(request: HttpRequest, public_id: uuid.UUID) -> CoursePage:
    page = queries.course_page(
        request.user.person, public_id, request.institution.settings, clock.today()
    )
    if page is None:
        raise Http404
    return page


def _programme(request: HttpRequest, public_id: uuid.UUID) -> ProgrammePage:
    page = queries.programme_page(
        request.user.person, public_id, request.institution.settings, clock.today()
    )
    if page is None:
        raise Http404
    return page


def _own_course(request: HttpRequest, public_id: uuid.UUID) -> CourseParticipation:
    return get_object_or_404(
        queries.own_course_participations(request.user.person), public_id=public_id
    )


def _next(request: HttpRequest) -> str:
    """Where the student came from (the start page's Show more), if it is a page of ours."""
    return nexturl.local(request, request.POST.get("next") or request.GET.get("next"), "")


def expanded_course(request: HttpRequest) -> dict:
    """The start page's course card opened by Show more without JavaScript (`?more=<id>`)."""
    try:
        public_id = uuid.UUID(request.GET.get("more", ""))
    except ValueError:
        return {}
    page = queries.course_page(
        request.user.person, public_id, request.institution.settings, clock.today()
    )
    if page is None:
        return {}
    return {"more": page, "more_removal": _removal(request, page)}


def _removal(request: HttpRequest, page: CoursePage) -> studychoice_queries.Removal | None:
    return studychoice_queries.removal(
        page.participation, request.institution.settings, clock.today()
    )


def _names(participations: list[CourseParticipation]) -> str:
    return ", ".join(p.course_instance.course.name for p in participations)


# --- My education (S-EDU-1, S-EDU-2) ------------------------------------------------------------


@student_required
def my_education(request: HttpRequest) -> HttpResponse:
    form = EducationFilterForm(request.GET or None)
    show = form.value()
    if not form.is_bound:
        form = EducationFilterForm(initial={"show": show})
    education = queries.my_education(request.user.person, clock.today(), show)
    return render(
        request, "studentweb/education/my_education.html", {"form": form, "education": education}
    )


# --- Course page (S-EDU-3) and registration (S-REG-1..4) ----------------------------------------


@student_required
def course_page(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """S-EDU-3: the participation with its actions, and the course's certified results."""
    page = _course(request, public_id)
    results = result_queries.course_results(request.user.person, page.row.course, page.modules)
    context = {"page": page, "results": results, "removal": _removal(request, page)}
    return render(request, "studentweb/education/course.html", context)


@require_http_methods(["GET"])
@student_required
def course_more(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The start page's Show more on a course (S-HOME-3, B-1): with htmx the card's expanded
    part, swapped in place; without JavaScript the start page with that card expanded."""
    start = reverse("student_start")
    if not request.htmx:
        return redirect(f"{start}?more={public_id}#course-{public_id}")
    if request.GET.get("less"):
        participation = _own_course(request, public_id)
        context = {"participation_id": public_id, "name": participation.course_instance.course.name}
    else:
        page = _course(request, public_id)
        context = {"page": page, "removal": _removal(request, page), "next": start}
    response = render(request, "studentweb/start/_course_more.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_POST
@student_required
def course_register(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    participation = _own_course(request, public_id)
    form = RegisterForm(request.POST, participation=participation)
    if not form.is_valid():
        messages.error(request, _("Choose a study period of the course to register for."))
    else:
        period = form.cleaned_data["period"]
        attempt(
            request,
            lambda: services.register(request.user, participation=participation, period=period),
            lambda _registered: (
                _("You are registered on %(course)s for %(period)s.")
                % {
                    "course": participation.course_instance.course.name,
                    "period": period.study_period.name,
                }
            ),
        )
    return _go(
        request, nexturl.local(request, request.POST.get("next"), _course_url(participation))
    )


# --- Withdrawal and dropout from a course (S-WD-1..3) -------------------------------------------


@require_http_methods(["GET", "POST"])
@student_required
def course_withdraw(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    if request.method == "GET":
        page = _course(request, public_id)
        context = {"page": page, "next": _next(request)}
        return _dialog(request, "studentweb/education/course_withdraw.html", context)
    participation = _own_course(request, public_id)
    if not attempt(
        request,
        lambda: services.withdraw(request.user, participation=participation),
        lambda _withdrawn: (
            _("You have withdrawn from %(course)s. Your place goes to the next applicant.")
            % {"course": participation.course_instance.course.name}
        ),
    ):
        return _go(request, _next(request) or _course_url(participation))
    return _go(request, _next(request) or reverse("my_education"))


@require_http_methods(["GET", "POST"])
@student_required
def course_drop_out(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    if request.method == "GET":
        page = _course(request, public_id)
        context = {"page": page, "next": _next(request)}
        return _dialog(request, "studentweb/education/course_drop_out.html", context)
    participation = _own_course(request, public_id)
    dropped = attempt(
        request,
        lambda: services.drop_out(request.user, participation=participation),
        lambda early: _dropped_out_message(participation.course_instance.course.name, early),
    )
    if not dropped:
        return _go(request, _next(request) or _course_url(participation))
    messages.info(request, CSN_REMINDER)
    after = reverse("my_education") if dropped.result else _course_url(participation)
    return _go(request, _next(request) or after)


# --- Removing the choice or application behind a course (S-CHOICE-2, S-APP-2) -------------------


@require_http_methods(["GET", "POST"])
@student_required
def course_remove(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The guide's "Remove choice/application" on the course: the same rule and service as on
    the choice or application page; GET shows the dialog, POST removes."""
    page = _course(request, public_id)
    removal = _removal(request, page)
    if removal is None:
        raise Http404
    if request.method == "GET":
        context = {"page": page, "removal": removal, "next": _next(request)}
        return _dialog(request, "studentweb/education/course_remove.html", context)
    if removal.is_choice:
        remove = lambda: studychoice_services.remove_choice(request.user, choice=removal.choice)  # noqa: E731
        done = _("Your study choice has been removed. You can choose again until %(date)s.")
    else:
        remove = lambda: services.remove_application(  # noqa: E731
            request.user, application=removal.application
        )
        done = _("Your application has been removed. You can apply again until %(date)s.")
    if not attempt(request, remove, done % {"date": removal.closes.isoformat()}):
        return _go(request, _next(request) or _course_url(page.participation))
    return _go(request, _next(request) or reverse("my_education"))


def _dropped_out_message(name: str, early: bool) -> str:
    if early:
        return _(
            "You have dropped out of %(course)s early: the course counts as never started, "
            "and you may apply for it again."
        ) % {"course": name}
    return _("You have dropped out of %(course)s.") % {"course": name}


# --- Change of course instance (S-SWAP-1) -------------------------------------------------------


@require_http_methods(["GET", "POST"])
@student_required
def course_change_instance(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Choose the target (and part of the scope), confirm, then the change; the student is
    taken to the new instance's course page to register there."""
    page = _course(request, public_id)
    participation = page.participation
    # Offered or not, the service decides again: a crafted request is refused there.
    targets = services.change_instance_targets(participation)
    form = ChangeInstanceForm(request.POST or None, targets=targets)
    context = {"page": page, "form": form, "step": "choose"}
    if request.method == "GET" or not form.is_valid():
        return _dialog(request, "studentweb/education/course_change.html", context)
    data = form.cleaned_data
    if "confirm" not in request.POST:
        context |= {"step": "confirm", "choice": data}
        return _dialog(request, "studentweb/education/course_change.html", context)
    changed = attempt(
        request,
        lambda: services.change_instance(
            request.user,
            participation=participation,
            target=data["target"],
            scope_credits=data["scope_credits"],
            scope_period=data["scope_period"],
        ),
        _(
            "You have changed to course instance %(code)s. Register on it when its "
            "registration period is open."
        )
        % {"code": data["target"].instance_code},
    )
    if not changed:
        return _go(request, _course_url(participation))
    return _go(request, _course_url(changed.result))


# --- Programme page (S-EDU-4) and leaving a programme (S-WD-1..2) -------------------------------


@student_required
def programme_page(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return render(
        request, "studentweb/education/programme.html", {"page": _programme(request, public_id)}
    )


@dataclass(frozen=True)
class _Leaving:
    """One way to leave a programme (S-WD-1..2): its dialog, its service, what the message says
    (`left`, and `also` with the courses it took along), whether the student stays on the
    programme page when it went through (else My education), and a reminder after it."""

    dialog: str
    leave: Callable[..., list[CourseParticipation]]
    left: str
    also: str
    stays: bool = False
    reminder: str = ""


WITHDRAWAL = _Leaving(
    dialog="studentweb/education/programme_withdraw.html",
    leave=services.withdraw_from_programme,
    left=gettext_lazy("You have withdrawn from %(programme)s."),
    also=gettext_lazy("Also withdrawn: %(courses)s."),
)
DROPOUT = _Leaving(
    dialog="studentweb/education/programme_drop_out.html",
    leave=services.drop_out_of_programme,
    left=gettext_lazy("You have dropped out of %(programme)s."),
    also=gettext_lazy("It applies to these courses too: %(courses)s."),
    stays=True,
    reminder=CSN_REMINDER,
)


@require_http_methods(["GET", "POST"])
@student_required
def programme_withdraw(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _leave_programme(request, public_id, WITHDRAWAL)


@require_http_methods(["GET", "POST"])
@student_required
def programme_drop_out(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _leave_programme(request, public_id, DROPOUT)


def _leave_programme(request: HttpRequest, public_id: uuid.UUID, how: _Leaving) -> HttpResponse:
    """GET shows the dialog, POST leaves; refused, the student stays on the programme page."""
    page = _programme(request, public_id)
    if request.method == "GET":
        return _dialog(request, how.dialog, {"page": page})
    programme_url = reverse("programme_page", args=[public_id])
    if not attempt(
        request,
        lambda: how.leave(request.user, participation=page.participation),
        lambda courses: _left_message(
            how.left % {"programme": page.programme.name}, how.also, courses
        ),
    ):
        return _go(request, programme_url)
    if how.reminder:
        messages.info(request, how.reminder)
    return _go(request, programme_url if how.stays else reverse("my_education"))


def _left_message(left: str, also: str, courses: list[CourseParticipation]) -> str:
    if courses:
        return left + " " + also % {"courses": _names(courses)}
    return left
