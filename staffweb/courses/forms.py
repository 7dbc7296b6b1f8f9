"""Forms of the course instance pages (T-ADM-3): an instance with its study periods, and the
pasted list of identity numbers to admit."""

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import StudyPeriod, TeachingLanguage
from registration.instances import InstanceData, PeriodData

_DATE = {"type": "date"}


def _date(label: str, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
    )


class InstanceForm(forms.Form):
    instance_code = forms.CharField(
        label=_("Instance code"),
        max_length=10,
        help_text=_("The code students see, e.g. LU-12345; unique at the university."),
    )
    start_date = _date(_("Starts"))
    end_date = _date(_("Ends"))
    pace = forms.IntegerField(
        label=_("Pace, percent of full time"), min_value=1, max_value=100, initial=100
    )
    town = forms.CharField(label=_("Town"), max_length=100, required=False)
    teaching_language = forms.ChoiceField(
        label=_("Teaching language"), choices=TeachingLanguage.choices
    )


class StudyPeriodField(forms.ModelChoiceField):
    def label_from_instance(self, obj: StudyPeriod) -> str:
        return f"{obj.code} ({obj.start_date:%Y-%m-%d} – {obj.end_date:%Y-%m-%d})"


class PeriodForm(forms.Form):
    study_period = StudyPeriodField(
        label=_("Study period"), queryset=StudyPeriod.objects.none(), required=False
    )
    credits = forms.DecimalField(
        label=_("Credits in the period"), max_digits=5, decimal_places=1, required=False
    )
    registration_opens = _date(_("Registration opens"), required=False)
    registration_closes = _date(_("Registration closes"), required=False)

    def __init__(self, *args, institution_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["study_period"].queryset = StudyPeriod.objects.filter(
            institution_id=institution_id
        ).order_by("start_date")

    def clean(self) -> dict:
        data = super().clean()
        if data.get("study_period") and data.get("credits") is None:
            self.add_error("credits", _("Give the credits of this study period."))
        return data


PeriodFormSet = forms.formset_factory(PeriodForm, extra=0, min_num=3, max_num=3)


def instance_data(form: InstanceForm, periods) -> InstanceData:
    data = form.cleaned_data
    return InstanceData(
        instance_code=data["instance_code"].strip(),
        start_date=data["start_date"],
        end_date=data["end_date"],
        pace=data["pace"],
        town=data["town"],
        teaching_language=data["teaching_language"],
        periods=tuple(
            PeriodData(
                study_period=row["study_period"],
                credits=row["credits"],
                registration_opens=row.get("registration_opens"),
                registration_closes=row.get("registration_closes"),
            )
            for row in periods.cleaned_data
            if row.get("study_period")
        ),
    )


class AdmitForm(forms.Form):
    numbers = forms.CharField(
        label=_("Personal identity numbers, one a line"),
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false", "autocomplete": "off"}),
        max_length=20000,
    )
