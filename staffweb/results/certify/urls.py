"""URLs of the staff web's certifying pages (included from staffweb/urls.py at
/staff/results/certify/): T-CERT-1..3, B-3, B-4, T-REM-1, T-ANON-1."""

from django.urls import path

from staffweb.results.certify import views

urlpatterns = [
    path("", views.overview, name="staff_certify"),
    path("removals/", views.removals, name="staff_certify_removals"),
    path("sessions/<uuid:session_id>/", views.session_page, name="staff_certify_session"),
    path("<uuid:instance_id>/", views.instance_page, name="staff_certify_instance"),
    path("<uuid:instance_id>/review/", views.review, name="staff_certify_review"),
    path(
        "<uuid:instance_id>/review/<slug:batch_id>/",
        views.preview_page,
        name="staff_certify_preview",
    ),
    path(
        "<uuid:instance_id>/review/<slug:batch_id>/certify/",
        views.certify,
        name="staff_certify_certify",
    ),
    path("<uuid:instance_id>/unmark/", views.unmark, name="staff_certify_unmark"),
    path(
        "<uuid:instance_id>/results/<uuid:result_id>/correct/",
        views.correct,
        name="staff_certify_correct",
    ),
]
