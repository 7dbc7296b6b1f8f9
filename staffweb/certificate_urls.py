"""URLs of a student's certificates in the staff web (included from staffweb/urls.py at
/staff/students/<person_id>/certificates/): S-CERT-1..4, T-ADM-2, B-5."""

from django.urls import path

from staffweb import certificates

urlpatterns = [
    path("", certificates.certificate_list, name="staff_student_certificates"),
    path("<uuid:public_id>/", certificates.certificate_page, name="staff_certificate"),
    path(
        "<uuid:public_id>/document.pdf",
        certificates.certificate_download,
        name="staff_certificate_download",
    ),
    path("<uuid:public_id>/retry/", certificates.certificate_retry, name="staff_certificate_retry"),
]
