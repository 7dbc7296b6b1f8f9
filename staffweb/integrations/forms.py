"""Presentation forms of the integration pages (B-7, T-EXT-1). They parse input; the
integration service judges a corrected record exactly as it judges a pushed one."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from people.models import User
from results.models import InboundState, RejectedRecord
from results.services.integration import Pushed, SessionContext


class InboxFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            (InboundState.REJECTED, pgettext_lazy("inbound records", "Waiting for action")),
            (InboundState.APPLIED, pgettext_lazy("inbound records", "Applied")),
            (InboundState.DISMISSED, pgettext_lazy("inbound records", "Dismissed")),
            ("all", pgettext_lazy("inbound records", "All")),
        ],
    )

    def state_filter(self) -> str:
        """The state to list: by default what waits for action; "" for every state."""
        if not self.is_valid() or not self.cleaned_data["state"]:
            return InboundState.REJECTED
        state = self.cleaned_data["state"]
        return "" if state == "all" else state


class CorrectionForm(forms.Form):
    """The record's fields, pre-filled with what the exam system sent, to correct and re-apply.
    The student is named by the same kind of key the system used, or the other one."""

    anonymisation_code = forms.CharField(
        label=_("Anonymisation code"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    identity_number = forms.CharField(
        label=_("Personal identity number"),
        required=False,
        max_length=13,
        help_text=_("Instead of the code: YYYYMMDD-XXXX."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    module_code = forms.ChoiceField(label=_("Module"))
    grade = forms.ChoiceField(label=_("Grade"))
    examination_date = forms.DateField(
        label=_("Examination date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    points = forms.DecimalField(
        label=_("Examination points"),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal("9999.99"),
        decimal_places=2,
    )

    def __init__(self, *args, record: RejectedRecord, context: SessionContext, **kwargs) -> None:
        if not args or args[0] is None:
            kwargs.setdefault("initial", _initial(record.payload, context))
        super().__init__(*args, **kwargs)
        self.record = record
        self.fields["module_code"].choices = [
            (m.code, f"{m.course.code} · {m.code} {m.name}") for m in context.modules
        ]
        codes = sorted({g.code for grades in context.grades.values() for g in grades})
        self.fields["grade"].choices = [("", _("Choose a grade")), *((c, c) for c in codes)]

    def clean(self) -> dict:
        data = super().clean()
        code, number = data.get("anonymisation_code"), data.get("identity_number")
        if bool(code) == bool(number):
            raise ValidationError(
                _("Give either the anonymisation code or the personal identity number."),
                code="key",
            )
        return data

    def pushed(self) -> Pushed:
        data = self.cleaned_data
        return Pushed(
            anonymisation_code=data["anonymisation_code"] or None,
            identity_number=data["identity_number"] or None,
            module_code=data["module_code"],
            grade=data["grade"],
            examination_date=data["examination_date"],
            points=data["points"],
            external_id=self.record.payload.get("external_id"),
        )


def _initial(payload: dict, context: SessionContext) -> dict:
    initial = {k: v for k, v in payload.items() if k != "external_id"}
    if "module_code" not in initial and len(context.modules) == 1:
        initial["module_code"] = context.modules[0].code
    return initial


class DismissForm(forms.Form):
    note = forms.CharField(
        label=_("Why is the record dismissed?"),
        max_length=300,
        help_text=_("Kept with the record, with your name and the time."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class ActingUserField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name} ({obj.username})"


class ClientForm(forms.Form):
    name_sv = forms.CharField(label=_("Name in Swedish"), max_length=200)
    name_en = forms.CharField(label=_("Name in English"), max_length=200)
    acting_user = ActingUserField(
        label=_("Reports as"),
        queryset=User.objects.none(),
        empty_label=_("Choose a person"),
        help_text=_(
            "Results from the exam system are reported in this person's name. They need a right "
            "to report on the courses whose exams the system holds."
        ),
    )

    def __init__(self, *args, acting_users: QuerySet[User], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["acting_user"].queryset = acting_users
