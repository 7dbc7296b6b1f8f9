from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "credits"
    verbose_name = _("Credit transfer")

    def ready(self) -> None:
        from credits import rules  # noqa: F401  (registers the permissions)
