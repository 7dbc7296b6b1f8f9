"""Presentation forms of the Certify pages (T-CERT-1, T-REM-1). They parse input; the services
decide. Each form that changes a result carries the version the page showed, so a change made by
someone else meanwhile is refused by the service instead of overwritten."""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from catalog.models import Grade


class GradeField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Grade) -> str:
        return f"{obj.code} – {obj.name}" if obj.name and obj.name != obj.code else obj.code


class VersionForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class CorrectForm(VersionForm):
    """Correct grade or date of a marked-ready result before certifying (T-CERT-1)."""

    grade = GradeField(queryset=Grade.objects.none(), label=_("Grade"), empty_label=None)
    examination_date = forms.DateField(
        label=_("Examination date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, grades: QuerySet[Grade], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grade"].queryset = grades


class PrepareRemovalForm(VersionForm):
    reason = forms.CharField(
        label=_("Reason or case number"),
        max_length=500,
        help_text=_("For example the decision's case number. It is kept in the history."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RemoveForm(VersionForm):
    """Remove a result (T-REM-1): the reason is required unless a removal was prepared with
    one, which is then used."""

    reason = forms.CharField(
        label=_("Reason or case number"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, prepared_reason: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.prepared_reason = prepared_reason
        if prepared_reason:
            self.fields["reason"].help_text = _(
                "Leave empty to use the reason given when the removal was prepared."
            )
        else:
            self.fields["reason"].required = True

    def clean_reason(self) -> str:
        return self.cleaned_data["reason"].strip() or self.prepared_reason
