"""Encryption at rest for identifiers (ID numbers) and keyed hashes for exact look-up, with key rotation.

settings.FIELD_KEYS is the current FIELD_KEY followed by the previous ones (FIELD_KEY_PREVIOUS). Each key
string gives a Fernet key (AES-128-CBC + HMAC) and, under a different derivation, an HMAC-SHA256 look-up key,
so equal numbers can be found without decrypting. New values are encrypted and hashed with the current key;
values under a previous key still decrypt (MultiFernet) and are still found (`lookup_hashes` gives the hash
under every key) until `manage.py reencrypt_fields --wet-run` has moved every row onto the current key.

Models list their encrypted columns in `ENCRYPTED_FIELDS = [(ciphertext_field, hash_field_or_None), ...]`;
the command finds them there (a new model with an encrypted column joins by declaring it)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

__all__ = ["InvalidToken", "decrypt", "encrypt", "is_current", "lookup_hash", "lookup_hashes"]


def _keys() -> tuple[str, ...]:
    keys = getattr(settings, "FIELD_KEYS", None) or [settings.FIELD_KEY]
    return tuple(keys)


def _derive(purpose: str, key: str) -> bytes:
    return hashlib.sha256(f"{purpose}:{key}".encode()).digest()


@lru_cache(maxsize=8)
def _fernets(keys: tuple[str, ...]) -> tuple[Fernet, ...]:
    return tuple(Fernet(base64.urlsafe_b64encode(_derive("encrypt", k))) for k in keys)


@lru_cache(maxsize=8)
def _multi(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet(list(_fernets(keys)))


def encrypt(value: str) -> str:
    return _multi(_keys()).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return _multi(_keys()).decrypt(token.encode()).decode()


def is_current(token: str) -> bool:
    """Whether `token` was encrypted under the current key."""
    try:
        _fernets(_keys())[0].decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def _hash(key: str, value: str) -> str:
    return hmac.new(_derive("lookup", key), value.encode(), hashlib.sha256).hexdigest()


def lookup_hash(value: str) -> str:
    """The look-up hash under the current key (what new rows store)."""
    return _hash(_keys()[0], value)


def lookup_hashes(value: str) -> list[str]:
    """The look-up hash under every key, current first: use with `__in` while a rotation is under way."""
    return [_hash(k, value) for k in _keys()]
