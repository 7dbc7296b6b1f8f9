"""Universities (lärosäten), their organisation, their function switches and their local texts.

Institution itself is national reference data and is not scoped. Everything an institution owns
(org units, local texts, and the catalogue and participations in other apps) sits behind
django-scopes on the `institution` dimension: a query made outside an open scope raises instead of
leaking another university's data (STYLE.md § Reads and tenancy).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_scopes import ScopedManager

from ladokportal.i18n import BilingualName, pick


class Institution(BilingualName):
    """A university. Services: institutions.services.update_settings, set_local_text."""

    code = models.SlugField(max_length=20, unique=True)
    short_name = models.CharField(max_length=20)
    contact_email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    # The identity provider (OIDC_PROVIDERS id) that is this university's single sign-on.
    sso_provider_id = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["name_sv"]

    def __str__(self) -> str:
        return self.name


class InstitutionOwned(models.Model):
    """What belongs to one university: its key, and the manager that refuses to read outside
    the university whose scope the request opened (django-scopes), so a query that forgets the
    filter raises instead of leaking another university's data."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT)

    objects = ScopedManager(institution="institution")

    class Meta:
        abstract = True


class OrgUnit(BilingualName, InstitutionOwned):  # noqa: DJ008 - BilingualName names it
    """A faculty, department or division of a university."""

    code = models.CharField(max_length=20)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "code"], name="orgunit_code_unique")
        ]


class InstitutionSettings(models.Model):
    """Per-university function switches (SPEC G-4). The UI hides a function that is off and the
    service refuses it. One row per institution, created with it."""

    institution = models.OneToOneField(
        Institution, on_delete=models.CASCADE, related_name="settings"
    )
    # Student functions.
    allow_withdrawal = models.BooleanField(_("students may withdraw (återbud)"), default=True)
    allow_dropout = models.BooleanField(_("students may drop out (avbrott)"), default=True)
    allow_remove_application = models.BooleanField(
        _("students may remove an application within a programme"), default=True
    )
    allow_remove_choice = models.BooleanField(_("students may remove a study choice"), default=True)
    allow_change_instance = models.BooleanField(
        _("students may change course instance"), default=False
    )
    allow_partial_reregistration = models.BooleanField(
        _("students may re-register on part of a course when changing instance"), default=False
    )
    allow_exam_cancel = models.BooleanField(_("students may cancel an exam sign-up"), default=True)
    payment_confirmations = models.BooleanField(_("payment confirmations"), default=True)
    invoice_download = models.BooleanField(_("invoice download"), default=True)
    digital_degree = models.BooleanField(_("digital degree certificates"), default=True)
    degree_sharing = models.BooleanField(_("degree sharing"), default=True)
    emrex = models.BooleanField(_("foreign merits (Emrex)"), default=False)
    # Reminders (B-2): an e-mail some days before a registration or exam sign-up period closes.
    send_reminders = models.BooleanField(
        _("e-mail reminders before registration and exam sign-up close"), default=True
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("days before a period closes that its reminder is sent"), default=3
    )
    # S-DEG-1: what students may apply for, which names the degree page and its menu item.
    degree_page = models.CharField(
        _("students may apply for"),
        max_length=12,
        choices=[
            ("degrees", _("degrees")),
            ("certificates", _("course certificates and other certificates")),
            ("both", _("degrees and certificates")),
        ],
        default="both",
    )
    # Start page sections (S-HOME-1..4).
    show_new_results = models.BooleanField(_("start page: new results"), default=True)
    show_study_choices = models.BooleanField(_("start page: study choices"), default=True)
    show_applications = models.BooleanField(_("start page: applications"), default=True)
    show_registrations = models.BooleanField(_("start page: registrations"), default=True)
    show_exam_signup = models.BooleanField(_("start page: exam sign-up"), default=True)
    show_upcoming_exams = models.BooleanField(_("start page: upcoming exams"), default=True)
    show_current_courses = models.BooleanField(_("start page: current courses"), default=True)
    show_other_information = models.BooleanField(_("start page: other information"), default=True)
    # Rules.
    early_dropout_weeks = models.PositiveSmallIntegerField(
        _("weeks after course start within which a dropout counts as early"), default=3
    )
    certificate_validity_days = models.PositiveSmallIntegerField(
        _("days a certificate stays valid"), default=365
    )

    class Meta:
        verbose_name = _("institution settings")
        verbose_name_plural = _("institution settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(early_dropout_weeks__lte=52),
                name="settings_early_dropout_weeks_at_most_a_year",
            ),
            models.CheckConstraint(
                condition=models.Q(reminder_days__gte=1, reminder_days__lte=30),
                name="settings_reminder_days_within_a_month",
            ),
            models.CheckConstraint(
                condition=models.Q(certificate_validity_days__gte=1),
                name="settings_certificate_validity_positive",
            ),
        ]

    def __str__(self) -> str:
        return str(self.institution)


