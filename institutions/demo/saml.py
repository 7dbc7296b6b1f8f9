"""The demo's federated login (#20, S-AUTH-1): `make run` starts the local SAML IdP
(institutions.demo.saml_idp) as "Lund University account (SAML)" with two demo people, `student`
(Stina Andersson, by her personal identity number) and `teacher` (Maria Nilsson, a staff account
linked by her eduPersonPrincipalName). The same ids serve the IdP and the portal's settings."""

PROVIDER_ID = "lu-saml"
PROVIDER_NAME = "Lund University account (SAML)"
TEACHER_EPPN = "teacher@lu.se"


def link_staff(staff: dict) -> None:
    """Staff have no student records: their SAML account is linked to the staff login."""
    from allauth.socialaccount.models import SocialAccount

    SocialAccount.objects.create(user=staff["teacher"], provider=PROVIDER_ID, uid=TEACHER_EPPN)


def demo_people() -> dict[str, dict[str, list[str]]]:
    """What the demo IdP releases about its two people, as SWAMID attributes."""
    from institutions.demo import saml_idp
    from institutions.demo.identities import test_number
    from institutions.demo.students import NAMED_NUMBERS

    birth, sex = NAMED_NUMBERS["student"]
    return {
        "student": saml_idp.person(
            "stina@student.lu.se",
            "Stina",
            "Andersson",
            nin=test_number(birth, female=sex == "F"),
            date_of_birth=f"{birth:%Y%m%d}",
            mail="stina.andersson@student.lu.se",
        ),
        "teacher": saml_idp.person(
            TEACHER_EPPN, "Maria", "Nilsson", mail="maria.nilsson@math.lu.se"
        ),
    }


def provider_settings(port: int, state: str) -> list[dict]:
    """SAML_PROVIDERS for a portal beside the demo IdP on `port` (docs/configuration.md)."""
    base = f"http://127.0.0.1:{port}"
    return [
        {
            "id": PROVIDER_ID,
            "name": PROVIDER_NAME,
            "kind": "student",
            "idp": {
                "entity_id": f"{base}/idp",
                "metadata": f"{base}/federation.xml",
                "metadata_cert": f"{state}/federation.crt",
            },
        }
    ]
