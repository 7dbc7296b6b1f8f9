"""Course search and course view (seed 004), included under /staff/courses/ by staffweb.urls."""

from django.urls import path

from staffweb.courses import views

urlpatterns = [
    path("", views.search, name="staff_courses"),
    path("<str:code>/", views.course, name="staff_course"),
    path("<str:code>/new/", views.instance_new, name="staff_course_instance_new"),
    path("<str:code>/ask-rights/", views.ask_rights, name="staff_course_ask_rights"),
    path("<str:code>/<uuid:instance_id>/", views.instance, name="staff_course_instance"),
    path(
        "<str:code>/<uuid:instance_id>/edit/",
        views.instance_edit,
        name="staff_course_instance_edit",
    ),
    path("<str:code>/<uuid:instance_id>/admit/", views.admit, name="staff_course_admit"),
]
