"""Presentation forms of the staff exam-session pages (T-ADM-3, T-ANON-1). They parse input;
the rules that concern the session as a whole live in exams.staff_services, which reports
each refusal against the field named here."""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from catalog.models import CourseInstance, Module
from exams.models import ActivitySession, SessionKind
from exams.staff_services import SessionData
from ladokportal import clock
from staffweb.students.forms import parse_student_key

# <input type="datetime-local"> sends 2026-05-04T08:00; the time is Swedish (Europe/Stockholm),
# which is the portal's TIME_ZONE, so Django makes it aware in that zone.
_DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _datetime_field(label: str) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=[_DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=_DATETIME_FORMAT),
        help_text=_("Swedish time."),
    )


def _date_field(label: str, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=help_text,
    )


class CourseInstancesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: CourseInstance) -> str:
        return (
            f"{obj.course.code} {obj.course.name} – {obj.instance_code} "
            f"({obj.start_date.isoformat()} – {obj.end_date.isoformat()})"
        )


class ModulesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Module) -> str:
        return f"{obj.course.code} · {obj.code} {obj.name}"


class RetakeField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ActivitySession) -> str:

        return f"{obj.label} {obj.name} ({clock.local(obj.starts_at):%Y-%m-%d %H:%M})"


class SessionForm(forms.Form):
    """Create or edit an activity session. Field names are those of SessionData."""

    name_sv = forms.CharField(label=_("Name in Swedish"), max_length=200, required=False)
    name_en = forms.CharField(label=_("Name in English"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=SessionKind.choices)
    label = forms.CharField(
        label=_("Label"),
        max_length=12,
        help_text=_("Short, such as TEN1. Anonymisation codes begin with it."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    starts_at = _datetime_field(_("Starts"))
    ends_at = _datetime_field(_("Ends"))
    town = forms.CharField(label=_("Town"), max_length=100, required=False)
    place = forms.CharField(label=_("Place or room"), max_length=200, required=False)
    link = forms.URLField(
        label=_("Link"),
        required=False,
        assume_scheme="https",
        help_text=_("For example a map or the digital exam."),
    )
    course_instances = CourseInstancesField(
        label=_("Course instances"),
        queryset=CourseInstance.objects.none(),
        to_field_name="public_id",
        help_text=_("Course instances you manage. Hold Ctrl (⌘ on a Mac) to choose several."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    modules = ModulesField(
        label=_("Modules"),
        queryset=Module.objects.none(),
        required=False,
        help_text=_("The modules the session examines, of the chosen courses."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    signup_opens = _date_field(_("Sign-up opens"))
    signup_closes = _date_field(
        _("Sign-up closes"),
        _(
            "The last day of sign-up, before the session's day. Leave both sign-up days empty "
            "if students do not sign up themselves."
        ),
    )
    capacity = forms.IntegerField(
        label=_("Places"),
        required=False,
        min_value=1,
        help_text=_("Empty for no limit."),
    )
    students_may_cancel = forms.BooleanField(
        label=_("Students may cancel their sign-up"), required=False, initial=True
    )
    anonymous = forms.BooleanField(
        label=_("Anonymous exam (participants get anonymisation codes)"), required=False
    )
    retake = RetakeField(
        label=_("Re-take session"),
        queryset=ActivitySession.objects.none(),
        to_field_name="public_id",
        required=False,
        empty_label=_("No re-take"),
        help_text=_(
            "A later session of the same course. Results are then due two weeks before it."
        ),
    )

    def __init__(
        self,
        *args,
        course_instances: QuerySet[CourseInstance],
        modules: QuerySet[Module],
        retakes: QuerySet[ActivitySession],
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course_instances"].queryset = course_instances
        self.fields["modules"].queryset = modules
        self.fields["retake"].queryset = retakes

    def clean(self) -> dict:
        """The one rule worth telling at once with the others: exams.staff_services checks it
        again, with every rule that concerns the session as a whole."""
        data = super().clean()
        if not (data.get("name_sv", "").strip() or data.get("name_en", "").strip()):
            self.add_error("name_en", _("Give the session a name in Swedish, in English or both."))
        return data

    def data_for_service(self) -> SessionData:
        data = dict(self.cleaned_data)
        data["course_instances"] = list(data["course_instances"])
        data["modules"] = list(data["modules"])
        for text in ("name_sv", "name_en", "label", "town", "place"):
            data[text] = data[text].strip()
        return SessionData(**data)

    @staticmethod
    def initial_from(session: ActivitySession) -> dict:
        return {
            "name_sv": session.name_sv,
            "name_en": session.name_en,
            "kind": session.kind,
            "label": session.label,
            "starts_at": session.starts_at,
            "ends_at": session.ends_at,
            "town": session.town,
            "place": session.place,
            "link": session.link,
            "course_instances": list(session.course_instances.all()),
            "modules": list(session.modules.all()),
            "signup_opens": session.signup_opens,
            "signup_closes": session.signup_closes,
            "capacity": session.capacity,
            "students_may_cancel": session.students_may_cancel,
            "anonymous": session.anonymous,
            "retake": session.retake,
        }


class ParticipantForm(forms.Form):
    """Add a participant by personal identity number (or birth date and local number). Posted,
    never put in a URL."""

    number = forms.CharField(
        label=_("Personal identity number"),
        max_length=20,
        help_text=_("YYYYMMDD-XXXX, or birth date and local number such as 19990308-T001."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_number(self):
        return parse_student_key(self.cleaned_data["number"])


class CodeListingForm(forms.Form):
    """Why the anonymisation codes are listed (T-ANON-1: special cases only; it is logged)."""

    reason = forms.CharField(
        label=_("Reason for listing the codes"),
        min_length=10,
        max_length=500,
        help_text=_("Recorded with your name and the time. At least 10 characters."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ExportForm(forms.Form):
    format = forms.ChoiceField(choices=[("csv", "CSV"), ("xlsx", "Excel (xlsx)")])
