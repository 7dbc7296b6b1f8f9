from django.contrib import admin

from exams.models import ActivitySession, CodeListing, Signup


class SignupInline(admin.TabularInline):
    model = Signup
    raw_id_fields = ("person", "added_by", "cancelled_by")
    extra = 0


@admin.register(ActivitySession)
class ActivitySessionAdmin(admin.ModelAdmin):
    list_display = ("label", "name_sv", "starts_at", "anonymous", "institution")
    list_filter = ("institution", "kind", "anonymous")
    filter_horizontal = ("course_instances", "modules")
    inlines = [SignupInline]


@admin.register(CodeListing)
class CodeListingAdmin(admin.ModelAdmin):
    """The log of who listed anonymisation codes: read-only."""

    list_display = ("at", "session", "actor", "reason")

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
