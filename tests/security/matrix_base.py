"""The access-control matrix format: URL pattern × persona × method → expected status.

``test_access_matrix.py`` walks the URL resolver and fails when a pattern has no row here, so
a new URL cannot ship without someone deciding who may use it. Each issue adds its rows.

Row.who: "public" (anyone), "nobody" (no policy: 403 for all), "before_mfa" (signed in, MFA
not yet done), "signed_in" (any
MFA-verified user), "superuser", or a set of roles. ``get``/``post`` are the statuses for a
persona the row allows; everyone else gets the policy's refusal (302 to login for anonymous and
deactivated users, 302 to MFA set-up for a password-only session, 403 for other roles).
``overrides`` pin a status for one (persona, method) where the view itself decides (e.g. the
login page sends a signed-in user home).

Row.organisation (kwargs → organisation pk) names the partner organisation that owns the row's
object: the "partner" persona is then a user of that organisation (it must get through), and
"other_partner" a user of another partner organisation (it must get 404, never the object).
Without it both are users of fresh partner organisations. "idle_expired" is a session past its
idle deadline (15 min), "absolute_expired" one signed in more than 12 hours ago: both are
treated as signed out (the absolute expiry ends the session on any URL: 302 to the login, or
401 in JSON for a JSON endpoint, given as an override in the endpoint's row).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

PERSONAS = (
    "anonymous",
    "counsellor",
    "coordinator",
    "partner",
    "admin",
    "superuser",
    "password_only",
    "deactivated",
    "other_partner",
    "idle_expired",
    "absolute_expired",
)
SIGNED_IN_PERSONAS = ("counsellor", "coordinator", "partner", "other_partner", "admin",
                      "superuser")
# Methods no view of ours takes: each must still meet the policy, then 405.
OTHER_METHODS = ("PUT", "PATCH", "DELETE")


@dataclass(frozen=True)
class Row:
    who: str | frozenset[str]
    get: int = 200
    post: int = 405
    kwargs: Callable[[], dict] | None = None
    overrides: dict[tuple[str, str], int] = field(default_factory=dict)
    organisation: Callable[[dict], int] | None = None


def signed_in_overrides(method: str, status: int) -> dict[tuple[str, str], int]:
    return {(persona, method): status for persona in SIGNED_IN_PERSONAS}
