from django.conf import settings
from django.http import HttpRequest

_ALUMNI_PROVIDERS = [p["id"] for p in settings.OIDC_PROVIDERS if p.get("kind") == "alumni"]


def portal(request: HttpRequest) -> dict:
    """What the shell of every page needs: the current university and the others to switch to."""
    return {
        "current_institution": getattr(request, "institution", None),
        "available_institutions": getattr(request, "institutions", []),
        "alumni_provider_ids": _ALUMNI_PROVIDERS,
        "alumni_mode": request.session.get("portal_mode") == "alumni"
        if hasattr(request, "session")
        else False,
    }
