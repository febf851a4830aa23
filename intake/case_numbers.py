"""Case numbers: random, not guessable, easy to read aloud on a phone call.

Crockford base32 without I, L, O, U: ``NS-7KQ2-M9XD`` (40 random bits). Collisions are
retried by the caller (the column is unique).
"""

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CASE_NUMBER = re.compile(r"NS-[0-9A-Z]{4}-[0-9A-Z]{4}")


def new_case_number() -> str:
    chars = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"NS-{chars[:4]}-{chars[4:]}"


def is_case_number(text: str) -> bool:
    """Shaped like a case number (from a URL: anything else, a NUL byte included, is no case
    and never reaches the database)."""
    return CASE_NUMBER.fullmatch(text) is not None


def normalize_case_number(text: str) -> str:
    """Accept what people type: lower case, spaces, missing dashes, O for 0, I/L for 1."""
    cleaned = "".join(c for c in text.upper() if c.isalnum())
    cleaned = cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    if cleaned.startswith("NS"):
        cleaned = cleaned[2:]
    if len(cleaned) != 8:
        return ""
    return f"NS-{cleaned[:4]}-{cleaned[4:]}"
