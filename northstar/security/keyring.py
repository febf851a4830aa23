"""Keys from the environment: the field-encryption keyring, the blind-index key, the audit key.

Settings are read when a key is first needed, never at import time, and parsed once per distinct
configuration (tests switch keys with ``override_settings``). A malformed or missing key raises
``ImproperlyConfigured`` naming the variable, so a misconfigured process stops at start-up
(``northstar.security.checks``) instead of writing data it cannot read back.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,16}$")
KEY_BYTES = 32

# Keys committed to this repository (development and test settings). Production refuses them.
PUBLISHED_KEY_MATERIAL = frozenset(
    {
        "ZGV2LW9ubHkta2V5LW5vcnRoc3Rhci0wMDAwMDAwMDE=",
        "ZGV2LW9ubHktYmxpbmQtaW5kZXgta2V5LTAwMDAwMDA=",
        "ZGV2LW9ubHktYXVkaXQtaG1hYy1rZXktMDAwMDAwMDA=",
        "dGVzdC1rZXktbm9ydGhzdGFyLTAwMDAwMDAwMDAwMDI=",
        "dGVzdC1rZXktbm9ydGhzdGFyLTAwMDAwMDAwMDAwMDE=",
        "dGVzdC1ibGluZC1pbmRleC1rZXktMDAwMDAwMDAwMDA=",
        "dGVzdC1hdWRpdC1obWFjLWtleS0wMDAwMDAwMDAwMDA=",
    }
)


@dataclass(frozen=True)
class Keyring:
    """Field-encryption keys by id; ``active_id`` encrypts, every key decrypts."""

    keys: dict[str, bytes]
    active_id: str

    @property
    def active_key(self) -> bytes:
        return self.keys[self.active_id]


def decode_key(material: str, variable: str) -> bytes:
    """Decode one base64 (standard or urlsafe) 32-byte key, naming ``variable`` on error."""
    try:
        raw = base64.urlsafe_b64decode(material.strip().replace("+", "-").replace("/", "_"))
    except (binascii.Error, ValueError) as error:
        raise ImproperlyConfigured(f"{variable}: a key is not valid base64") from error
    if len(raw) != KEY_BYTES:
        raise ImproperlyConfigured(f"{variable}: keys must be {KEY_BYTES} bytes, got {len(raw)}")
    return raw


@lru_cache(maxsize=8)
def parse_keyring(spec: str, active_id: str) -> Keyring:
    """Parse ``"kid:base64,kid:base64"``; the first key is active unless ``active_id`` says."""
    if not spec.strip():
        raise ImproperlyConfigured("Set the FIELD_ENCRYPTION_KEYS environment variable")
    keys: dict[str, bytes] = {}
    for entry in spec.split(","):
        key_id, separator, material = entry.strip().partition(":")
        if not separator or not KEY_ID_PATTERN.match(key_id):
            raise ImproperlyConfigured(
                "FIELD_ENCRYPTION_KEYS: each entry must be 'kid:base64key' "
                "(kid: 1-16 of A-Z a-z 0-9 _ -)"
            )
        if key_id in keys:
            raise ImproperlyConfigured(f"FIELD_ENCRYPTION_KEYS: key id {key_id!r} appears twice")
        keys[key_id] = decode_key(material, "FIELD_ENCRYPTION_KEYS")
    chosen = active_id or next(iter(keys))
    if chosen not in keys:
        raise ImproperlyConfigured(
            f"FIELD_ENCRYPTION_ACTIVE_KEY_ID {chosen!r} is not in FIELD_ENCRYPTION_KEYS"
        )
    return Keyring(keys=keys, active_id=chosen)


def get_keyring() -> Keyring:
    return parse_keyring(settings.FIELD_ENCRYPTION_KEYS, settings.FIELD_ENCRYPTION_ACTIVE_KEY_ID)


@lru_cache(maxsize=8)
def _single_key(material: str, variable: str) -> bytes:
    if not material.strip():
        raise ImproperlyConfigured(f"Set the {variable} environment variable")
    return decode_key(material, variable)


def get_blind_index_key() -> bytes:
    return _single_key(settings.BLIND_INDEX_KEY, "BLIND_INDEX_KEY")


def get_audit_key() -> bytes:
    return _single_key(settings.AUDIT_HMAC_KEY, "AUDIT_HMAC_KEY")


def audit_key_id(key: bytes) -> str:
    """A short public name for an audit key, stored on each seal it makes: the first 12 hex
    digits of a SHA-256 of the key (with a label). It names the key without revealing it."""
    return hashlib.sha256(b"northstar audit key id\0" + key).hexdigest()[:12]


def get_audit_keys() -> list[tuple[str, bytes]]:
    """(key id, key) of every key the audit chain may be sealed with, newest first: the
    active ``AUDIT_HMAC_KEY``, then ``AUDIT_HMAC_RETIRED_KEYS`` (comma-separated, newest
    first), kept only to verify the seals made before each rotation."""
    return _audit_keys(settings.AUDIT_HMAC_KEY, settings.AUDIT_HMAC_RETIRED_KEYS)


@lru_cache(maxsize=8)
def _audit_keys(active: str, retired: str) -> list[tuple[str, bytes]]:
    keys = [_single_key(active, "AUDIT_HMAC_KEY")]
    keys += [decode_key(material.strip(), "AUDIT_HMAC_RETIRED_KEYS")
             for material in retired.split(",") if material.strip()]
    named: dict[str, bytes] = {}
    for key in keys:
        named.setdefault(audit_key_id(key), key)
    return list(named.items())


def published_keys_in_use() -> list[str]:
    """Names of settings that hold a key published in this repository."""
    found = []
    for entry in settings.FIELD_ENCRYPTION_KEYS.split(","):
        if entry.partition(":")[2].strip() in PUBLISHED_KEY_MATERIAL:
            found.append("FIELD_ENCRYPTION_KEYS")
            break
    for name in ("BLIND_INDEX_KEY", "AUDIT_HMAC_KEY"):
        if getattr(settings, name).strip() in PUBLISHED_KEY_MATERIAL:
            found.append(name)
    return found
