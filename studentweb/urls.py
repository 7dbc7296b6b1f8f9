from django.urls import path

from studentweb import certificates, choices, education, exams, views

urlpatterns = [
    path("", views.home, name="home"),
    path("start/", views.start, name="student_start"),
    path("my-details/", views.my_details, name="my_details"),
    path("institution/", views.switch_institution, name="switch_institution"),
    path("alumni/", views.alumni_home, name="alumni_home"),
    path("education/", education.my_education, name="my_education"),
    path("courses/<uuid:public_id>/", education.course_page, name="course_page"),
    path("courses/<uuid:public_id>/more/", education.course_more, name="course_more"),
    path("courses/<uuid:public_id>/remove/", education.course_remove, name="course_remove"),
    path("courses/<uuid:public_id>/register/", education.course_register, name="course_register"),
    path("courses/<uuid:public_id>/withdraw/", education.course_withdraw, name="course_withdraw"),
    path("courses/<uuid:public_id>/drop-out/", education.course_drop_out, name="course_drop_out"),
    path(
        "courses/<uuid:public_id>/change-instance/",
        education.course_change_instance,
        name="course_change_instance",
    ),
    path("programmes/<uuid:public_id>/", education.programme_page, name="programme_page"),
    path(
        "programmes/<uuid:public_id>/withdraw/",
        education.programme_withdraw,
        name="programme_withdraw",
    ),
    path(
        "programmes/<uuid:public_id>/drop-out/",
        education.programme_drop_out,
        name="programme_drop_out",
    ),
    path("choices/<uuid:public_id>/", choices.choice_period, name="choice_period"),
    path("choices/<uuid:public_id>/remove/", choices.remove_choice, name="remove_choice"),
    path("applications/<uuid:public_id>/", choices.application_offer, name="application_offer"),
    path(
        "applications/<uuid:public_id>/remove/",
        choices.remove_application,
        name="remove_application",
    ),
    path("exams/", exams.exam_sessions, name="exam_sessions"),
    path("exams/calendar/", exams.exam_calendar_link, name="exam_calendar_link"),
    path("exams/calendar/<str:token>.ics", exams.exam_calendar_feed, name="exam_calendar_feed"),
    path("exams/<uuid:public_id>/", exams.exam_session, name="exam_session"),
    path("exams/<uuid:public_id>/sign-up/", exams.exam_sign_up, name="exam_sign_up"),
    path("exams/<uuid:public_id>/cancel/", exams.exam_cancel, name="exam_cancel"),
    path("certificates/", certificates.certificates, name="certificates"),
    path("certificates/<uuid:public_id>/", certificates.certificate, name="certificate"),
    path(
        "certificates/<uuid:public_id>/status/",
        certificates.certificate_status,
        name="certificate_status",
    ),
    path(
        "certificates/<uuid:public_id>/document.pdf",
        certificates.certificate_download,
        name="certificate_download",
    ),
    path(
        "certificates/<uuid:public_id>/retry/",
        certificates.certificate_retry,
        name="certificate_retry",
    ),
]
