"""Intake models: clients and cases (``case``), consent (``consent``), documents
(``documents``), public help requests (``help_request``)."""

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
from intake.models.help_request import (
    DismissReason,
    HelpContactMethod,
    HelpLanguage,
    HelpRequest,
    HelpRequestStatus,
)

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
    "DismissReason",
    "Document",
    "DocumentKind",
    "DocumentType",
    "ErasureRequest",
    "HelpContactMethod",
    "HelpLanguage",
    "HelpRequest",
    "HelpRequestStatus",
    "Note",
    "Urgency",
]
