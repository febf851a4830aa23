"""Keyed blind indexes: exact-match lookups on encrypted values without storing plaintext.

Why by hand: it is a few lines of HMAC, and the normalisation is a product decision. A blind
index is ``HMAC-SHA256(BLIND_INDEX_KEY, purpose || parts)``, truncated to 128 bits (collisions
are irrelevant at our scale and a shorter value leaks less). The ``purpose`` keeps indexes for
different fields unlinkable. Without the key an index reveals nothing and cannot be brute-forced
offline; with it, an attacker could test guesses, which is why the key lives outside the
database.

Normalisation (before hashing) makes search forgiving in the ways counsellors expect and exact
otherwise: Unicode NFKD with combining marks removed (José = Jose), case-folded, punctuation
other than letters/digits turned into spaces, whitespace collapsed. Name order still matters.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata

from northstar.security.keyring import get_blind_index_key

INDEX_HEX_LENGTH = 32
SEPARATOR = "\x1f"


def normalize_for_index(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    without_marks = "".join(c for c in decomposed if not unicodedata.combining(c))
    folded = without_marks.casefold()
    cleaned = "".join(c if c.isalnum() else " " for c in folded)
    return " ".join(cleaned.split())


def blind_index(purpose: str, *parts: str) -> str:
    """The hex blind index of ``parts`` (each normalised) for ``purpose``."""
    message = SEPARATOR.join([purpose, *(normalize_for_index(part) for part in parts)])
    digest = hmac.new(get_blind_index_key(), message.encode("utf-8"), hashlib.sha256)
    return digest.hexdigest()[:INDEX_HEX_LENGTH]
