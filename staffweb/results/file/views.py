"""Report by file (T-REP-5): upload a spreadsheet of grades and dates for one module (or the
whole course) of a course instance, see every row checked, and save the rows as drafts, or
nothing when any row is wrong. A template for the file can be downloaded.

Who: staff with reporting rights on the course (results.rules.Rights). A course instance of
another university is a 404; without the right, 403; students are refused by its guard
(staffweb.access.require).

The checked rows wait for "Save as drafts" in the server-side session under a random,
single-use token, with the versions of the drafts they change; the browser sends back only the
token, so what is saved is exactly what the preview showed, or nothing (StaleResult).
"""

import re
import secrets
import time
import uuid

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from catalog.models import CourseInstance, Grade, Module
from exams.models import ActivitySession
from ladokportal import clock
from ladokportal.attempts import attempt
from ladokportal.errors import DomainError
from results import fileimport, filetemplate
from results.errors import NotAllowed, StaleResult
from results.models import ResultSource
from results.rules import reports_at
from results.services import reporting
from results.validation import annotation_kinds, scale_of
from staffweb.access import require, rights

COURSE = "course"  # in the URL instead of a module code: the grade on the whole course
PENDING = "results_file_pending"
PENDING_KEPT = 3  # previews kept per session; an abandoned one must not grow it forever
PENDING_SECONDS = 2 * 60 * 60


# ------------------------------------------------------------------------------------------------
# Forms


class SessionField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ActivitySession) -> str:
        when = f"{clock.local(obj.starts_at):%Y-%m-%d}"
        if obj.anonymous:
            return _("%(label)s %(name)s (%(date)s, anonymous)") % {
                "label": obj.label,
                "name": obj.name,
                "date": when,
            }
        return f"{obj.label} {obj.name} ({when})"


def _session_field(help_text: str) -> SessionField:
    return SessionField(
        queryset=ActivitySession.objects.none(),
        to_field_name="public_id",
        required=False,
        label=gettext_lazy("Activity session"),
        empty_label=gettext_lazy("No session"),
        help_text=help_text,
    )


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "An Excel workbook (.xlsx, the first sheet is read) or a CSV file in UTF-8, "
            "separated by semicolons or commas; at most 2 MB and 2,000 rows."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    session = _session_field(
        gettext_lazy(
            "Required when the file is keyed by anonymisation codes: the anonymous exam the "
            "codes belong to. A file of identity numbers may name the session the results "
            "come from."
        )
    )

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > fileimport.MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)d MB. Split it and upload the parts one by one.")
                % {"size": fileimport.MAX_BYTES // (1024 * 1024)}
            )
        return upload


class TemplateForm(forms.Form):
    format = forms.ChoiceField(choices=[("xlsx", "xlsx"), ("csv", "CSV")])
    session = _session_field(
        gettext_lazy(
            "For an anonymous exam the template lists its codes; otherwise the identity "
            "numbers of the registered students, or of the session's participants."
        )
    )

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions


class SaveForm(forms.Form):
    token = forms.CharField(max_length=64)


# ------------------------------------------------------------------------------------------------
# Helpers


def _target(
    request: HttpRequest, instance_id: uuid.UUID, module_code: str
) -> tuple[CourseInstance, Module | None]:
    """The course instance and module named in the URL: 404 outside the current university,
    403 without reporting rights on the course."""
    instance = (
        CourseInstance.objects.select_related("course")
        .filter(institution=request.institution, public_id=instance_id)
        .first()
    )
    if instance is None:
        raise Http404
    if not rights(request).may_report(instance.course):
        raise NotAllowed
    if module_code == COURSE:
        return instance, None
    module = Module.objects.filter(course_id=instance.course_id, code=module_code).first()
    if module is None:
        raise Http404
    return instance, module


def _sessions(instance: CourseInstance):
    return ActivitySession.objects.filter(course_instances=instance).order_by("starts_at", "pk")


def _page_url(instance: CourseInstance, module: Module | None) -> tuple[str, dict]:
    return "staff_results_file", {
        "instance_id": instance.public_id,
        "module": module.code if module else COURSE,
    }


def _context(instance: CourseInstance, module: Module | None, **more) -> dict:
    return {
        "instance": instance,
        "module": module,
        "module_code": module.code if module else COURSE,
        **more,
    }


def _keep(request: HttpRequest, preview: fileimport.Preview) -> str:
    token = secrets.token_urlsafe(24)
    kept = dict(list(request.session.get(PENDING, {}).items())[-(PENDING_KEPT - 1) :])
    kept[token] = {**fileimport.pending(preview), "user": request.user.pk, "at": time.time()}
    request.session[PENDING] = kept
    return token


def _take(
    request: HttpRequest, token: str, instance: CourseInstance, module: Module | None
) -> dict | None:
    """The kept rows of this token, removed from the session whatever happens next."""
    kept = request.session.get(PENDING, {})
    data = kept.pop(token, None)
    request.session[PENDING] = kept
    if (
        data is None
        or data["user"] != request.user.pk
        or data["instance"] != instance.pk
        or data["module"] != (module.pk if module else None)
        or time.time() - data["at"] > PENDING_SECONDS
    ):
        return None
    return data


# ------------------------------------------------------------------------------------------------
# Views


