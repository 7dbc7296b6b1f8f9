"""The university a person works in, when they belong to more than one (the menu's switch): the
same rule for the student and the staff web, each keeping its own choice (middleware.session_key).
"""

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from institutions.middleware import session_key


class InstitutionChoiceForm(forms.Form):
    institution = forms.IntegerField()

    def __init__(self, *args, institutions: list, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.allowed = {i.pk: i for i in institutions}

    def clean_institution(self):
        pk = self.cleaned_data["institution"]
        if pk not in self.allowed:
            raise forms.ValidationError(_("Choose one of your universities."))
        return self.allowed[pk]


def switch(request: HttpRequest) -> None:
    """Remember the posted university if it is one of the person's; otherwise say why not."""
    form = InstitutionChoiceForm(request.POST, institutions=request.institutions)
    if form.is_valid():
        request.session[session_key(request)] = form.cleaned_data["institution"].pk
    else:
        messages.error(request, form.errors["institution"][0])
