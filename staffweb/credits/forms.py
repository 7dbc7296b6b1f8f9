from django import forms
from django.utils.translation import gettext_lazy

from catalog.models import Grade
from credits.models import Outcome
from credits.queries import QueueFilter


class QueueFilterForm(forms.Form):
    show = forms.ChoiceField(
        label=gettext_lazy("Show"),
        choices=[
            (QueueFilter.OPEN, gettext_lazy("Waiting for a decision")),
            (QueueFilter.MINE, gettext_lazy("Mine")),
            (QueueFilter.DECIDED, gettext_lazy("Decided")),
            (QueueFilter.ALL, gettext_lazy("All")),
        ],
        widget=forms.RadioSelect,
        required=False,
    )

    def value(self) -> str:
        if self.is_valid() and self.cleaned_data["show"]:
            return self.cleaned_data["show"]
        return QueueFilter.OPEN


class NoteForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Internal note (never shown to the student)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )


class DecisionForm(forms.Form):
    """A decision on one item (S-CRED): credited with credits and a grade, or refused."""

    outcome = forms.ChoiceField(
        label=gettext_lazy("Decision"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    credited_credits = forms.DecimalField(
        label=gettext_lazy("Credited credits"),
        max_digits=5,
        decimal_places=1,
        required=False,
        help_text=gettext_lazy("Leave empty to credit the whole target."),
    )
    grade = forms.ModelChoiceField(
        label=gettext_lazy("Grade"), queryset=Grade.objects.none(), required=False
    )
    refusal_reason = forms.CharField(
        label=gettext_lazy("Reason for a refusal"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    appeal_instruction = forms.CharField(
        label=gettext_lazy("Appeal instruction"),
        required=False,
        help_text=gettext_lazy("Leave empty for the standard instruction."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, item, grades, **kwargs) -> None:
        kwargs.setdefault("auto_id", f"decide-{item.public_id}-%s")
        super().__init__(*args, **kwargs)
        self.fields["grade"].queryset = grades
        self.fields["grade"].choices = [("", "—"), *((g.pk, g.name) for g in grades)]
