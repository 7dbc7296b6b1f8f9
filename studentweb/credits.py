"""The student's credit transfer (S-CRED-1..3): the cases list, a case's page, the attachment
download, and the application in four steps (what you studied, what you want credited, your
attachments, confirm), each with the university's local text (G-5). The draft lives in the
database between steps, so the steps work without JavaScript and survive a closed tab.

Reads go through credits.queries (always through the logged-in person: someone else's case or
attachment is a 404), writes through credits.services.
"""

import uuid

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from credits import queries, services
from credits.downloads import attachment_response
from credits.models import CreditCase, CreditSystem, ItemKind, Scope
from institutions.models import LocalTextSlot
from institutions.queries import local_text
from ladokportal import clock
from ladokportal.attempts import attempt
from ladokportal.errors import DomainError
from people.access import student_required

# --- Forms --------------------------------------------------------------------------------------


class StudiedForm(forms.Form):
    """Step 1: one thing the student did elsewhere."""

    kind = forms.ChoiceField(
        label=gettext_lazy("What is it?"),
        choices=ItemKind.choices,
        widget=forms.RadioSelect,
        initial=ItemKind.EDUCATION,
    )
    course_name = forms.CharField(label=gettext_lazy("Course"), max_length=200, required=False)
    university = forms.CharField(label=gettext_lazy("University"), max_length=200, required=False)
    country = forms.CharField(label=gettext_lazy("Country"), max_length=100, required=False)
    credits = forms.DecimalField(
        label=gettext_lazy("Credits"), max_digits=5, decimal_places=1, min_value=0, required=False
    )
    credit_system = forms.ChoiceField(
        label=gettext_lazy("Credit system"),
        choices=[("", "—"), *CreditSystem.choices],
        required=False,
    )
    grade_text = forms.CharField(label=gettext_lazy("Grade"), max_length=50, required=False)
    grading_scale = forms.CharField(
        label=gettext_lazy("Grading scale"), max_length=100, required=False
    )
    completed_on = forms.DateField(
        label=gettext_lazy("Date completed"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    description = forms.CharField(
        label=gettext_lazy("Description (for other experience, or anything to add)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _target_choices(courses) -> list[tuple[str, str]]:
    choices = [("", "—")]
    for course in courses:
        choices.append(
            (
                f"c{course.pk}",
                _("%(code)s %(name)s (the whole course)")
                % {
                    "code": course.code,
                    "name": course.name,
                },
            )
        )
        choices.extend(
            (f"m{module.pk}", f"{course.code} · {module.code} {module.name}")
            for module in course.modules.all()
        )
    return choices


class TargetsForm(forms.Form):
    """Step 2: for each item, what it should be credited as here, and the scope."""

    def __init__(self, *args, case: CreditCase, courses, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.courses = {c.pk: c for c in courses}
        self.modules = {m.pk: m for c in courses for m in c.modules.all()}
        choices = _target_choices(courses)
        self.rows = []
        for item in case.items.all():
            key = str(item.public_id)
            initial = ""
            if item.target_module_id:
                initial = f"m{item.target_module_id}"
            elif item.target_course_id:
                initial = f"c{item.target_course_id}"
            self.fields[f"target-{key}"] = forms.ChoiceField(
                label=_("Credited as"), choices=choices, initial=initial
            )
            self.fields[f"scope-{key}"] = forms.ChoiceField(
                label=_("Scope"),
                choices=Scope.choices,
                initial=item.scope,
                widget=forms.RadioSelect,
            )
            self.rows.append((item, self[f"target-{key}"], self[f"scope-{key}"]))

    def targets(self) -> dict:
        chosen = {}
        for item, target, scope in self.rows:
            value = self.cleaned_data[target.name]
            pk = int(value[1:])
            if value[0] == "m":
                module = self.modules[pk]
                course = self.courses[module.course_id]
            else:
                module, course = None, self.courses[pk]
            chosen[item.public_id] = (course, module, self.cleaned_data[scope.name])
        return chosen


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("PDF, JPEG or PNG, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


# --- Pages --------------------------------------------------------------------------------------

STEPS = (
    ("credit_apply", gettext_lazy("What you studied")),
    ("credit_apply_targets", gettext_lazy("What you want credited")),
    ("credit_apply_attachments", gettext_lazy("Your attachments")),
    ("credit_apply_confirm", gettext_lazy("Confirm")),
)


def _step_page(request, template: str, step: int, context: dict, status: int = 200):
    slot = (LocalTextSlot.CREDIT_STEP1, LocalTextSlot.CREDIT_STEP2, LocalTextSlot.CREDIT_STEP3)
    context |= {
        "steps": [(n + 1, url, label) for n, (url, label) in enumerate(STEPS)],
        "step": step,
        "local_text": local_text(request.institution, slot[min(step, 3) - 1]),
    }
    return render(request, template, context, status=status)


@require_http_methods(["GET"])
@student_required
def cases(request: HttpRequest) -> HttpResponse:
    """S-CRED-1: number, submitted date, case officer and status of each case."""
    person = request.user.person
    return render(
        request,
        "studentweb/credits/cases.html",
        {"cases": queries.student_cases(person), "draft": queries.draft(person)},
    )


@require_http_methods(["GET"])
@student_required
def case_page(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """What was applied for and, once decided, each decision. Never the internal notes."""
    case = queries.student_case(request.user.person, public_id)
    if case is None or case.is_draft:
        raise Http404
    return render(request, "studentweb/credits/case.html", {"case": case})


@require_http_methods(["GET"])
@student_required
def attachment(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    found = queries.student_attachment(request.user.person, public_id)
    if found is None:
        raise Http404
    return attachment_response(found)


def _draft(request: HttpRequest) -> CreditCase:
    return services.start_draft(request.user.person, institution=request.institution)


@require_http_methods(["GET", "POST"])
@student_required
def apply_studied(request: HttpRequest) -> HttpResponse:
    """Step 1: add what you studied (one item per POST); the list of items so far."""
    person = request.user.person
    form = StudiedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_item(person, case=queries.draft(person) or _draft(request), **data)
        except DomainError as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Added. Add another, or go on to the next step."))
            return redirect("credit_apply")
    merits = []
    if request.institution.settings.emrex:
        from emrex.queries import merits as foreign_merits

        merits = foreign_merits(person)
    return _step_page(
        request,
        "studentweb/credits/apply_studied.html",
        1,
        {"case": queries.draft(person), "form": form, "merits": merits},
        status=400 if form.errors else 200,
    )


@require_POST
@student_required
def apply_add_merit(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Step 1 from a foreign merit fetched through Emrex: nothing to type, nothing to upload."""
    from emrex.models import ForeignMerit

    person = request.user.person
    merit = ForeignMerit.objects.filter(person=person, public_id=public_id).first()
    if merit is None:
        raise Http404
    attempt(
        request,
        lambda: services.save_item(
            person,
            case=queries.draft(person) or _draft(request),
            kind=ItemKind.EDUCATION,
            course_name=merit.title,
            university=merit.issuer,
            country=merit.country,
            credits=merit.credits,
            credit_system="ects" if merit.scheme.upper() == "ECTS" else "other",
            grade_text=merit.grade,
            completed_on=merit.completed_on,
            foreign_merit=merit,
        ),
        _("Added. Add another, or go on to the next step."),
    )
    return redirect("credit_apply")


@require_POST
@student_required
def apply_remove_item(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    person = request.user.person
    case = queries.draft(person)
    item = case and next((i for i in case.items.all() if i.public_id == public_id), None)
    if item is None:
        raise Http404
    attempt(
        request,
        lambda: services.remove_item(person, case=case, item=item),
        _("Removed."),
    )
    return redirect("credit_apply")


def _draft_or_first_step(request: HttpRequest) -> CreditCase | None:
    case = queries.draft(request.user.person)
    return case if case is not None and case.items.all() else None


@require_http_methods(["GET", "POST"])
@student_required
def apply_targets(request: HttpRequest) -> HttpResponse:
    """Step 2: what each item should be credited as here."""
    case = _draft_or_first_step(request)
    if case is None:
        return redirect("credit_apply")
    form = TargetsForm(request.POST or None, case=case, courses=queries.targets())
    if request.method == "POST" and form.is_valid():
        try:
            services.set_targets(request.user.person, case=case, targets=form.targets())
        except DomainError as refusal:
            form.add_error(None, refusal.message)
        else:
            return redirect("credit_apply_attachments")
    return _step_page(
        request,
        "studentweb/credits/apply_targets.html",
        2,
        {"case": case, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@student_required
def apply_attachments(request: HttpRequest) -> HttpResponse:
    """Step 3: certificates and syllabi (PDF, JPEG, PNG)."""
    case = _draft_or_first_step(request)
    if case is None:
        return redirect("credit_apply")
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_attachment(
                request.user.person, case=case, upload=form.cleaned_data["file"]
            )
        except DomainError as refusal:
            form.add_error("file", refusal.message)
        else:
            messages.success(request, _("The file is attached."))
            return redirect("credit_apply_attachments")
    return _step_page(
        request,
        "studentweb/credits/apply_attachments.html",
        3,
        {"case": queries.draft(request.user.person), "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@student_required
def apply_remove_attachment(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    person = request.user.person
    case = queries.draft(person)
    found = case and next((a for a in case.attachments.all() if a.public_id == public_id), None)
    if found is None:
        raise Http404
    attempt(
        request,
        lambda: services.remove_attachment(person, case=case, attachment=found),
        _("Removed."),
    )
    return redirect("credit_apply_attachments")


@require_http_methods(["GET", "POST"])
@student_required
def apply_confirm(request: HttpRequest) -> HttpResponse:
    """Step 4: everything at once; submitting gives the case its number."""
    case = _draft_or_first_step(request)
    if case is None:
        return redirect("credit_apply")
    if request.method == "POST":
        done = attempt(
            request,
            lambda: services.submit(request.user.person, case=case),
            lambda submitted: (
                _("Your application %(number)s has been submitted.") % {"number": submitted.number}
            ),
        )
        if done:
            return redirect("credit_case", public_id=done.result.public_id)
        return redirect("credit_apply_confirm")
    return _step_page(
        request,
        "studentweb/credits/apply_confirm.html",
        4,
        {"case": case, "today": clock.today()},
    )
