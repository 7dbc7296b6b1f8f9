"""URLs of the staff web's reporting pages (included from staffweb/urls.py at /staff/results/)."""

from django.urls import path

from staffweb.results.report import sessions, views

urlpatterns = [
    path("", views.instance_list, name="staff_report"),
    path(
        "sessions/<uuid:session_id>/report/",
        sessions.code_sheet,
        name="staff_report_codes",
    ),
    path(
        "sessions/<uuid:session_id>/report/ready/",
        sessions.code_mark_ready,
        name="staff_report_codes_ready",
    ),
    path(
        "sessions/<uuid:session_id>/report/unmark/",
        sessions.code_unmark,
        name="staff_report_codes_unmark",
    ),
    path(
        "sessions/<uuid:session_id>/thresholds/",
        sessions.thresholds,
        name="staff_report_thresholds",
    ),
    path("<uuid:instance_id>/", views.instance_page, name="staff_report_instance"),
    path("<uuid:instance_id>/columns/", views.column_add, name="staff_report_column_add"),
    path(
        "<uuid:instance_id>/columns/remove/",
        views.column_remove,
        name="staff_report_column_remove",
    ),
    path("<uuid:instance_id>/<str:target>/", views.sheet, name="staff_report_sheet"),
    path(
        "<uuid:instance_id>/<str:target>/ready/",
        views.mark_ready,
        name="staff_report_ready",
    ),
    path(
        "<uuid:instance_id>/<str:target>/unmark/",
        views.unmark,
        name="staff_report_unmark",
    ),
    path(
        "<uuid:instance_id>/<str:target>/find/",
        views.find_student,
        name="staff_report_find",
    ),
    path(
        "<uuid:instance_id>/<str:target>/discard/<uuid:result_id>/",
        views.discard,
        name="staff_report_discard",
    ),
]
