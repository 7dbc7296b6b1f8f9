"""The public verification pages (S-CERT-2, S-DEG-6, B-5): anyone, without logging in, checks a
certificate by its check code (typed, or the link and QR code on the document) or by uploading
the PDF to compare it with the document as issued.

No login and no university scope: certificates.verification reads with django-scopes lifted.
Every lookup and upload is counted per client address (django-ratelimit, the address as allauth
computes it behind TRUSTED_PROXY_COUNT proxies), so codes cannot be tried in bulk. A malformed
and an unknown code get the same answer.
"""

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe
from django_ratelimit.decorators import ratelimit

from certificates import verification
from certificates.downloads import pdf_response
from certificates.models import CheckMethod

LOOKUPS = "verify-lookup"
UPLOADS = "verify-upload"
NOT_FOUND = _("No certificate has this check code. Check that you typed it as it is printed.")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Check code"),
        help_text=_("16 letters and digits, as printed on the document, e.g. ABCD-EFGH-JKLM-NPQR."),
        max_length=40,
        error_messages={"required": _("Enter the check code.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class UploadForm(forms.Form):
    document = forms.FileField(
        label=_("PDF file"),
        help_text=_("The document as the PDF file you were given, at most 10 MB."),
        error_messages={"required": _("Choose the PDF file to compare.")},
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_document(self) -> bytes:
        upload = self.cleaned_data["document"]
        if upload.size > verification.MAX_UPLOAD_BYTES:
            raise ValidationError(TOO_LARGE)
        data = upload.read()
        if not data.startswith(verification.PDF_MAGIC):
            raise ValidationError(
                _("The file is not a PDF document. Choose the PDF file of the certificate.")
            )
        return data


# --- Rate limits --------------------------------------------------------------------------------


def _client(group: str, request: HttpRequest) -> str:
    from allauth.account.adapter import get_adapter

    return get_adapter(request).get_client_ip(request)


def _lookup_rate(group: str, request: HttpRequest) -> str:
    return settings.VERIFY_RATE


def _upload_rate(group: str, request: HttpRequest) -> str:
    return settings.VERIFY_UPLOAD_RATE


def _too_many(request: HttpRequest) -> HttpResponse:
    response = render(request, "certificates/public/too_many.html", status=429)
    response["Retry-After"] = "60"
    return response


def _private(response: HttpResponse) -> HttpResponse:
    """A certificate's content is personal data: no shared cache keeps it, no search engine
    lists it."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


# --- Pages --------------------------------------------------------------------------------------


# The upload plus the rest of the form; anything larger is refused unread.
MAX_BODY_BYTES = verification.MAX_UPLOAD_BYTES + 64 * 1024
TOO_LARGE = _("The file is larger than 10 MB, so it is not a document issued here.")


def _body_too_large(request: HttpRequest) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY_BYTES
    except ValueError:
        return True


def refuse_too_large(request: HttpRequest) -> HttpResponse:
    """Refused before anything reads the body (ladokportal.limits.BodyLimitMiddleware sends
    requests over MAX_BODY_BYTES here): an anonymous visitor must not make the server receive
    and store files of any size."""
    form = UploadForm()
    form.full_clean()  # an unbound form with no data to clean, but room for the error
    form.cleaned_data = {}
    form.add_error("document", TOO_LARGE)
    return _start(request, upload_form=form, status=413)


def _start(
    request: HttpRequest,
    code_form: CodeForm | None = None,
    upload_form: UploadForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {"code_form": code_form or CodeForm(), "upload_form": upload_form or UploadForm()}
    return _private(render(request, "certificates/public/verify.html", context, status=status))


def _not_found(request: HttpRequest, code: str) -> HttpResponse:
    form = CodeForm({"code": code[:40]})
    form.full_clean()
    form.add_error("code", NOT_FOUND)
    return _start(request, code_form=form, status=404)


def _certificate_page(request: HttpRequest, found: verification.Verified) -> HttpResponse:
    context = {"found": found, "c": found.content}
    return _private(render(request, "certificates/public/certificate.html", context))


@ratelimit(group=LOOKUPS, key=_client, rate=_lookup_rate, block=False)
def _check_code(request: HttpRequest) -> HttpResponse:
    if request.limited:
        return _too_many(request)
    form = CodeForm(request.POST)
    if not form.is_valid():
        return _start(request, code_form=form, status=400)
    found = verification.look_up(form.cleaned_data["code"], method=CheckMethod.CODE)
    if found is None:
        return _not_found(request, form.cleaned_data["code"])
    return _certificate_page(request, found)


@ratelimit(group=UPLOADS, key=_client, rate=_upload_rate, block=False)
def _check_file(request: HttpRequest) -> HttpResponse:
    if request.limited:
        return _too_many(request)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _start(request, upload_form=form, status=400)
    outcome = verification.compare(form.cleaned_data["document"])
    found = outcome.identical
    context = {"outcome": outcome, "found": found, "c": found.content if found else None}
    return _private(render(request, "certificates/public/file.html", context))


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """What can be checked, with the two forms; a POST checks a code or compares a file."""
    if request.method != "POST":
        return _start(request)
    if _body_too_large(request):
        return refuse_too_large(request)
    if request.POST.get("form") == "upload":
        return _check_file(request)
    return _check_code(request)


@login_not_required
@require_safe
@ratelimit(group=LOOKUPS, key=_client, rate=_lookup_rate, block=False)
def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    """The page the document's link and QR code lead to: its frozen content and its validity."""
    if request.limited:
        return _too_many(request)
    found = verification.look_up(code, method=CheckMethod.LINK)
    if found is None:
        return _not_found(request, code)
    return _certificate_page(request, found)


@login_not_required
@require_safe
@ratelimit(group=LOOKUPS, key=_client, rate=_lookup_rate, block=False)
def verify_download(request: HttpRequest, code: str) -> HttpResponse:
    """The sealed PDF while the certificate is valid; no line in the log (the page was)."""
    if request.limited:
        return _too_many(request)
    found = verification.downloadable(code)
    if found is None:
        return _not_found(request, code)
    if not found.is_valid:
        context = {"found": found}
        return _private(
            render(request, "certificates/public/unavailable.html", context, status=404)
        )
    return _private(pdf_response(found.certificate))
