"""The university's configuration in the staff web (T-ADM-1), for its system administrators
(people.rules.administers_configuration_at): the local texts (G-5) with a page per slot where
both languages are edited side by side with a preview rendered as students see it (htmx while
typing, a Preview button without JavaScript), every version with who and when and a restore
button, and the function switches (G-4) with what each does and who last changed it."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from institutions import queries, services
from institutions.models import LocalTextSlot, LocalTextVersion
from institutions.sanitise import sanitise
from ladokportal.attempts import attempt
from ladokportal.errors import DomainError
from people.rules import administers_configuration_at
from staffweb.access import require
from staffweb.configuration.forms import LocalTextForm, SwitchesForm


def _slot_or_404(slot: str) -> LocalTextSlot:
    if slot not in LocalTextSlot.values:
        raise Http404
    return LocalTextSlot(slot)


@require_GET
@require(administers_configuration_at)
def texts(request: HttpRequest) -> HttpResponse:
    rows = queries.local_text_slots(request.institution)
    return render(request, "staffweb/configuration/texts.html", {"rows": rows})


def _preview(form: LocalTextForm) -> dict[str, str]:
    data = form.cleaned_data if form.is_valid() else {}
    return {
        "sv": sanitise(data.get("body_sv", "")),
        "en": sanitise(data.get("body_en", "")),
    }


@require_http_methods(["GET", "POST"])
@require(administers_configuration_at)
def text(request: HttpRequest, slot: str) -> HttpResponse:
    """GET shows the editor with the text students see now; POST with `preview` shows the
    editor again with the preview, otherwise saves a new version."""
    chosen = _slot_or_404(slot)
    current, versions = queries.local_text_editor(request.institution, chosen)
    preview = None
    if request.method == "POST":
        form = LocalTextForm(request.POST)
        if "preview" in request.POST:
            preview = _preview(form)
        elif form.is_valid():
            data = form.cleaned_data
            try:
                version = services.save_local_text(
                    request.user,
                    institution=request.institution,
                    slot=chosen,
                    body_sv=data["body_sv"],
                    body_en=data["body_en"],
                    publish_on=data["publish_on"],
                )
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _saved_message(version))
                return redirect("staff_text", slot=chosen.value)
    else:
        form = LocalTextForm(
            initial={
                "body_sv": current.body_sv if current else "",
                "body_en": current.body_en if current else "",
            }
        )
        preview = {"sv": form.initial["body_sv"], "en": form.initial["body_en"]}
    return render(
        request,
        "staffweb/configuration/text.html",
        {
            "slot": chosen,
            "form": form,
            "preview": preview,
            "versions": versions,
        },
    )


def _saved_message(version: LocalTextVersion) -> str:
    if version.publish_on is not None and version.visible_from > version.created_at:
        return _("Saved. Students see the text from %(day)s.") % {
            "day": version.publish_on.isoformat()
        }
    return _("Saved and published. Students see the text now.")


@require_POST
@require(administers_configuration_at)
def preview(request: HttpRequest, slot: str) -> HttpResponse:
    """The preview alone, as students will see it, for htmx while the text is typed."""
    chosen = _slot_or_404(slot)
    return render(
        request,
        "staffweb/configuration/text.html#preview",
        {"slot": chosen, "preview": _preview(LocalTextForm(request.POST))},
    )


@require_POST
@require(administers_configuration_at)
def restore(request: HttpRequest, slot: str, version_id: int) -> HttpResponse:
    chosen = _slot_or_404(slot)
    version = (
        LocalTextVersion.objects.filter(
            institution=request.institution, text__slot=chosen, pk=version_id
        )
        .select_related("text", "institution")
        .first()
    )
    if version is None:
        raise Http404
    attempt(
        request,
        lambda: services.restore_local_text(request.user, version=version),
        _("The version of %(when)s is restored and shown to students now.")
        % {"when": _minute(version)},
    )
    return redirect("staff_text", slot=chosen.value)


def _minute(version: LocalTextVersion) -> str:
    from ladokportal.templatetags.portal import isominute

    return isominute(version.created_at)


@require_http_methods(["GET", "POST"])
@require(administers_configuration_at)
def switches(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = SwitchesForm(request.POST)
        if form.is_valid():
            outcome = attempt(
                request,
                lambda: services.update_switches(
                    request.user, institution=request.institution, values=form.cleaned_data
                ),
                lambda changes: (
                    ngettext(
                        "Saved: %(count)s switch changed. Students see it on their next page.",
                        "Saved: %(count)s switches changed. Students see it on their next page.",
                        len(changes),
                    )
                    % {"count": len(changes)}
                    if changes
                    else _("Nothing was changed.")
                ),
            )
            if outcome:
                return redirect("staff_switches")
    rows = queries.switches(request.institution)
    if request.method == "GET":
        form = SwitchesForm(initial={row["name"]: row["value"] for row in rows})
    for row in rows:
        row["field"] = form[row["name"]]
    return render(request, "staffweb/configuration/switches.html", {"rows": rows, "form": form})
