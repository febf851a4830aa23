"""Access-matrix rows for the referrals app's URLs (merged by ``access_matrix``)."""

from tests.security.matrix_base import Row

DIRECTORY_READERS = frozenset({"coordinator", "counsellor", "admin"})


def _partner_kwargs() -> dict:
    from tests.referrals.factories import PartnerServiceFactory

    return {"pk": PartnerServiceFactory(languages=["fr"], provinces=["QC"]).organisation_id}


def _service_kwargs() -> dict:
    """A partner's service: the matrix's partner persona belongs to its organisation and gets
    through; "other_partner" must get 404 (not 403: existence is not revealed)."""
    from tests.referrals.factories import PartnerServiceFactory

    return {"pk": PartnerServiceFactory(with_capacity=True).pk}


def _service_organisation(kwargs: dict) -> int:
    from referrals.models import PartnerService

    return PartnerService.objects.get(pk=kwargs["pk"]).organisation_id


ROWS: dict[str, Row] = {
    # --- partner directory ----------------------------------------------------------------
    "directory:partner_list": Row(DIRECTORY_READERS),
    "directory:partner_detail": Row(DIRECTORY_READERS, kwargs=_partner_kwargs),
    "directory:own_services": Row(frozenset({"partner"})),
    # An empty POST is an invalid form (both numbers are required): the form again.
    "directory:service_capacity": Row(
        frozenset({"partner", "admin"}), get=200, post=200,
        kwargs=_service_kwargs, organisation=_service_organisation,
        overrides={("other_partner", "GET"): 404, ("other_partner", "POST"): 404}),
}
