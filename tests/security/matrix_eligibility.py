"""Access-matrix rows for the eligibility app's URLs (merged by ``access_matrix``)."""

from tests.security.matrix_base import OTHER_METHODS, Row

METHODS = ("GET", "POST", *OTHER_METHODS)

ROWS: dict[str, Row] = {
    # A JSON API: anonymous or expired (idle or 12 hours) → 401, no case role → 403 (JSON),
    # never a redirect. An empty body is malformed JSON: 400 for the roles allowed.
    "eligibility:screen_api": Row(
        frozenset({"counsellor", "coordinator"}), get=405, post=400,
        overrides={**{(persona, method): 401 for method in METHODS
                      for persona in ("anonymous", "deactivated", "idle_expired",
                                      "absolute_expired")},
                   **{(persona, method): 403 for method in METHODS
                      for persona in ("password_only", "partner", "other_partner", "admin",
                                      "superuser")}}),
}
