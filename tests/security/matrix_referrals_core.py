"""Access-matrix rows for referrals and the partner portal (merged by ``access_matrix``).

Network pages are tried on a referral of a case created by another counsellor: the matrix's
counsellor persona must get 404 (out of scope), the coordinator gets through. Portal pages are
tried on a referral sent to a partner organisation: the matrix's partner persona is a user of
that organisation and gets through; "other_partner" (another partner organisation) must get
404, never the referral.
"""

from tests.security.matrix_base import Row

CASE_WORKERS = frozenset({"counsellor", "coordinator"})
PARTNERS = frozenset({"partner"})


def _case():
    from tests.factories import UserFactory
    from tests.referrals.referral_helpers import make_case

    return make_case(UserFactory(counsellor=True))


def _draft():
    from tests.factories import UserFactory
    from tests.referrals.referral_helpers import draft_for, give_consent, make_partner

    coordinator = UserFactory(coordinator=True)
    case, partner = _case(), make_partner()
    give_consent(case, coordinator, partner=partner)
    return draft_for(case, partner, coordinator), coordinator


def case_kwargs() -> dict:
    return {"number": _case().number}


def draft_kwargs() -> dict:
    return {"reference": _draft()[0].reference}


def sent_kwargs() -> dict:
    from tests.referrals.referral_helpers import send

    draft, coordinator = _draft()
    return {"reference": send(draft, coordinator).reference}


def out_of_scope(get: int | None = None, post: int | None = None,
                 persona: str = "counsellor") -> dict:
    overrides = {}
    if get is not None:
        overrides[(persona, "GET")] = get
    if post is not None:
        overrides[(persona, "POST")] = post
    return overrides


def network_row(kwargs, get: int = 405, post: int = 405) -> Row:
    return Row(CASE_WORKERS, get=get, post=post, kwargs=kwargs,
               overrides=out_of_scope(get=404 if get != 405 else None,
                                      post=404 if post != 405 else None))


def referral_partner(kwargs: dict) -> int:
    from referrals.models import Referral

    return Referral.objects.get(reference=kwargs["reference"]).partner_id


def portal_post_row(post: int) -> Row:
    """``post``: the owning partner's answer to an empty POST on a sent referral."""
    return Row(PARTNERS, get=405, post=post, kwargs=sent_kwargs, organisation=referral_partner,
               overrides=out_of_scope(post=404, persona="other_partner"))


ROWS: dict[str, Row] = {
    "referrals:dashboard": Row(CASE_WORKERS),
    # An empty POST names no service: the page again, 400.
    "referrals:referral_new": network_row(case_kwargs, get=200, post=400),
    "referrals:referral_detail": network_row(draft_kwargs, get=200),
    # An empty POST is a valid choice: the minimum fields, no note.
    "referrals:referral_fields": network_row(draft_kwargs, post=302),
    "referrals:referral_preview": network_row(draft_kwargs, get=200),
    # Without the preview's fingerprint the send is refused (400).
    "referrals:referral_send": network_row(draft_kwargs, post=400),
    "referrals:referral_withdraw": network_row(sent_kwargs, post=302),
    "referrals:referral_discard": network_row(draft_kwargs, post=302),
    "referrals:referral_message": network_row(sent_kwargs, post=400),  # empty message
    "referrals:portal_queue": Row(PARTNERS),
    "referrals:portal_referral": Row(PARTNERS, get=200, kwargs=sent_kwargs,
                                     organisation=referral_partner,
                                     overrides=out_of_scope(get=404, persona="other_partner")),
    "referrals:portal_accept": portal_post_row(302),  # the note is optional: accepted
    "referrals:portal_decline": portal_post_row(400),  # no reason
    "referrals:portal_start": portal_post_row(409),  # not accepted yet
    "referrals:portal_complete": portal_post_row(409),  # not in progress
    "referrals:portal_hand_back": portal_post_row(400),  # no note
    "referrals:portal_message": portal_post_row(400),  # empty message
}
