"""Access-matrix rows for the eligibility app's URLs (merged by ``access_matrix``)."""

from tests.security.matrix_base import Row

ROWS: dict[str, Row] = {}
