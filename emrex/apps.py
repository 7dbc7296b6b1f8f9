from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmrexConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "emrex"
    verbose_name = _("Foreign merits (Emrex)")
