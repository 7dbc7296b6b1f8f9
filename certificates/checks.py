"""System checks of the seal (S-DEG-6, #16): production never seals with a demo key or with a
certificate that has run out or is about to."""

import datetime

from django.conf import settings
from django.core import checks

from ladokportal import clock


@checks.register(checks.Tags.security, deploy=True)
def demo_seals_off(app_configs, **kwargs) -> list[checks.CheckMessage]:
    if not settings.SEAL_DEMO_KEYS:
        return []
    return [
        checks.Error(
            "SEAL_DEMO_KEYS is on: production would seal documents with demo keys that nobody "
            "trusts; set SEAL_DEMO_KEYS=false and put the university's key in SEAL_DIR.",
            hint="SEAL_DIR in docs/configuration.md says where the key and certificate go.",
            id="certificates.E001",
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def seals_usable(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Every seal in SEAL_DIR (a folder with a key): not a demo seal, readable, and its
    certificate valid for SEAL_EXPIRY_WARNING_DAYS more days. Folders that keep only an old
    certificate, for verifying documents sealed with it, are not seals."""
    from certificates import seal

    messages = []
    soon = clock.now() + datetime.timedelta(days=settings.SEAL_EXPIRY_WARNING_DAYS)
    for folder in seal.key_folders():
        try:
            cert = seal.certificate_of(folder)
        except seal.SealUnavailable as error:
            messages.append(checks.Error(str(error), id="certificates.E004", obj=str(folder)))
            continue
        if seal.is_demo_certificate(cert):
            messages.append(
                checks.Error(
                    f"{folder} holds a demo seal: replace it with the university's own key and "
                    "certificate before production seals anything with it.",
                    id="certificates.E002",
                    obj=str(folder),
                )
            )
        ends = cert.not_valid_after
        if ends <= soon:
            what = "has expired" if ends <= clock.now() else "expires"
            messages.append(
                checks.Error(
                    f"The seal certificate in {folder} {what} on {clock.local(ends):%Y-%m-%d}: "
                    "renew it (documents sealed after that cannot be trusted).",
                    hint=f"Reported {settings.SEAL_EXPIRY_WARNING_DAYS} days ahead "
                    "(SEAL_EXPIRY_WARNING_DAYS).",
                    id="certificates.E003",
                    obj=str(folder),
                )
            )
    return messages
