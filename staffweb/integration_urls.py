"""URLs of the staff web's integration pages (B-7, T-EXT-1), included at /staff/integrations/."""

from django.urls import path

from staffweb import integrations

urlpatterns = [
    path("", integrations.inbox, name="staff_integrations"),
    path("records/<uuid:record_id>/", integrations.record, name="staff_integration_record"),
    path(
        "records/<uuid:record_id>/dismiss/",
        integrations.dismiss,
        name="staff_integration_dismiss",
    ),
    path("clients/", integrations.clients, name="staff_integration_clients"),
    path("clients/new/", integrations.client_create, name="staff_integration_client_new"),
    path(
        "clients/<uuid:client_id>/deactivate/",
        integrations.client_deactivate,
        name="staff_integration_client_deactivate",
    ),
]
