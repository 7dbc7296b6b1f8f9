from django import forms
from django.utils.translation import gettext_lazy as _

from degrees.models import CaseState


class QueueFilter(forms.Form):
    state = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Open cases")), *CaseState.choices],
    )
    kind = forms.ChoiceField(label=_("Degree"), required=False)

    def __init__(self, *args, kinds=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Every degree"))] + [
            (str(k.public_id), k.name) for k in kinds
        ]


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Internal note"), max_length=2000, widget=forms.Textarea)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason the student sees"), max_length=2000, widget=forms.Textarea
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the withdrawal"), max_length=2000, widget=forms.Textarea
    )
