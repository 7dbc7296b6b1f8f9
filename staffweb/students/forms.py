"""Presentation forms of the staff web. They validate input; services do the writing."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from catalog.models import CourseInstance
from registration.staff_queries import StudentKey, parse_student_key


class StudentSearchForm(forms.Form):
    """T-ADM-2: find a student by personal identity number. Posted, never put in a URL."""

    number = forms.CharField(
        label=_("Personal identity number"),
        max_length=20,
        help_text=_(
            "YYYYMMDD-XXXX. For a student without a Swedish number: birth date and local "
            "number, for example 19990308-T001."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_number(self) -> StudentKey:
        return parse_student_key(self.cleaned_data["number"])


class CourseInstanceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: CourseInstance) -> str:
        return (
            f"{obj.course.code} {obj.course.name} – {obj.instance_code} "
            f"({obj.start_date.isoformat()} – {obj.end_date.isoformat()})"
        )


class AdmitForm(forms.Form):
    """Admit the student to one of the course instances the staff member manages."""

    course_instance = CourseInstanceChoiceField(
        label=_("Course instance"),
        queryset=CourseInstance.objects.none(),
        empty_label=_("Choose a course instance"),
        to_field_name="public_id",
        help_text=_("Course instances you manage that have not ended."),
    )

    def __init__(self, *args, choices: QuerySet[CourseInstance], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course_instance"].queryset = choices


class RegisterForm(forms.Form):
    """Which study period of the course instance (its ordinal: 1 is first registration)."""

    sequence = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class LeaveForm(forms.Form):
    """A leave of absence (studieuppehåll) from a programme."""

    start = forms.DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    guaranteed_return = forms.BooleanField(
        label=_("With guaranteed return to the programme"), required=False, initial=True
    )

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            raise ValidationError(_("The leave must end on or after the day it starts."))
        return data
