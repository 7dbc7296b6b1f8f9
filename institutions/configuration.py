"""What a system administrator reads beside each thing they configure (T-ADM-1): where students
see each local text slot (G-5), and what each function switch does for students (G-4), one
sentence each. A test holds every switch of InstitutionSettings to having its sentence here, so
a switch added later is explained on the switches page from the start."""

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from institutions.models import InstitutionSettings, LocalTextSlot

SLOT_PLACES: dict[str, Promise] = {
    LocalTextSlot.START_OTHER: _("The student's start page, under “Other information”."),
    LocalTextSlot.EXAMS: _("The student's exam sessions page, above the sessions."),
    LocalTextSlot.DEGREE_STEP1: _("The first step of the degree application."),
    LocalTextSlot.DEGREE_STEP2: _("The second step of the degree application."),
    LocalTextSlot.DEGREE_STEP3: _("The third step of the degree application."),
    LocalTextSlot.CREDIT_STEP1: _("The first step of the credit-transfer application."),
    LocalTextSlot.CREDIT_STEP2: _("The second step of the credit-transfer application."),
    LocalTextSlot.CREDIT_STEP3: _("The third step of the credit-transfer application."),
    LocalTextSlot.FEES: _("The tuition fees page."),
    LocalTextSlot.CONTACT: _("Where students are told whom to contact about their studies."),
}

SWITCH_EXPLANATIONS: dict[str, Promise] = {
    "allow_withdrawal": _(
        "Students may withdraw from a course they are admitted to before it starts (återbud)."
    ),
    "allow_dropout": _("Students may themselves record that they drop out of a course (avbrott)."),
    "allow_remove_application": _(
        "Students may remove an application to a course within their programme."
    ),
    "allow_remove_choice": _("Students may remove a study choice they have made."),
    "allow_change_instance": _(
        "Students may move to another instance of the same course, for example another pace."
    ),
    "allow_partial_reregistration": _(
        "When changing instance, students may re-register on only the modules they have left."
    ),
    "allow_exam_cancel": _("Students may cancel their sign-up to an exam session."),
    "payment_confirmations": _("Students see their confirmations of paid tuition fees."),
    "invoice_download": _("Students may download their tuition fee invoices as PDF."),
    "digital_degree": _("Students may receive their degree certificate as a sealed PDF."),
    "degree_sharing": _(
        "Students may create a check code that lets someone else see their degree."
    ),
    "emrex": _("Students may bring results from universities abroad through Emrex."),
    "send_reminders": _(
        "Students get an e-mail before a registration period or an exam sign-up closes."
    ),
    "show_new_results": _("The start page shows results certified since the last visit."),
    "show_study_choices": _("The start page shows study choices that are open."),
    "show_applications": _("The start page shows the student's applications."),
    "show_registrations": _("The start page shows the courses the student can register on."),
    "show_exam_signup": _("The start page shows exam sessions open for sign-up."),
    "show_upcoming_exams": _("The start page shows the exams the student is signed up for."),
    "show_current_courses": _("The start page shows the courses the student takes now."),
    "show_other_information": _(
        "The start page shows the university's text under “Other information”."
    ),
}


# Settings that are numbers, shown under the switch they belong to, one sentence each.
SETTING_DETAILS: dict[str, dict[str, Promise]] = {
    "send_reminders": {
        "reminder_days": _(
            "How many days before a registration period or an exam sign-up closes the reminder "
            "is sent (1 to 30)."
        ),
    },
}


def switch_fields() -> list[models.BooleanField]:
    """Every on/off switch of InstitutionSettings, in the model's order."""
    return [
        field
        for field in InstitutionSettings._meta.get_fields()
        if isinstance(field, models.BooleanField)
    ]


def slot_place(slot: str) -> Promise | str:
    return SLOT_PLACES.get(slot, "")


def switch_explanation(name: str) -> Promise | str:
    return SWITCH_EXPLANATIONS.get(name, "")
