"""The forms of the degree pages (S-DEG-4, S-DEG-5): they parse, the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from degrees.models import Delivery


class KindForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What do you apply for?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what you apply for.")},
    )

    def __init__(self, *args, kinds=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(str(k.public_id), k.name) for k in kinds]


class CoursesForm(forms.Form):
    courses = forms.TypedMultipleChoiceField(
        label=_("Courses to include"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, completed=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["courses"].choices = [(c.course_id, f"{c.code} {c.name}") for c in completed]

    def clean_courses(self) -> list[int]:
        chosen = self.cleaned_data["courses"]
        if not chosen:
            raise forms.ValidationError(_("Choose at least one course for the degree to rest on."))
        return chosen


class DeliveryForm(forms.Form):
    delivery = forms.ChoiceField(
        label=_("How do you want to receive the certificate?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how you want to receive the certificate.")},
    )

    def __init__(self, *args, digital: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = Delivery.choices if digital else [(Delivery.PAPER, Delivery.PAPER.label)]
        self.fields["delivery"].choices = choices


class ShareForm(forms.Form):
    expires_on = forms.DateField(
        label=_("Last day the code works (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
