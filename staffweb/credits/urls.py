from django.urls import path

from staffweb.credits import views

urlpatterns = [
    path("", views.queue, name="staff_credits"),
    path("<uuid:case_id>/", views.case_page, name="staff_credit_case"),
    path("<uuid:case_id>/take/", views.take, name="staff_credit_take"),
    path("<uuid:case_id>/notes/", views.add_note, name="staff_credit_note"),
    path(
        "<uuid:case_id>/items/<uuid:item_id>/decide/",
        views.decide,
        name="staff_credit_decide",
    ),
    path(
        "attachments/<uuid:attachment_id>/",
        views.attachment,
        name="staff_credit_attachment",
    ),
]
