from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import include, path, reverse

from degrees import public as degree_public
from emrex import contact_point as emrex_contact_point
from ladokportal import nexturl
from studentweb import views as student_views


def no_email_page(request: HttpRequest) -> HttpResponse:
    raise Http404


urlpatterns = [
    path("accounts/", include("people.saml_urls")),
    # No separate login e-mail page: the contact e-mail in My details is the one that counts,
    # and the login address follows it (people.services.update_contact_details, #12 point 6).
    path("accounts/email/", login_not_required(no_email_page), name="account_email"),
    path("accounts/", include("allauth.urls")),
    path("language/", login_not_required(student_views.switch_language), name="set_language"),
    path("staff/", include("staffweb.urls")),
    path("api/v1/", include("results.api_urls")),
    path("verify/", include("certificates.public_urls")),
    path("emrex-demo-ncp/", emrex_contact_point.start, name="emrex_demo_contact_point"),
    path("shared/", degree_public.shared_degree, name="shared_degree"),
    path("", include("studentweb.urls")),
]
if settings.ADMIN_ENABLED:
    # One login for everything: the portal's, with its limits and the staff session lifetime.
    admin.site.login = login_not_required(
        lambda request, extra_context=None: redirect_to_login(
            nexturl.local(request, request.GET.get("next"), reverse("admin:index"))
        )
    )
    urlpatterns.insert(0, path("admin/", admin.site.urls))