class LocalTextSlot(models.TextChoices):
    """The fixed places where a university's own text appears (SPEC G-5)."""

    START_OTHER = "start.other", pgettext_lazy("local text slot", "Start page: Other information")
    EXAMS = "exams", pgettext_lazy("local text slot", "Exam sessions page")
    DEGREE_STEP1 = "degree.step1", pgettext_lazy("local text slot", "Degree application: step 1")
    DEGREE_STEP2 = "degree.step2", pgettext_lazy("local text slot", "Degree application: step 2")
    DEGREE_STEP3 = "degree.step3", pgettext_lazy("local text slot", "Degree application: step 3")
    CREDIT_STEP1 = "credit.step1", pgettext_lazy("local text slot", "Credit transfer: step 1")
    CREDIT_STEP2 = "credit.step2", pgettext_lazy("local text slot", "Credit transfer: step 2")
    CREDIT_STEP3 = "credit.step3", pgettext_lazy("local text slot", "Credit transfer: step 3")
    FEES = "fees", pgettext_lazy("local text slot", "Tuition fees page")
    CONTACT = "contact", pgettext_lazy("local text slot", "Contact for study administration")


class LocalText(models.Model):
    """A university's text for one slot, in both languages. The body is sanitised HTML
    (institutions.sanitise) whenever it is written; templates render it through the
    `local_text` component, which sanitises again."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE)
    slot = models.CharField(max_length=40, choices=LocalTextSlot.choices)
    body_sv = models.TextField(blank=True)
    body_en = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        "people.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedManager(institution="institution")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["institution", "slot"], name="localtext_one_per_slot")
        ]

    def __str__(self) -> str:
        return f"{self.institution_id}:{self.slot}"

    @property
    def body(self) -> str:
        return pick(self.body_sv, self.body_en)


class LocalTextVersion(InstitutionOwned):
    """One saved version of a slot's text (G-5, T-ADM-1): who wrote it, when, and from when
    students see it. Students see the slot's newest version whose `visible_from` has come
    (institutions.queries.local_text); an earlier version comes back by restoring it, which
    saves it again as the newest. Written only by institutions.services.save_local_text and
    restore_local_text."""

    text = models.ForeignKey(LocalText, on_delete=models.CASCADE, related_name="versions")
    body_sv = models.TextField(blank=True)
    body_en = models.TextField(blank=True)
    # The publication date chosen, if any: the text waits until the start of that day in Sweden.
    publish_on = models.DateField(null=True, blank=True)
    visible_from = models.DateTimeField()
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        "people.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    restored_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["text", "visible_from"], name="localtextversion_shown")]

    def __str__(self) -> str:
        return f"{self.text_id}@{self.created_at:%Y-%m-%dT%H:%M}"


class SettingsChange(InstitutionOwned):
    """One switch turned on or off (G-4, T-ADM-1): which, to what, by whom and when. Written by
    institutions.services.update_switches in the same transaction as the change."""

    field = models.CharField(max_length=60)
    value = models.BooleanField()
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(
        "people.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.field}={self.value}"
