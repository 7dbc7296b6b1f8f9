from django import forms
from django.contrib import admin

from institutions.models import Institution, InstitutionSettings, LocalText, OrgUnit
from institutions.sanitise import sanitise


class InstitutionSettingsInline(admin.StackedInline):
    model = InstitutionSettings
    can_delete = False


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ("code", "name_sv", "name_en")
    search_fields = ("code", "name_sv", "name_en")
    inlines = [InstitutionSettingsInline]


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name_sv", "institution")
    list_filter = ("institution",)


class LocalTextForm(forms.ModelForm):
    """The admin is a second door to the same texts: sanitise here as the service does."""

    class Meta:
        model = LocalText
        fields = ("institution", "slot", "body_sv", "body_en")

    def clean_body_sv(self) -> str:
        return sanitise(self.cleaned_data["body_sv"])

    def clean_body_en(self) -> str:
        return sanitise(self.cleaned_data["body_en"])


@admin.register(LocalText)
class LocalTextAdmin(admin.ModelAdmin):
    form = LocalTextForm
    list_display = ("institution", "slot", "updated_at")
    list_filter = ("institution", "slot")
