"""Presentation forms of the staff Report pages (T-REP-1..4, T-REP-2, B-8). They parse input;
results.services.reporting and results.services.annotations do the writing. The rows of the
report sheet itself are read by staffweb.results.report.sheet."""

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from catalog.models import Grade, Module
from people.models import User
from results.models import AnnotationKind
from staffweb.students.forms import StudentSearchForm

COURSE = "course"  # the target that stands for the whole course's grade in URLs and forms


class InstanceSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Course code or name"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


def _targets(modules: list[Module]) -> list[tuple[str, str]]:
    return [(m.code, f"{m.code} {m.name}") for m in modules] + [
        (COURSE, str(_("Whole course (course grade)")))
    ]


class ColumnForm(forms.Form):
    """T-REP-2: a new annotation column on a module or on the course grade."""

    target = forms.ChoiceField(label=_("On"))
    kind = forms.ChoiceField(label=_("Column"), choices=AnnotationKind.choices)
    shown_to_student = forms.BooleanField(
        label=_("Students see it with their result"), required=False, initial=True
    )

    def __init__(self, *args, modules: list[Module], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = _targets(modules)


class RemoveColumnForm(forms.Form):
    target = forms.CharField(max_length=20)
    kind = forms.ChoiceField(choices=AnnotationKind.choices)


class FindStudentForm(StudentSearchForm):
    """T-REP-4: a student missing from the list, by personal identity number. Posted, never in
    a URL."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["number"].label = _("Add a student by personal identity number")


class UserChoiceField(forms.ChoiceField):
    """One of the users read for the page (a list, so the <select> costs no further query)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.users: dict[str, User] = {}

    def set_users(self, users: list[User], empty_label: str | None) -> None:
        self.users = {str(u.pk): u for u in users}
        first = [("", empty_label)] if empty_label is not None else []
        self.choices = first + [(key, u.display_name) for key, u in self.users.items()]

    def clean(self, value: str) -> User | None:
        value = super().clean(value)
        return self.users[value] if value else None


# "<result public id hex or anonymisation code>.<version>": what the row showed.
_SELECTED = re.compile(r"^(?P<key>[A-Za-z0-9-]{1,40})\.(?P<version>[1-9][0-9]{0,8})$")


def parse_selected(values: list[str]) -> dict[str, int]:
    """key → version of the rows ticked; values not of that shape are ignored."""
    found = {}
    for value in values:
        match = _SELECTED.match(value)
        if match:
            found[match["key"]] = int(match["version"])
    return found


class MarkReadyForm(forms.Form):
    """Klarmarkera (T-REP-3): the rows ticked, or every draft, the grading teacher and whom to
    notify."""

    graded_by = UserChoiceField(label=_("Grading teacher"))
    notify = UserChoiceField(
        label=_("Notify"), help_text=_("Normally the examiner, who certifies the results.")
    )
    all = forms.BooleanField(required=False)

    def __init__(self, *args, teachers: list[User], examiners: list[User], me: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["graded_by"].set_users(teachers, str(_("Choose the grading teacher")))
        if me in teachers:
            self.initial.setdefault("graded_by", str(me.pk))
        notify = self.fields["notify"]
        if not examiners:
            notify.required = False
            notify.set_users([], str(_("Nobody: the course has no examiner")))
        elif len(examiners) == 1:
            # The only examiner is whom to notify; nothing to choose.
            notify.set_users(examiners, None)
            self.initial.setdefault("notify", str(examiners[0].pk))
        else:
            notify.set_users(examiners, str(_("Choose the examiner")))

    def selected(self) -> dict[str, int]:
        return parse_selected(self.data.getlist("ready"))


class UnmarkForm(forms.Form):
    def selected(self) -> dict[str, int]:
        return parse_selected(self.data.getlist("unmark"))


class DiscardForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class PointsField(forms.DecimalField):
    """Points as teachers write them in either language: 12,5 or 12.5."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


class ThresholdsForm(forms.Form):
    """B-8: the minimum points for each grade of the module's scale; empty: never proposed."""

    def __init__(self, *args, grades: list[Grade], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.grades = grades
        for grade in grades:
            self.fields[f"min-{grade.code}"] = PointsField(
                label=_("%(code)s – %(name)s: at least") % {"code": grade.code, "name": grade.name},
                required=False,
                min_value=Decimal(0),
                max_value=Decimal("9999.99"),
                max_digits=6,
                decimal_places=2,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            )

    def minimums(self) -> list[tuple[Grade, Decimal | None]]:
        return [(g, self.cleaned_data.get(f"min-{g.code}")) for g in self.grades]

    def add_service_error(self, error: Exception) -> None:
        self.add_error(None, ValidationError(str(error)))
