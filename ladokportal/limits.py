"""Request bodies over the limit are refused before anything reads them (#17 point 4).

- `BodyLimitMiddleware`, before any view or process_view hook: a request whose declared
  Content-Length is over the limit of its path (settings.REQUEST_BODY_LIMITS, the longest
  matching prefix, else REQUEST_BODY_LIMIT) gets 413 at once. Nothing has read the body yet:
  not the CSRF check, not the form parser, so no upload reaches memory or disk.
- `LimitedUploadHandler`, first of the upload handlers: stops a multipart upload as soon as more
  bytes have arrived than the path allows, whatever was declared.

A path may name a view that answers its own 413 (the public verification page shows it on its
form); otherwise the portal's 413 page.
"""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.module_loading import import_string


def limit_for(path: str) -> tuple[int, str | None]:
    """(bytes, view answering 413 or None) for a request path."""
    best: tuple[str, int, str | None] | None = None
    for prefix, size, *answer in settings.REQUEST_BODY_LIMITS:
        if path.startswith(prefix) and (best is None or len(prefix) > len(best[0])):
            best = (prefix, size, answer[0] if answer else None)
    if best is None:
        return settings.REQUEST_BODY_LIMIT, None
    return best[1], best[2]


def declared_length(request: HttpRequest) -> int | None:
    """The Content-Length as a number; None when it is not one."""
    raw = request.META.get("CONTENT_LENGTH") or "0"
    try:
        value = int(raw)
    except ValueError:
        return None
    return value if value >= 0 else None


def too_large(request: HttpRequest, size: int) -> HttpResponse:
    return render(
        request, "413.html", {"megabytes": max(1, round(size / (1024 * 1024)))}, status=413
    )


class BodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        size, answer = limit_for(request.path_info)
        length = declared_length(request)
        if length is None or length > size:
            if answer:
                return import_string(answer)(request)
            return too_large(request, size)
        request.body_limit = size
        return self.get_response(request)


class LimitedUploadHandler(FileUploadHandler):
    """Counts the bytes of every file of one request and stops at the path's limit."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.received = 0
        self.limit = (
            getattr(request, "body_limit", None) or limit_for(request.path_info)[0]
            if request is not None
            else settings.REQUEST_BODY_LIMIT
        )

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            raise RequestDataTooBig("Upload over the limit of its page.")
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
