"""URLs of the staff web's reporting pages (included from staffweb/urls.py at /staff/results/)."""

from django.urls import path

from staffweb import reporting, reporting_sessions

urlpatterns = [
    path("", reporting.instance_list, name="staff_report"),
    path(
        "sessions/<uuid:session_id>/report/",
        reporting_sessions.code_sheet,
        name="staff_report_codes",
    ),
    path(
        "sessions/<uuid:session_id>/report/ready/",
        reporting_sessions.code_mark_ready,
        name="staff_report_codes_ready",
    ),
    path(
        "sessions/<uuid:session_id>/report/unmark/",
        reporting_sessions.code_unmark,
        name="staff_report_codes_unmark",
    ),
    path(
        "sessions/<uuid:session_id>/thresholds/",
        reporting_sessions.thresholds,
        name="staff_report_thresholds",
    ),
    path("<uuid:instance_id>/", reporting.instance_page, name="staff_report_instance"),
    path("<uuid:instance_id>/columns/", reporting.column_add, name="staff_report_column_add"),
    path(
        "<uuid:instance_id>/columns/remove/",
        reporting.column_remove,
        name="staff_report_column_remove",
    ),
    path("<uuid:instance_id>/<str:target>/", reporting.sheet, name="staff_report_sheet"),
    path(
        "<uuid:instance_id>/<str:target>/ready/",
        reporting.mark_ready,
        name="staff_report_ready",
    ),
    path(
        "<uuid:instance_id>/<str:target>/unmark/",
        reporting.unmark,
        name="staff_report_unmark",
    ),
    path(
        "<uuid:instance_id>/<str:target>/find/",
        reporting.find_student,
        name="staff_report_find",
    ),
    path(
        "<uuid:instance_id>/<str:target>/discard/<uuid:result_id>/",
        reporting.discard,
        name="staff_report_discard",
    ),
]
