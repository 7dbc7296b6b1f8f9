"""URLs of a result's timeline and its removal (T-CERT-2, B-3, T-REM-1), included from
staffweb/urls.py at /staff/results/certify/."""

from django.urls import path

from staffweb.results.timeline import views

urlpatterns = [
    path(
        "result/<uuid:result_id>/timeline/",
        views.timeline,
        name="staff_result_timeline",
    ),
    path(
        "result/<uuid:result_id>/prepare-removal/",
        views.prepare_removal,
        name="staff_result_prepare_removal",
    ),
    path(
        "result/<uuid:result_id>/withdraw-removal/",
        views.withdraw_removal,
        name="staff_result_withdraw_removal",
    ),
    path("result/<uuid:result_id>/remove/", views.remove, name="staff_result_remove"),
]
