from django.urls import path

from staffweb import students, views

urlpatterns = [
    path("", views.staff_home, name="staff_home"),
    path("institution/", views.switch_institution, name="staff_switch_institution"),
    path("students/", students.search, name="staff_students"),
    path("students/<uuid:person_id>/", students.student, name="staff_student"),
    path("students/<uuid:person_id>/admit/", students.admit, name="staff_student_admit"),
    path(
        "students/<uuid:person_id>/courses/<uuid:participation_id>/register/",
        students.register,
        name="staff_student_register",
    ),
    path(
        "students/<uuid:person_id>/programmes/<uuid:participation_id>/leave/",
        students.record_leave,
        name="staff_student_leave",
    ),
]
