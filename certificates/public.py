"""The public verification pages (S-CERT-2, B-5). Being built."""

from django.http import Http404, HttpRequest, HttpResponse


def verify(request: HttpRequest) -> HttpResponse:
    raise Http404


def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    raise Http404


def verify_download(request: HttpRequest, code: str) -> HttpResponse:
    raise Http404
