"""The public share page's form (S-DEG-5): a well-formed code and identity number or a message."""

from django import forms
from django.utils.translation import gettext_lazy as _


class SharedLookupForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        error_messages={"required": _("Enter the code.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    identity_number = forms.CharField(
        label=_("The holder's personal identity number"),
        help_text=_("YYYYMMDD-XXXX"),
        max_length=20,
        error_messages={"required": _("Enter the holder's personal identity number.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )

    def clean_code(self) -> str:
        from certificates import codes

        code = codes.normalise(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                _("This is not a valid code. Check that you typed it as you were given it.")
            )
        return code

    def clean_identity_number(self) -> str:
        from people import identity

        try:
            return identity.normalise(self.cleaned_data["identity_number"])
        except forms.ValidationError as error:
            raise forms.ValidationError(error.messages) from None
