"""Degree cases in the staff web (included at /staff/degrees/): S-DEG-3, S-DEG-4, S-DEG-6."""

from django.urls import path

from staffweb.degrees import views

urlpatterns = [
    path("", views.queue, name="staff_degrees"),
    path("<uuid:public_id>/", views.case_page, name="staff_degree_case"),
    path("<uuid:public_id>/take/", views.take, name="staff_degree_take"),
    path("<uuid:public_id>/notes/", views.add_note, name="staff_degree_note"),
    path("<uuid:public_id>/issue/", views.issue, name="staff_degree_issue"),
    path("<uuid:public_id>/refuse/", views.refuse, name="staff_degree_refuse"),
    path("<uuid:public_id>/withdraw/", views.withdraw, name="staff_degree_withdraw"),
]
