"""The form that asks for a certificate (S-CERT-1), shared by the student's page and the study
administrator's page. It checks the shape of the input; certificates.options and the service
check the rules, so a crafted request gets the same answers as the form."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from certificates.models import REQUESTABLE_KINDS, CertificateLanguage


class CertificateForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Certificate"),
        choices=[(k.value, k.label) for k in REQUESTABLE_KINDS],
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("There is no such kind of certificate.")},
    )
    language = forms.ChoiceField(
        label=_("Language of the certificate"),
        choices=CertificateLanguage.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Certificates are issued in Swedish or English only.")},
    )
    # Registration certificate: leave both empty for the current registrations.
    date_from = forms.DateField(
        label=_("From (YYYY-MM-DD)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=_("To (YYYY-MM-DD)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    supervisors = forms.BooleanField(label=_("Add my supervisors"), required=False)
    study_activity = forms.BooleanField(label=_("Add my reported study activity"), required=False)
    # Transcripts.
    completed_only = forms.BooleanField(label=_("Only completed courses"), required=False)
    include_modules = forms.BooleanField(
        label=_("Show the modules of each course"), required=False, initial=True
    )
    include_failed = forms.BooleanField(label=_("Include failed attempts"), required=False)
    # One per form shown: a second submit of the same form finds the first certificate.
    request_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def clean(self) -> dict:
        data = super().clean()
        first, last = data.get("date_from"), data.get("date_to")
        if first and last and last < first:
            self.add_error("date_to", _("The period ends before it starts."))
        return data

    def raw_options(self) -> dict:
        """The options for certificates.services.create (which checks them again)."""
        keys = (
            "date_from",
            "date_to",
            "supervisors",
            "study_activity",
            "completed_only",
            "include_modules",
            "include_failed",
        )
        return {key: self.cleaned_data.get(key) for key in keys}

    def create(self, actor, *, person, institution):
        """The certificate this valid form asks for, made by certificates.services.create; None
        with the service's reason on the form when it is refused (nothing is saved then). The
        student's and the study administrator's page both create through here."""
        from certificates import services
        from certificates.errors import CertificateError

        data = self.cleaned_data
        try:
            return services.create(
                actor,
                person=person,
                institution=institution,
                kind=data["kind"],
                language=data["language"],
                raw_options=self.raw_options(),
                request_key=data["request_key"],
            )
        except CertificateError as error:
            self.add_error(None, error.message)
            return None
