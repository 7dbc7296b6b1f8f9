"""Forms of the configuration pages (T-ADM-1): a local text in both languages with an optional
publication date, and the function switches."""

from django import forms
from django.utils.translation import gettext_lazy as _

from institutions.configuration import switch_fields


class LocalTextForm(forms.Form):
    body_sv = forms.CharField(
        label=_("Swedish"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "lang": "sv"}),
    )
    body_en = forms.CharField(
        label=_("English"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "lang": "en"}),
    )
    publish_on = forms.DateField(
        label=_("Publication date"),
        required=False,
        help_text=_(
            "Leave empty to publish at once; with a later date, students see the text from "
            "that day."
        ),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class SwitchesForm(forms.Form):
    """One check box per switch of InstitutionSettings."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in switch_fields():
            self.fields[field.name] = forms.BooleanField(label=field.verbose_name, required=False)
