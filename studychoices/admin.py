"""The superuser's view of study choices and applications within a programme (T-ADM-3). Day-to-day
work happens in the staff web; a student's choice and application are written only by their
services, so here they are read-only."""

from django.contrib import admin
from django.http import HttpRequest

from registration.models import Application, ApplicationOffer
from studychoices.models import ChoiceAlternative, ChoicePeriod, StudyChoice, StudyChoiceItem


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records a student's action wrote: never added, changed or deleted by hand."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ChoiceAlternativeInline(admin.TabularInline):
    model = ChoiceAlternative
    fields = ("position", "course_instance", "specialisation_instance", "institution")
    raw_id_fields = ("course_instance", "specialisation_instance")
    extra = 1


@admin.register(ChoicePeriod)
class ChoicePeriodAdmin(admin.ModelAdmin):
    list_display = ("name_sv", "programme_instance", "opens", "closes", "institution")
    list_filter = ("institution",)
    search_fields = ("name_sv", "name_en", "programme_instance__instance_code")
    raw_id_fields = ("programme_instance",)
    readonly_fields = ("public_id",)
    inlines = [ChoiceAlternativeInline]


class StudyChoiceItemInline(admin.TabularInline):
    model = StudyChoiceItem
    fields = ("alternative", "course_participation", "programme_participation")
    readonly_fields = fields
    can_delete = False
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(StudyChoice)
class StudyChoiceAdmin(ReadOnlyAdmin):
    list_display = ("person", "period", "chosen_at", "removed_at", "institution")
    list_filter = ("institution",)
    list_select_related = ("person", "period")
    inlines = [StudyChoiceItemInline]


@admin.register(ApplicationOffer)
class ApplicationOfferAdmin(admin.ModelAdmin):
    list_display = (
        "public_id",
        "programme_instance",
        "course_instance",
        "specialisation_instance",
        "opens",
        "closes",
    )
    list_filter = ("institution",)
    raw_id_fields = ("programme_instance", "course_instance", "specialisation_instance")
    readonly_fields = ("public_id",)


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ("person", "offer", "applied_at", "removed_at", "institution")
    list_filter = ("institution",)
    list_select_related = ("person", "offer")
