"""Access-matrix rows for the intake app's URLs (merged by ``access_matrix``)."""

from tests.security.matrix_base import Row

ROWS: dict[str, Row] = {}
