"""Two views that do not ask ``can_edit_case``, and why that is right (their docstrings say
so too): closing an already closed case changes nothing, and consent can be withdrawn on a
closed case (a purged case is 404 for both)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from intake.models import CaseEvent, CaseStatus, Consent
from referrals.models import ReferralStatus
from tests.referrals.referral_helpers import draft_for, give_consent, make_case, send
from tests.security.snapshot import changes, snapshot
from tests.security.world import module_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with module_world(django_db_blocker) as built:
        yield built


@pytest.fixture(autouse=True)
def _media_root(world):
    """Keep the world's stored files (the shared conftest gives each test a new folder)."""


@pytest.mark.django_db
def test_closing_a_closed_case_again_changes_nothing(world):
    case = world.closed_case
    before = snapshot()
    response = world.client("counsellor").post(
        reverse("intake:close", kwargs={"number": case.number}), {"reason": "duplicate"})
    assert response.status_code == 302
    assert changes(before, snapshot()) == []
    case.refresh_from_db()
    assert (case.status, case.close_reason) == (CaseStatus.CLOSED, "other")


@pytest.mark.django_db
@pytest.mark.parametrize("view_name", ["intake:close", "intake:consent_withdraw"])
def test_a_purged_case_is_not_found(world, view_name):
    kwargs = {"number": world.purged_case.number}
    if view_name == "intake:consent_withdraw":
        kwargs["pk"] = Consent.objects.filter(case=world.purged_case).get().pk
    before = snapshot()
    response = world.client("coordinator").post(reverse(view_name, kwargs=kwargs),
                                                {"reason": "other"})
    assert response.status_code == 404
    assert changes(before, snapshot()) == []


@pytest.mark.django_db
def test_consent_can_be_withdrawn_on_a_closed_case(world):
    consent = Consent.objects.get(case=world.closed_case)
    response = world.client("counsellor").post(reverse(
        "intake:consent_withdraw", kwargs={"number": world.closed_case.number,
                                           "pk": consent.pk}))
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_by == world.users["counsellor"]
    assert consent.withdrawn_at is not None
    assert CaseEvent.objects.filter(case=world.closed_case,
                                    kind=CaseEvent.Kind.CONSENT_WITHDRAWN).count() == 1


@pytest.mark.django_db
def test_withdrawing_on_a_closed_case_still_closes_the_partners_packet(world):
    """A referral the partner accepted stays open after the case closes (closing withdraws
    only those still waiting for an answer): withdrawing the consent must still end the
    partner's access to its packet."""
    from intake.services import case_close
    from referrals.services import referral_accept

    counsellor, coordinator = world.users["counsellor"], world.users["coordinator"]
    case = make_case(counsellor)
    consent = give_consent(case, counsellor, partner=world.partner_p)
    referral = send(draft_for(case, world.partner_p, coordinator), coordinator)
    referral_accept(actor=world.partner_p.user, referral=referral)
    case_close(actor=counsellor, case=case, reason="other")
    portal = world.client("partner")
    page = reverse("referrals:portal_referral", kwargs={"reference": referral.reference})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    assert portal.get(page).context["packet_open"] is True
    response = world.client("counsellor").post(reverse(
        "intake:consent_withdraw", kwargs={"number": case.number, "pk": consent.pk}))
    assert response.status_code == 302
    assert portal.get(page).context["packet_open"] is False
