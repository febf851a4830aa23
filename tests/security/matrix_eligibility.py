"""Access-matrix rows for the eligibility app's URLs (merged by ``access_matrix``)."""

from tests.security.matrix_base import Row

ROWS: dict[str, Row] = {
    # A JSON API: anonymous → 401, no case role → 403 (JSON), never a redirect. An empty body
    # is malformed JSON: 400 for the roles allowed.
    "eligibility:screen_api": Row(
        frozenset({"counsellor", "coordinator"}), get=405, post=400,
        overrides={("anonymous", "GET"): 401, ("anonymous", "POST"): 401,
                   ("deactivated", "GET"): 401, ("deactivated", "POST"): 401,
                   ("password_only", "GET"): 403, ("password_only", "POST"): 403,
                   **{(persona, method): 403 for persona in ("partner", "admin", "superuser")
                      for method in ("GET", "POST")}}),
}
