"""Encryption at rest for identifiers (ID numbers) and keyed hashes for exact look-up.

Fernet (AES-128-CBC + HMAC) with a key derived from settings.FIELD_KEY; the look-up hash is
HMAC-SHA256 under a different derived key, so equal numbers can be found without decrypting."""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet
from django.conf import settings


def _derive(purpose: str) -> bytes:
    return hashlib.sha256(f"{purpose}:{settings.FIELD_KEY}".encode()).digest()


@lru_cache(maxsize=4)
def _fernet(key: bytes) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(value: str) -> str:
    return _fernet(_derive("encrypt")).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet(_derive("encrypt")).decrypt(token.encode()).decode()


def lookup_hash(value: str) -> str:
    return hmac.new(_derive("lookup"), value.encode(), hashlib.sha256).hexdigest()
