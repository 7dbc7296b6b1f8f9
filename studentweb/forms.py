"""Presentation forms of the student web. They validate input; services do the writing."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ladokportal import clock
from people.models import Person
from people.services import CONTACT_FIELDS


class ContactDetailsForm(forms.ModelForm):
    """S-CONT-2/3: e-mail, phone and a temporary address. The registered address is not a field
    here at all, so no crafted POST can change it."""

    class Meta:
        model = Person
        fields = CONTACT_FIELDS
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "temporary_street": forms.TextInput(attrs={"autocomplete": "street-address"}),
            "temporary_postal_code": forms.TextInput(attrs={"autocomplete": "postal-code"}),
            "temporary_city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "temporary_country": forms.TextInput(attrs={"autocomplete": "country-name"}),
            "temporary_valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if not email:
            raise forms.ValidationError(_("Enter an e-mail address: the university writes to it."))
        return email

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        allowed = set("0123456789+-() ")
        if phone and (set(phone) - allowed or sum(c.isdigit() for c in phone) < 6):
            raise forms.ValidationError(
                _("Enter a phone number with digits, for example 070-123 45 67.")
            )
        return phone

    def clean_temporary_valid_until(self):
        value = self.cleaned_data["temporary_valid_until"]
        if value and value < clock.today():
            raise forms.ValidationError(_("The date has already passed."))
        return value

    def clean(self) -> dict:
        data = super().clean()
        address = [
            data.get(f) for f in ("temporary_street", "temporary_postal_code", "temporary_city")
        ]
        if any(address) and not all(address):
            raise forms.ValidationError(
                _("A temporary address needs a street address, a postal code and a city.")
            )
        return data

    def changes(self) -> dict:
        return {field: self.cleaned_data[field] for field in self.changed_data}
