"""Access-matrix rows for the shell around every page: the accessibility statement and the
session-expiry warning's endpoints (merged by ``access_matrix``)."""

from tests.security.matrix_base import OTHER_METHODS, Row

SIGNED_OUT = ("anonymous", "deactivated", "idle_expired")

ROWS: dict[str, Row] = {
    "accessibility": Row("public"),
    # A background request of our pages: JSON, never a redirect to parse. Signed out or expired
    # (idle or 12 hours) → 401, password only (no MFA yet) → 403.
    "accounts:session_keep_alive": Row(
        "signed_in", get=405, post=200,
        overrides={**{(persona, method): 401 for persona in (*SIGNED_OUT, "absolute_expired")
                      for method in ("GET", "POST", *OTHER_METHODS)},
                   **{("password_only", method): 403
                      for method in ("GET", "POST", *OTHER_METHODS)}}),
    # Signs out whoever posts (if anyone) and sends them to the login page.
    "accounts:session_end": Row("public", get=405, post=302),
}
