"""Intake models: clients and cases (``case``), consent (``consent``), documents
(``documents``)."""

from intake.models.case import (
    FACT_BLOCKS,
    Case,
    CaseEvent,
    CaseStatus,
    Client,
    ClientNameIndex,
    CloseReason,
    ContactMethod,
    ErasureRequest,
    Note,
    Urgency,
)
from intake.models.consent import Consent, ConsentGiver, ConsentMethod, ConsentPurpose
from intake.models.documents import Document, DocumentKind, DocumentType

__all__ = [
    "FACT_BLOCKS",
    "Case",
    "CaseEvent",
    "CaseStatus",
    "Client",
    "ClientNameIndex",
    "CloseReason",
    "Consent",
    "ConsentGiver",
    "ConsentMethod",
    "ConsentPurpose",
    "ContactMethod",
    "Document",
    "DocumentKind",
    "DocumentType",
    "ErasureRequest",
    "Note",
    "Urgency",
]
