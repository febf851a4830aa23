"""The referral status pipeline, as data.

One row per allowed change: ``(from, to)`` → who may make it, which timestamps it stamps,
which checks must pass first and who is notified. Anything not in the table is refused.
``referrals.services.referral_transition`` is the one function that applies a row; the
permission check (``referrals.permissions.can_transition``) reads the same table.

==============  ============  ========================  =====================  ===============
from            to            who                       checks                 notifies
==============  ============  ========================  =====================  ===============
draft           sent          coordinator, counsellor   case referable,        partner (new
                                                        consent, agreement,    referral)
                                                        preview unchanged
sent            accepted      partner                   —                      network
sent            declined      partner                   a decline reason       network
sent            expired       system (SLA task)         —                      partner, network
sent            withdrawn     coordinator, counsellor,  —                      partner
                              system
accepted        in_progress   partner                   —                      —
accepted        handed_back   partner                   a note (why)           network
accepted        withdrawn     coordinator, counsellor,  —                      partner
                              system
in_progress     completed     partner                   —                      network
in_progress     handed_back   partner                   a note (why)           network
in_progress     withdrawn     coordinator, counsellor,  —                      partner
                              system
==============  ============  ========================  =====================  ===============

"system" is the SLA task (expiry) and the hooks that withdraw a referral when the client
withdraws consent or the case is purged. "network" means the coordinators (and the referral's
author). A draft never leaves the network: it is discarded (deleted), not withdrawn.

The graph has no cycle, so a referral reaches each status at most once; notification
idempotency keys rely on that (``<reference>.<to>.<audience>``).
"""

from __future__ import annotations

from dataclasses import dataclass

from referrals.models import OutboxMessage, ReferralStatus

COORDINATOR = "coordinator"
COUNSELLOR = "counsellor"
PARTNER = "partner"
SYSTEM = "system"
CASE_SIDE = frozenset({COORDINATOR, COUNSELLOR})

# Audiences of a notification.
TO_PARTNER = "partner"
TO_NETWORK = "network"

# Checks (implemented in ``referrals.services``).
CASE_REFERABLE = "case_referable"
CONSENT_AND_AGREEMENT = "consent_and_agreement"
PREVIEW_UNCHANGED = "preview_unchanged"
DECLINE_REASON = "decline_reason"
NOTE_REQUIRED = "note_required"

Kind = OutboxMessage.Kind
S = ReferralStatus


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    roles: frozenset[str]
    stamps: tuple[str, ...] = ()
    checks: tuple[str, ...] = ()
    notify: tuple[tuple[str, str], ...] = ()
    snapshot_packet: bool = False

    @property
    def action(self) -> str:
        """The audit action name."""
        return f"referral.{self.target}"


def _rows(*transitions: Transition) -> dict[tuple[str, str], Transition]:
    return {(t.source, t.target): t for t in transitions}


WITHDRAWERS = CASE_SIDE | {SYSTEM}

TRANSITIONS: dict[tuple[str, str], Transition] = _rows(
    Transition(S.DRAFT, S.SENT, CASE_SIDE, stamps=("sent_at",),
               checks=(CASE_REFERABLE, CONSENT_AND_AGREEMENT, PREVIEW_UNCHANGED),
               notify=((TO_PARTNER, Kind.REFERRAL_SENT),), snapshot_packet=True),
    Transition(S.SENT, S.ACCEPTED, frozenset({PARTNER}), stamps=("answered_at",),
               notify=((TO_NETWORK, Kind.ANSWERED),)),
    Transition(S.SENT, S.DECLINED, frozenset({PARTNER}), stamps=("answered_at", "closed_at"),
               checks=(DECLINE_REASON,), notify=((TO_NETWORK, Kind.ANSWERED),)),
    Transition(S.SENT, S.EXPIRED, frozenset({SYSTEM}), stamps=("closed_at",),
               notify=((TO_PARTNER, Kind.EXPIRED), (TO_NETWORK, Kind.EXPIRED))),
    Transition(S.SENT, S.WITHDRAWN, WITHDRAWERS, stamps=("closed_at",),
               notify=((TO_PARTNER, Kind.WITHDRAWN),)),
    Transition(S.ACCEPTED, S.IN_PROGRESS, frozenset({PARTNER})),
    Transition(S.ACCEPTED, S.HANDED_BACK, frozenset({PARTNER}), stamps=("closed_at",),
               checks=(NOTE_REQUIRED,), notify=((TO_NETWORK, Kind.ANSWERED),)),
    Transition(S.ACCEPTED, S.WITHDRAWN, WITHDRAWERS, stamps=("closed_at",),
               notify=((TO_PARTNER, Kind.WITHDRAWN),)),
    Transition(S.IN_PROGRESS, S.COMPLETED, frozenset({PARTNER}),
               stamps=("completed_at", "closed_at"), notify=((TO_NETWORK, Kind.ANSWERED),)),
    Transition(S.IN_PROGRESS, S.HANDED_BACK, frozenset({PARTNER}), stamps=("closed_at",),
               checks=(NOTE_REQUIRED,), notify=((TO_NETWORK, Kind.ANSWERED),)),
    Transition(S.IN_PROGRESS, S.WITHDRAWN, WITHDRAWERS, stamps=("closed_at",),
               notify=((TO_PARTNER, Kind.WITHDRAWN),)),
)


def transition_for(source: str, target: str) -> Transition | None:
    return TRANSITIONS.get((source, target))


def targets_from(source: str) -> list[str]:
    return [target for (start, target) in TRANSITIONS if start == source]
