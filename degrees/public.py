"""The public page of a shared degree (S-DEG-5, B-5): a recipient, without logging in, enters the
code the holder gave them and the holder's personal identity number, and sees the degree and the
results it rests on as they stand now.

Counted per client address with the verification page's rate (django-ratelimit; the address as
allauth computes it), so codes and numbers cannot be tried in bulk. A malformed code or number is
told apart only by its shape (the form); any well-formed pair that does not answer - unknown,
revoked, expired, withdrawn, or another person's number - gets one and the same answer.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from certificates.public import _client, _lookup_rate, _private, _too_many
from degrees import sharing
from degrees.forms import SharedLookupForm

SHARES = "degree-share-lookup"
NOT_FOUND = _(
    "No shared degree answers to this code and personal identity number. Check both, or ask "
    "the holder for a new code."
)


def _page(request: HttpRequest, form: SharedLookupForm, status: int = 200) -> HttpResponse:
    return _private(render(request, "degrees/shared.html", {"form": form}, status=status))


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
@ratelimit(group=SHARES, key=_client, rate=_lookup_rate, block=False, method="POST")
def shared_degree(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request, SharedLookupForm())
    if request.limited:
        return _too_many(request)
    form = SharedLookupForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    found = sharing.look_up(form.cleaned_data["code"], form.cleaned_data["identity_number"])
    if found is None:
        form.add_error(None, NOT_FOUND)
        return _page(request, form, status=404)
    context = {"found": found, "c": found.content, "courses": found.current}
    return _private(render(request, "degrees/shared_degree.html", context))
