from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from people import identity
from people.models import Person, StaffRole, User


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Ladok", {"fields": ("person",)}))
    raw_id_fields = ("person",)


class PersonAdminForm(forms.ModelForm):
    """The admin is one more way a number enters: the same validation and canonical form as
    every other (S-CONT-4)."""

    # Longer than the stored twelve digits: YYYYMMDD-NNNN is how people write it.
    identity_number = forms.CharField(max_length=20, required=False)

    class Meta:
        model = Person
        fields = "__all__"  # noqa: DJ007 - the superuser's form shows every field

    def clean_identity_number(self) -> str | None:
        raw = self.cleaned_data.get("identity_number") or ""
        return identity.normalise(raw) if raw.strip() else None


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    form = PersonAdminForm
    list_display = ("last_name", "first_name", "birth_date")
    # Search by exact identity number only: the list never shows the full number.
    search_fields = ("=identity_number", "last_name", "email")
    readonly_fields = ("public_id",)


@admin.register(StaffRole)
class StaffRoleAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "institution", "org_unit", "course")
    list_filter = ("role", "institution")
    raw_id_fields = ("user", "org_unit", "course")
