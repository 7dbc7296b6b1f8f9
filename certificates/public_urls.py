"""The public verification pages (S-CERT-2, B-5): no login, rate-limited."""

from django.urls import path

from certificates import public

urlpatterns = [
    path("", public.verify, name="verify"),
    path("<str:code>/", public.verify_code, name="verify_code"),
    path("<str:code>/document.pdf", public.verify_download, name="verify_download"),
]
