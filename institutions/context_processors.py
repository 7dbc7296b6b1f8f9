from django.http import HttpRequest


def portal(request: HttpRequest) -> dict:
    """What the shell of every page needs: the current university and the others to switch to."""
    return {
        "current_institution": getattr(request, "institution", None),
        "available_institutions": getattr(request, "institutions", []),
        "alumni_mode": request.session.get("portal_mode") == "alumni"
        if hasattr(request, "session")
        else False,
    }
