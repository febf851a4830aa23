"""Access-matrix rows for the referrals app's URLs (merged by ``access_matrix``)."""

from tests.security.matrix_base import Row

DIRECTORY_READERS = frozenset({"coordinator", "counsellor", "admin"})


def _partner_kwargs() -> dict:
    from tests.referrals.factories import PartnerServiceFactory

    return {"pk": PartnerServiceFactory(languages=["fr"], provinces=["QC"]).organisation_id}


def _other_organisations_service_kwargs() -> dict:
    """A service of a partner organisation that is not the matrix partner persona's own, so
    the partner persona must get 404 (not 403: existence is not revealed)."""
    from tests.referrals.factories import PartnerServiceFactory

    return {"pk": PartnerServiceFactory(with_capacity=True).pk}


ROWS: dict[str, Row] = {
    # --- partner directory ----------------------------------------------------------------
    "directory:partner_list": Row(DIRECTORY_READERS),
    "directory:partner_detail": Row(DIRECTORY_READERS, kwargs=_partner_kwargs),
    "directory:own_services": Row(frozenset({"partner"})),
    # An empty POST is an invalid form (both numbers are required): the admin sees it again.
    "directory:service_capacity": Row(
        frozenset({"partner", "admin"}), get=200, post=200,
        kwargs=_other_organisations_service_kwargs,
        overrides={("partner", "GET"): 404, ("partner", "POST"): 404}),
}
