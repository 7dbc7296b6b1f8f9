from django.urls import include, path

from staffweb import views
from staffweb.exams import views as exams
from staffweb.students import views as students

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
    path("students/<uuid:person_id>/certificates/", include("staffweb.certificates.urls")),
    path("exams/", exams.session_list, name="staff_exams"),
    path("exams/new/", exams.session_create, name="staff_exam_new"),
    path("exams/<uuid:session_id>/", exams.session_detail, name="staff_exam"),
    path("exams/<uuid:session_id>/edit/", exams.session_edit, name="staff_exam_edit"),
    path(
        "exams/<uuid:session_id>/participants/",
        exams.participant_add,
        name="staff_exam_participant_add",
    ),
    path(
        "exams/<uuid:session_id>/participants/<uuid:signup_id>/remove/",
        exams.participant_remove,
        name="staff_exam_participant_remove",
    ),
    path("exams/<uuid:session_id>/codes/", exams.codes, name="staff_exam_codes"),
    path("exams/<uuid:session_id>/export/", exams.export, name="staff_exam_export"),
    path("rights/", include("staffweb.rights.urls")),
    path("configuration/", include("staffweb.configuration.urls")),
    path("courses/", include("staffweb.courses.urls")),
    path("results/file/", include("staffweb.results.file.urls")),
    path("results/", include("staffweb.results.report.urls")),
    path("results/certify/", include("staffweb.results.certify.urls")),
    path("results/certify/", include("staffweb.results.timeline.urls")),
    path("integrations/", include("staffweb.integrations.urls")),
    path("credits/", include("staffweb.credits.urls")),
    path("fees/", include("staffweb.fees.urls")),
    path("degrees/", include("staffweb.degrees.urls")),
]
