from django.contrib import admin

from catalog.models import (
    Course,
    CourseInstance,
    CourseInstancePeriod,
    Grade,
    GradingScale,
    Module,
    Programme,
    ProgrammeCourse,
    ProgrammeInstance,
    StudyPeriod,
)


class GradeInline(admin.TabularInline):
    model = Grade


@admin.register(GradingScale)
class GradingScaleAdmin(admin.ModelAdmin):
    list_display = ("code", "name_sv", "name_en")
    inlines = [GradeInline]


class ModuleInline(admin.TabularInline):
    model = Module


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ("code", "name_sv", "credits", "institution")
    list_filter = ("institution",)
    search_fields = ("code", "name_sv", "name_en")
    inlines = [ModuleInline]


class CourseInstancePeriodInline(admin.TabularInline):
    model = CourseInstancePeriod


@admin.register(CourseInstance)
class CourseInstanceAdmin(admin.ModelAdmin):
    list_display = ("instance_code", "course", "start_date", "end_date", "institution")
    list_filter = ("institution",)
    search_fields = ("instance_code", "course__code")
    inlines = [CourseInstancePeriodInline]


@admin.register(StudyPeriod)
class StudyPeriodAdmin(admin.ModelAdmin):
    list_display = ("code", "start_date", "end_date", "institution")
    list_filter = ("institution",)


class ProgrammeCourseInline(admin.TabularInline):
    model = ProgrammeCourse
    raw_id_fields = ("course_instance",)


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("code", "name_sv", "kind", "institution")
    list_filter = ("institution", "kind")


@admin.register(ProgrammeInstance)
class ProgrammeInstanceAdmin(admin.ModelAdmin):
    list_display = ("instance_code", "programme", "start_date", "institution")
    inlines = [ProgrammeCourseInline]
