"""The integration API's URLs (T-EXT-1), included at /api/v1/."""

from django.urls import path

from results import api

urlpatterns = [path("", api.urls())]
