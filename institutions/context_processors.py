from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def _degree_page_name(request: HttpRequest):
    """S-DEG-1: the degree page's menu item, named after what the university's students may
    apply for (its settings are read with the university, no query of its own)."""
    from degrees.queries import page_name

    institution = getattr(request, "institution", None)
    return page_name(getattr(institution, "settings", None))


def portal(request: HttpRequest) -> dict:
    """What the shell of every page needs: the current university and the others to switch to."""
    return {
        "degree_page_name": SimpleLazyObject(lambda: str(_degree_page_name(request))),
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
