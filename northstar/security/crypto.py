"""Authenticated encryption of small values: AES-256-GCM with a key id in every value.

Why by hand: the maintained Django encrypted-field packages either use Fernet with a single key
list and no associated data, or are unmaintained for Django 5.2. What we need is small and must
be exact: AES-256-GCM (``cryptography``), a random 96-bit nonce per value, the key id in clear in
the token so that rotation can find values under an old key with a plain SQL prefix test, and
associated data naming the column (``app.model.field``) so a ciphertext copied into another
column fails to decrypt instead of being shown as that column's value.

Token format (ASCII): ``ns1:<key id>:<urlsafe base64 of nonce || ciphertext || tag>``.
"""

from __future__ import annotations

import base64
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from northstar.security.keyring import get_keyring

TOKEN_VERSION = "ns1"  # noqa: S105 — a format tag, not a secret
NONCE_BYTES = 12


class DecryptionError(Exception):
    """A value could not be decrypted: unknown key id, wrong column, or tampered ciphertext."""


@lru_cache(maxsize=32)
def _cipher(key: bytes) -> AESGCM:
    return AESGCM(key)


def token_prefix(key_id: str) -> str:
    """The prefix every token encrypted under ``key_id`` starts with."""
    return f"{TOKEN_VERSION}:{key_id}:"


def encrypt_bytes(plaintext: bytes, associated_data: str) -> str:
    keyring = get_keyring()
    nonce = os.urandom(NONCE_BYTES)
    sealed = _cipher(keyring.active_key).encrypt(nonce, plaintext, associated_data.encode())
    body = base64.urlsafe_b64encode(nonce + sealed).decode("ascii")
    return token_prefix(keyring.active_id) + body


def decrypt_bytes(token: str, associated_data: str) -> bytes:
    version, _, rest = token.partition(":")
    key_id, _, body = rest.partition(":")
    if version != TOKEN_VERSION or not body:
        raise DecryptionError("not an encrypted value")
    key = get_keyring().keys.get(key_id)
    if key is None:
        raise DecryptionError(f"unknown key id {key_id!r}")
    try:
        raw = base64.urlsafe_b64decode(body)
        return _cipher(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], associated_data.encode())
    except (InvalidTag, ValueError) as error:
        raise DecryptionError("ciphertext does not authenticate") from error


def encrypt_text(plaintext: str, associated_data: str) -> str:
    return encrypt_bytes(plaintext.encode("utf-8"), associated_data)


def decrypt_text(token: str, associated_data: str) -> str:
    return decrypt_bytes(token, associated_data).decode("utf-8")


def key_id_of(token: str) -> str | None:
    if not token or not token.startswith(TOKEN_VERSION + ":"):
        return None
    return token.split(":", 2)[1]
