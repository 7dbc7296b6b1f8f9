"""Configuration (T-ADM-1: local texts, G-5, and function switches, G-4), included under
/staff/configuration/ by staffweb.urls."""

from django.urls import path

from staffweb.configuration import views

urlpatterns = [
    path("texts/", views.texts, name="staff_texts"),
    path("texts/<str:slot>/", views.text, name="staff_text"),
    path("texts/<str:slot>/preview/", views.preview, name="staff_text_preview"),
    path(
        "texts/<str:slot>/versions/<int:version_id>/restore/",
        views.restore,
        name="staff_text_restore",
    ),
    path("switches/", views.switches, name="staff_switches"),
]
