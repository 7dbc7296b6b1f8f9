from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DegreesConfig(AppConfig):
    name = "degrees"
    verbose_name = _("Degrees and certificates")
