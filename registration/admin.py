from django.contrib import admin

from registration.models import (
    CourseParticipation,
    LeaveOfAbsence,
    ParticipationEvent,
    ProgrammeParticipation,
    Registration,
)


@admin.register(CourseParticipation)
class CourseParticipationAdmin(admin.ModelAdmin):
    list_display = ("person", "course_instance", "state", "institution")
    list_filter = ("institution", "state")
    raw_id_fields = ("person", "course_instance", "programme_participation")


@admin.register(ProgrammeParticipation)
class ProgrammeParticipationAdmin(admin.ModelAdmin):
    list_display = ("person", "programme_instance", "state", "institution")
    list_filter = ("institution", "state")
    raw_id_fields = ("person", "programme_instance")


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ("participation", "study_period", "registered_at")
    raw_id_fields = ("participation", "course_instance", "study_period")


@admin.register(ParticipationEvent)
class ParticipationEventAdmin(admin.ModelAdmin):
    """History is read-only, even for superusers."""

    list_display = ("at", "from_state", "to_state", "actor")

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(LeaveOfAbsence)
class LeaveOfAbsenceAdmin(admin.ModelAdmin):
    list_display = ("programme_participation", "start_date", "end_date")
