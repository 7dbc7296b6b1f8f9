from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from people.models import Person, StaffRole, User


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Ladok", {"fields": ("person",)}))
    raw_id_fields = ("person",)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("last_name", "first_name", "birth_date")
    # Search by exact identity number only: the list never shows the full number.
    search_fields = ("=identity_number", "last_name", "email")
    readonly_fields = ("public_id",)


@admin.register(StaffRole)
class StaffRoleAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "institution", "org_unit", "course")
    list_filter = ("role", "institution")
    raw_id_fields = ("user", "org_unit", "course")
