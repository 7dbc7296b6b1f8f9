"""URLs of the staff web's certifying pages (included from staffweb/urls.py at
/staff/results/certify/): T-CERT-1..3, B-3, B-4, T-REM-1, T-ANON-1."""

from django.urls import path

from staffweb import certifying, result_history

urlpatterns = [
    path("", certifying.overview, name="staff_certify"),
    path("removals/", result_history.removals, name="staff_certify_removals"),
    path("sessions/<uuid:session_id>/", certifying.session_page, name="staff_certify_session"),
    path("<uuid:instance_id>/", certifying.instance_page, name="staff_certify_instance"),
    path("<uuid:instance_id>/review/", certifying.review, name="staff_certify_review"),
    path(
        "<uuid:instance_id>/review/<slug:batch_id>/",
        certifying.preview_page,
        name="staff_certify_preview",
    ),
    path(
        "<uuid:instance_id>/review/<slug:batch_id>/certify/",
        certifying.certify,
        name="staff_certify_certify",
    ),
    path("<uuid:instance_id>/unmark/", certifying.unmark, name="staff_certify_unmark"),
    path(
        "<uuid:instance_id>/results/<uuid:result_id>/correct/",
        certifying.correct,
        name="staff_certify_correct",
    ),
    path(
        "result/<uuid:result_id>/timeline/",
        result_history.timeline,
        name="staff_result_timeline",
    ),
    path(
        "result/<uuid:result_id>/prepare-removal/",
        result_history.prepare_removal,
        name="staff_result_prepare_removal",
    ),
    path(
        "result/<uuid:result_id>/withdraw-removal/",
        result_history.withdraw_removal,
        name="staff_result_withdraw_removal",
    ),
    path("result/<uuid:result_id>/remove/", result_history.remove, name="staff_result_remove"),
]
