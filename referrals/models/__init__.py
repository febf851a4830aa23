"""Models of the referrals app: the partner directory (``directory``). Referrals, their
transitions and the outbox will live in sibling modules."""

from referrals.models.directory import (
    MAXIMUM_AGE,
    DataSharingAgreement,
    PartnerContact,
    PartnerLocation,
    PartnerProfile,
    PartnerService,
    PartnerServiceLanguage,
    PartnerServiceProvince,
    Province,
    ServiceStatus,
    ServiceType,
)

__all__ = [
    "MAXIMUM_AGE",
    "DataSharingAgreement",
    "PartnerContact",
    "PartnerLocation",
    "PartnerProfile",
    "PartnerService",
    "PartnerServiceLanguage",
    "PartnerServiceProvince",
    "Province",
    "ServiceStatus",
    "ServiceType",
]
