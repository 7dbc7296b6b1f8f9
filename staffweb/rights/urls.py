"""Rights administration (T-ROLE-1), included under /staff/rights/ by staffweb.urls."""

from django.urls import path

from staffweb.rights import requests, views

urlpatterns = [
    path("", views.role_list, name="staff_rights"),
    path("grant/", views.grant, name="staff_rights_grant"),
    path("history/", views.history, name="staff_rights_history"),
    path("<int:role_id>/revoke/", views.revoke, name="staff_rights_revoke"),
    path("requests/", requests.queue, name="staff_rights_requests"),
    path("requests/<int:request_id>/approve/", requests.approve, name="staff_rights_approve"),
    path("requests/<int:request_id>/refuse/", requests.refuse, name="staff_rights_refuse"),
]
