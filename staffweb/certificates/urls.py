"""URLs of a student's certificates in the staff web (included from staffweb/urls.py at
/staff/students/<person_id>/certificates/): S-CERT-1..4, T-ADM-2, B-5."""

from django.urls import path

from staffweb.certificates import views

urlpatterns = [
    path("", views.certificate_list, name="staff_student_certificates"),
    path("<uuid:public_id>/", views.certificate_page, name="staff_certificate"),
    path(
        "<uuid:public_id>/document.pdf",
        views.certificate_download,
        name="staff_certificate_download",
    ),
    path("<uuid:public_id>/retry/", views.certificate_retry, name="staff_certificate_retry"),
]
