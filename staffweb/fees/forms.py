"""Presentation forms of the fee administrator's pages. They parse input; the fee services
judge it again."""

import datetime
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import CourseInstance, ProgrammeInstance, StudyPeriod
from fees.models import ExemptionGround
from ladokportal import clock

MONEY = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal("0.01")}


class DateInput(forms.DateInput):
    input_type = "date"


class LiabilityForm(forms.Form):
    identity_number = forms.CharField(
        label=_("Personal identity number"),
        max_length=13,
        help_text=_("YYYYMMDD-NNNN"),
    )
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("liable", _("Fee-liable")), ("exempt", _("Exempt"))],
        widget=forms.RadioSelect,
    )
    ground = forms.ChoiceField(
        label=_("Ground of exemption"),
        required=False,
        choices=[("", "–"), *ExemptionGround.choices],
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def clean_identity_number(self) -> str:
        from people.identity import normalise

        return normalise(self.cleaned_data["identity_number"])


class PeriodForm(forms.Form):
    instance = forms.ChoiceField(label=_("Course or programme instance"))
    study_period = forms.ModelChoiceField(label=_("Term"), queryset=StudyPeriod.objects.none())
    credits = forms.DecimalField(
        label=_("Scope (credits)"), max_digits=5, decimal_places=1, min_value=Decimal("0.5")
    )
    amount = forms.DecimalField(label=_("Amount (kronor)"), **MONEY)
    instalments = forms.IntegerField(label=_("Instalments"), min_value=1, max_value=12, initial=1)
    first_due_date = forms.DateField(label=_("First due date"), widget=DateInput)

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        today = clock.today()
        self.instances = {}
        choices = []
        for programme in ProgrammeInstance.objects.filter(
            institution=institution, end_date__gte=today
        ).select_related("programme"):
            key = f"p{programme.pk}"
            self.instances[key] = programme
            choices.append((key, f"{programme} {programme.programme.name}"))
        for course in CourseInstance.objects.filter(
            institution=institution, end_date__gte=today
        ).select_related("course"):
            key = f"c{course.pk}"
            self.instances[key] = course
            choices.append((key, f"{course} {course.course.name}"))
        self.fields["instance"].choices = choices
        self.fields["study_period"].queryset = StudyPeriod.objects.filter(
            institution=institution, end_date__gte=today
        ).order_by("start_date")

    def clean_instance(self):
        return self.instances[self.cleaned_data["instance"]]


class MoneyForm(forms.Form):
    """A scholarship, refund or payment entered by hand."""

    amount = forms.DecimalField(label=_("Amount (kronor)"), **MONEY)
    on_date = forms.DateField(label=_("Date"), widget=DateInput, initial=clock.today)
    description = forms.CharField(label=_("Scholarship or reason"), required=False, max_length=200)

    def clean_on_date(self) -> datetime.date:
        return self.cleaned_data["on_date"]


class UploadForm(forms.Form):
    file = forms.FileField(label=_("camt.054 file from the bank"))


class AssignForm(forms.Form):
    reference = forms.CharField(label=_("Reference number of the invoice"), max_length=40)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class CloseForm(forms.Form):
    note = forms.CharField(label=_("How was it handled?"), max_length=300)
