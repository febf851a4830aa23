"""Stored files: AES-256-GCM under the field-encryption keyring, in the default storage.

Format of a stored file (binary)::

    b"NSD1" | key id length (1 byte) | key id (ASCII) | nonce (12 bytes) | ciphertext | tag

The header (magic, key id, nonce) is authenticated as associated data, together with the
document's case, storage name and content type, so a stored file copied over another
document's, or a row edited to point at another file or to claim another type, fails to
decrypt instead of being served. Storage names are random (``documents/<32 hex>``): nothing of
the client or the file name ever reaches the storage, which may be a local folder or an
S3-compatible bucket (``STORAGES["default"]``).
"""

from __future__ import annotations

import logging
import os
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from intake.documents.errors import DocumentUnavailable
from northstar.security.keyring import get_keyring

logger = logging.getLogger(__name__)

MAGIC = b"NSD1"
NONCE_BYTES = 12
STORAGE_FOLDER = "documents"


def new_storage_name() -> str:
    return f"{STORAGE_FOLDER}/{secrets.token_hex(16)}"


def associated_data(case_id: int, storage_name: str, content_type: str) -> bytes:
    return f"intake.document|{case_id}|{storage_name}|{content_type}".encode()


def seal(plaintext: bytes, context: bytes) -> tuple[bytes, str]:
    """(the stored form of ``plaintext``, the id of the key it is encrypted under)."""
    keyring = get_keyring()
    key_id = keyring.active_id.encode("ascii")
    header = MAGIC + bytes([len(key_id)]) + key_id + os.urandom(NONCE_BYTES)
    nonce = header[-NONCE_BYTES:]
    sealed = AESGCM(keyring.active_key).encrypt(nonce, plaintext, header + context)
    return header + sealed, keyring.active_id


def unseal(blob: bytes, context: bytes) -> bytes:
    if not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + 1:
        raise DocumentUnavailable("not a stored document")
    id_end = len(MAGIC) + 1 + blob[len(MAGIC)]
    header_end = id_end + NONCE_BYTES
    key = get_keyring().keys.get(blob[len(MAGIC) + 1:id_end].decode("ascii", "replace"))
    if key is None:
        raise DocumentUnavailable("encrypted under a key that is not configured")
    try:
        return AESGCM(key).decrypt(blob[id_end:header_end], blob[header_end:],
                                   blob[:header_end] + context)
    except (InvalidTag, ValueError) as error:
        raise DocumentUnavailable("stored document does not authenticate") from error


def blob_write(storage_name: str, blob: bytes) -> None:
    saved = default_storage.save(storage_name, ContentFile(blob))
    if saved != storage_name:  # a collision of 128 random bits: never, but never overwrite
        default_storage.delete(saved)
        raise FileExistsError("storage name already taken")


def blob_read(storage_name: str) -> bytes:
    try:
        with default_storage.open(storage_name, "rb") as stored:
            return stored.read()
    except FileNotFoundError as error:
        raise DocumentUnavailable("stored document is missing") from error


def blob_delete(storage_name: str) -> None:
    """Delete a stored file; a failure is logged (by storage name only), never raised, so that
    it cannot undo the database change it follows."""
    try:
        default_storage.delete(storage_name)
    except Exception:
        logger.exception("could not delete stored document %s", storage_name)