@never_cache
@require_http_methods(["GET", "POST"])
@require(reports_at)
def upload(request: HttpRequest, instance_id: uuid.UUID, module: str) -> HttpResponse:
    """GET: the upload form. POST: the file checked row by row (the preview)."""
    instance, module_obj = _target(request, instance_id, module)
    sessions = _sessions(instance)
    posted = request.method == "POST"
    form = UploadForm(
        request.POST if posted else None, request.FILES if posted else None, sessions=sessions
    )
    if posted and form.is_valid():
        sent = form.cleaned_data["file"]
        try:
            preview = fileimport.build_preview(
                instance,
                module_obj,
                name=sent.name,
                content=sent.read(fileimport.MAX_BYTES + 1),
                session=form.cleaned_data["session"],
            )
        except fileimport.UnreadableFile as error:
            form.add_error("file", str(error))
        else:
            return render(
                request,
                "staffweb/results/file/preview.html",
                _context(instance, module_obj, preview=preview, file_name=sent.name)
                | _next_step(request, preview, sessions),
            )
    return render(
        request,
        "staffweb/results/file/upload.html",
        _context(
            instance,
            module_obj,
            form=form,
            template_form=TemplateForm(sessions=sessions, initial={"format": "xlsx"}),
            kinds=annotation_kinds(instance, module_obj),
            grades=Grade.objects.filter(scale_id=scale_of(instance, module_obj)),
        ),
    )


def _next_step(request: HttpRequest, preview: fileimport.Preview, sessions) -> dict:
    """A good file waits for "Save as drafts"; a rejected one gets the upload form again."""
    if preview.ok:
        return {"save_form": SaveForm(initial={"token": _keep(request, preview)})}
    chosen = preview.session.public_id if preview.session else None
    return {"form": UploadForm(sessions=sessions, initial={"session": chosen})}


@require_POST
@require(reports_at)
def save(request: HttpRequest, instance_id: uuid.UUID, module: str) -> HttpResponse:
    """Save the previewed rows as drafts, all or nothing."""
    instance, module_obj = _target(request, instance_id, module)
    name, kwargs = _page_url(instance, module_obj)
    form = SaveForm(request.POST)
    data = (
        _take(request, form.cleaned_data["token"], instance, module_obj)
        if form.is_valid()
        else None
    )
    if data is None:
        messages.error(
            request,
            _(
                "This preview can no longer be saved: it was saved already, or it is more than "
                "two hours old. Upload the file again."
            ),
        )
        return redirect(name, **kwargs)
    session = (
        ActivitySession.objects.filter(pk=data["session"]).first() if data["session"] else None
    )
    attempt(
        request,
        lambda: reporting.save_drafts(
            request.user,
            course_instance=instance,
            module=module_obj,
            entries=fileimport.entries_from_pending(data),
            source=ResultSource.FILE,
            activity_session=session,
        ),
        _saved_message,
        refused=lambda error: _not_saved_message(error, by_code=data["by_code"]),
    )
    return redirect(name, **kwargs)


def _not_saved_message(error: DomainError, *, by_code: bool) -> str:
    if isinstance(error, StaleResult):
        return _stale_message(error, by_code=by_code)
    return _("%(reason)s Upload the file again to see which rows.") % {"reason": error}


def _stale_message(error: StaleResult, *, by_code: bool) -> str:
    # B-6: a file of codes is answered without names, or they could be matched to its codes.
    if error.names and not by_code:
        return _(
            "Someone changed the results of %(names)s after the file was checked. Nothing was "
            "saved; upload the file again to see their change."
        ) % {"names": ", ".join(error.names)}
    return _(
        "Someone changed results of these students after the file was checked. Nothing was "
        "saved; upload the file again to see their change."
    )


def _saved_message(counts: dict[str, int]) -> str:
    total = counts["created"] + counts["changed"] + counts["unchanged"]
    return ngettext(
        "The file's %(total)d row is saved as a draft: %(created)d new, %(changed)d changed, "
        "%(unchanged)d unchanged.",
        "The file's %(total)d rows are saved as drafts: %(created)d new, %(changed)d changed, "
        "%(unchanged)d unchanged.",
        total,
    ) % {"total": total, **counts}


@never_cache
@require_GET
@require(reports_at)
def template(request: HttpRequest, instance_id: uuid.UUID, module: str) -> HttpResponse:
    """The file to fill in, as xlsx or CSV (?format=xlsx|csv&session=<uuid>)."""
    instance, module_obj = _target(request, instance_id, module)
    form = TemplateForm(request.GET, sessions=_sessions(instance))
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose xlsx or CSV and a session of this course."))
    language = translation.get_language() or "en"
    session = form.cleaned_data["session"]
    table = filetemplate.template_table(instance, module_obj, session, language[:2])
    part = module_obj.code if module_obj else COURSE
    stem = re.sub(r"[^A-Za-z0-9-]", "", f"{instance.course.code}-{instance.instance_code}-{part}")
    kind = form.cleaned_data["format"]
    if kind == "csv":
        content = filetemplate.template_csv(table, language[:2])
        mime = "text/csv; charset=utf-8"
    else:
        content = filetemplate.template_xlsx(table, title=f"{instance.course.code} {part}")
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = content_disposition_header(True, f"{stem}-results.{kind}")
    return response
