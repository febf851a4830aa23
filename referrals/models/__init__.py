"""Models of the referrals app: the partner directory (``directory``), and referrals with
their events, messages and notification outbox (``referral``)."""

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
from referrals.models.referral import (
    FINAL_STATUSES,
    OPEN_STATUSES,
    DeclineReason,
    OutboxMessage,
    Referral,
    ReferralEvent,
    ReferralEventKind,
    ReferralMessage,
    ReferralStatus,
)

__all__ = [
    "FINAL_STATUSES",
    "MAXIMUM_AGE",
    "OPEN_STATUSES",
    "DataSharingAgreement",
    "DeclineReason",
    "OutboxMessage",
    "PartnerContact",
    "PartnerLocation",
    "PartnerProfile",
    "PartnerService",
    "PartnerServiceLanguage",
    "PartnerServiceProvince",
    "Province",
    "Referral",
    "ReferralEvent",
    "ReferralEventKind",
    "ReferralMessage",
    "ReferralStatus",
    "ServiceStatus",
    "ServiceType",
]
