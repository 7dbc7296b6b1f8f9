"""Rights administration (T-ROLE-1), included under /staff/rights/ by staffweb.urls."""

from django.urls import path

from staffweb import rights

urlpatterns = [
    path("", rights.role_list, name="staff_rights"),
    path("grant/", rights.grant, name="staff_rights_grant"),
    path("history/", rights.history, name="staff_rights_history"),
    path("<int:role_id>/revoke/", rights.revoke, name="staff_rights_revoke"),
]
