"""Placed before allauth's URLs, under the same names and paths (people.saml_views)."""

from django.urls import path

from people import saml_views

urlpatterns = [
    path("saml/<str:organization_slug>/acs/", saml_views.acs, name="saml_acs"),
    path("saml/<str:organization_slug>/acs/finish/", saml_views.finish_acs, name="saml_finish_acs"),
]
