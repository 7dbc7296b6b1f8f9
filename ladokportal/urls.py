from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from studentweb import views as student_views

urlpatterns = [
    path("accounts/", include("people.saml_urls")),
    path("accounts/", include("allauth.urls")),
    path("language/", login_not_required(student_views.switch_language), name="set_language"),
    path("staff/", include("staffweb.urls")),
    path("api/v1/", include("results.api_urls")),
    path("verify/", include("certificates.public_urls")),
    path("", include("studentweb.urls")),
]
if settings.ADMIN_ENABLED:
    urlpatterns.insert(0, path("admin/", admin.site.urls))
