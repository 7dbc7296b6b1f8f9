from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict:
    """What the shell of every page needs: the current university and the others to switch to."""
    return {
        "current_institution": getattr(request, "institution", None),
        "available_institutions": getattr(request, "institutions", []),
        # Read per request, like the login adapters, so the page and the login agree.
        "alumni_provider_ids": [
            p["id"] for p in settings.OIDC_PROVIDERS if p.get("kind") == "alumni"
        ],
        "alumni_mode": request.session.get("portal_mode") == "alumni"
        if hasattr(request, "session")
        else False,
    }
