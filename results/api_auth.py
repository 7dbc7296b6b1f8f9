"""Tokens of exam systems (T-EXT-1): random, shown once, kept only as SHA-256."""

import hashlib
import secrets

from django.http import HttpRequest
from ninja.security import HttpBearer

from results.models import ApiClient

# Ours are 43 characters; a longer header is not worth hashing.
_MAX_TOKEN = 200


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ClientToken(HttpBearer):
    """`Authorization: Bearer <token>`: the active client whose token hashes to the same
    SHA-256, with its university and acting user (one query). It is looked up across
    universities, before any scope is open: the token is what says which university it is."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiClient | None:
        if not token or len(token) > _MAX_TOKEN:
            return None
        return (
            ApiClient.objects.with_scopes_disabled()
            .select_related("institution", "acting_user")
            .filter(token_hash=hash_token(token), active=True)
            .first()
        )
