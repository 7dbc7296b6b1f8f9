"""Link a staff login to its federation identity (#20, S-AUTH-1):

    manage.py link_saml_account <username> <provider id> <eduPersonPrincipalName>

Staff have no student records for a SAML login to find them by, so their account is linked once
by its eduPersonPrincipalName; from then on the IdP's login logs that account in.
"""

from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from people.models import User


class Command(BaseCommand):
    help = "Link a staff login to its eduPersonPrincipalName at a SAML identity provider."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("provider", help="the provider's id in SAML_PROVIDERS")
        parser.add_argument("eppn", help="the eduPersonPrincipalName, e.g. mani0001@lu.se")

    def handle(self, *args, username: str, provider: str, eppn: str, **options) -> None:
        ids = {entry.get("id") or entry.get("provider_id") for entry in settings.SAML_PROVIDERS}
        if provider not in ids:
            raise CommandError(f"No SAML provider {provider!r} in SAML_PROVIDERS.")
        eppn = eppn.strip()
        if "@" not in eppn:
            raise CommandError("An eduPersonPrincipalName has a scope: name@university.se.")
        with transaction.atomic():
            user = User.objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"No login {username!r}.")
            if not user.staff_roles.exists():
                raise CommandError(f"{username} holds no staff role; students log in by number.")
            account, _ = SocialAccount.objects.select_for_update().get_or_create(
                provider=provider, uid=eppn, defaults={"user": user, "extra_data": {}}
            )
            if account.user_id != user.pk:
                raise CommandError(f"{eppn} is linked to another login already.")
        self.stdout.write(f"{username} logs in as {eppn} through {provider}.")
