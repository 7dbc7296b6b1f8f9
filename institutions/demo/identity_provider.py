"""The demo's university account (#12 point 6, S-AUTH-1, seed 000): a real OpenID Connect
provider on this machine (oidc-provider-mock, the one the tests log in through), started by
`make run` beside the portal, so a newcomer can try the real login flow. Its sign-in page offers
the demo's named students with one click; each asserts the personal identity number the portal
links the login by (people.adapters).

    python -m institutions.demo.identity_provider --port 9400

The portal is told of it with DEMO_IDENTITY_PROVIDER=http://127.0.0.1:9400
(ladokportal/settings.py).
"""

import json
import sys

# The provider the portal configures when DEMO_IDENTITY_PROVIDER is set.
PROVIDER = {
    "id": "demo-university",
    "name": "University account (demo)",
    "client_id": "ladokportal-demo",
    "secret": "demo-secret",
}


def demo_subjects() -> list[dict]:
    """The named demo students as the provider's predefined users: subject, identity number,
    name and e-mail."""
    from institutions.demo.students import NAMED_NUMBERS, named_number

    names = {
        "student": ("Stina", "Andersson"),
        "alumnus": ("Johan", "Ek"),
        "doctoral": ("Amira", "Hassan"),
    }
    subjects = []
    for login in NAMED_NUMBERS:
        first, last = names.get(login, (login.title(), ""))
        subjects.append(
            {
                "sub": login,
                "personal_identity_number": named_number(login)[1],
                "given_name": first,
                "family_name": last,
                "email": f"{login}@demo.example",
            }
        )
    return subjects


def main(argv: list[str]) -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ladokportal.settings")
    django.setup()
    from oidc_provider_mock.__main__ import run

    claims = [arg for subject in demo_subjects() for arg in ("--user-claims", json.dumps(subject))]
    run.main([*argv, *claims], standalone_mode=True)


if __name__ == "__main__":
    main(sys.argv[1:])
