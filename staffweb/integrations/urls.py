"""URLs of the staff web's integration pages (B-7, T-EXT-1), included at /staff/integrations/."""

from django.urls import path

from staffweb.integrations import views

urlpatterns = [
    path("", views.inbox, name="staff_integrations"),
    path("records/<uuid:record_id>/", views.record, name="staff_integration_record"),
    path(
        "records/<uuid:record_id>/dismiss/",
        views.dismiss,
        name="staff_integration_dismiss",
    ),
    path("clients/", views.clients, name="staff_integration_clients"),
    path("clients/new/", views.client_create, name="staff_integration_client_new"),
    path(
        "clients/<uuid:client_id>/deactivate/",
        views.client_deactivate,
        name="staff_integration_client_deactivate",
    ),
]
