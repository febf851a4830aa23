"""Access-matrix rows for the stats app's URLs (merged by ``access_matrix``).

Admins only: counsellors, coordinators, partners and operators (superusers without the admin
role) get 403. An export job belongs to the admin who requested it: the matrix's admin persona
is someone else, so the job's pages answer 404 for them (as for a job that does not exist);
``tests/stats/test_exports.py`` covers the owner.
"""

from tests.security.matrix_base import Row

ADMIN = frozenset({"admin"})


def _someone_elses_export_job() -> dict:
    from stats.models import ExportJob
    from tests.factories import UserFactory

    job = ExportJob.objects.create(requested_by=UserFactory(admin=True), format="csv",
                                   first_quarter="2026-Q1", last_quarter="2026-Q2")
    return {"pk": job.pk}


ROWS: dict[str, Row] = {
    "stats:dashboard": Row(ADMIN),
    # An empty POST is an invalid form: the admin sees it again with its errors.
    "stats:exports": Row(ADMIN, get=200, post=200),
    "stats:export_job": Row(ADMIN, get=404, post=405, kwargs=_someone_elses_export_job),
    "stats:export_download": Row(ADMIN, get=404, post=405, kwargs=_someone_elses_export_job),
}
