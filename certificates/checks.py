"""System checks of the seal (S-DEG-6): production must not seal with a demo key."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def demo_seals_off(app_configs, **kwargs) -> list[checks.CheckMessage]:
    if not settings.SEAL_DEMO_KEYS:
        return []
    return [
        checks.Warning(
            "SEAL_DEMO_KEYS is on: demo seals are not trusted by anyone; set "
            "SEAL_DEMO_KEYS=false and put the university's key in SEAL_DIR.",
            hint="SEAL_DIR in docs/configuration.md says where the key and certificate go.",
            id="certificates.W001",
        )
    ]
