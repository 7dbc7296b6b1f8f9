"""Presentation forms of the rights administration pages (T-ROLE-1). They parse input and find
the account, org unit and course named; people.services.grant_role checks everything again."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from catalog.models import Course
from institutions.models import Institution, OrgUnit
from people import rights_queries
from people.models import StaffRoleKind, User


class RoleFilterForm(forms.Form):
    """GET filters of the list: one role, and words of a name or username."""

    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[("", _("All roles")), *StaffRoleKind.choices],
    )
    q = forms.CharField(label=_("Name or username"), required=False, max_length=100)


class OrgUnitField(forms.ModelChoiceField):
    def label_from_instance(self, obj: OrgUnit) -> str:
        return f"{obj.code} {obj.name}"


class GrantForm(forms.Form):
    account = forms.CharField(
        label=_("Username or e-mail address"),
        max_length=254,
        help_text=_("The account that gets the right."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", _("Choose a role")), *StaffRoleKind.choices]
    )
    org_unit = OrgUnitField(
        label=_("Org unit"),
        required=False,
        queryset=OrgUnit.objects.none(),
        empty_label=_("No org unit"),
        help_text=_("To give the right for one org unit's courses only."),
    )
    course = forms.CharField(
        label=_("Course code"),
        required=False,
        max_length=20,
        help_text=_("To give the right for one course only. Leave empty for the whole university."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, institution: Institution, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.institution = institution
        self.fields["org_unit"].queryset = OrgUnit.objects.filter(institution=institution)

    def clean_account(self) -> User:
        text = self.cleaned_data["account"]
        try:
            user = rights_queries.find_account(text)
        except rights_queries.AmbiguousAccount:
            raise ValidationError(
                _("Several accounts have this e-mail address. Give the username instead."),
                code="ambiguous",
            ) from None
        if user is None:
            raise ValidationError(
                _("No account has this username or e-mail address."), code="unknown"
            )
        return user

    def clean_course(self) -> Course | None:
        code = self.cleaned_data["course"].strip()
        if not code:
            return None
        course = rights_queries.course_by_code(self.institution, code)
        if course is None:
            raise ValidationError(
                _("%(university)s has no course with the code %(code)s."),
                code="unknown",
                params={"university": self.institution.name, "code": code},
            )
        return course

    def clean(self) -> dict:
        data = super().clean()
        if data.get("org_unit") and data.get("course"):
            raise ValidationError(
                _("Narrow a right to an org unit or to a course, not both."), code="both"
            )
        return data
