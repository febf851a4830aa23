"""Acceptance 1: the whole referral lifecycle over HTTP for each role, and every forbidden
transition for every role refused with nothing changed."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from intake.models import CaseEvent, CaseStatus
from northstar.audit.models import AuditEvent
from referrals import services
from referrals.models import OutboxMessage, Referral, ReferralEvent, ReferralMessage
from referrals.models import ReferralStatus as S
from referrals.transitions import TRANSITIONS
from tests.factories import UserFactory
from tests.helpers import sign_in
from tests.referrals.referral_helpers import (
    draft_for,
    give_consent,
    make_case,
    make_partner,
    make_world,
    walk_to,
)

pytestmark = pytest.mark.django_db
READS = ("referral.viewed", "referral.packet_opened", "referral.packet_previewed")


def client_for(user) -> Client:
    return sign_in(Client(), user)


def fingerprint_on(page) -> str:
    return re.search(r'name="fingerprint" value="([0-9a-f]+)"', page.content.decode()).group(1)


def actions_audited(referral) -> list[str]:
    return list(AuditEvent.objects.filter(object_type="referrals.referral",
                                          object_id=str(referral.pk))
                .exclude(action__in=READS).order_by("id").values_list("action", flat=True))


def test_coordinator_and_partner_walk_the_whole_lifecycle(django_capture_on_commit_callbacks):
    world = make_world()
    coordinator, partner = client_for(world.coordinator), client_for(world.partner.user)
    case_page = coordinator.get(f"/cases/{world.case.number}/")
    assert 'id="referrals"' in case_page.content.decode()
    assert f"/cases/{world.case.number}/referrals/new/" in case_page.content.decode()

    # Suggestions for the case's needs, then a draft for the chosen service.
    page = coordinator.get(f"/cases/{world.case.number}/referrals/new/",
                           {"needs": ["shelter"], "province": "QC"})
    assert page.status_code == 200
    assert f'data-suggestion="{world.partner.service.pk}"' in page.content.decode()
    response = coordinator.post(f"/cases/{world.case.number}/referrals/new/",
                                {"service": world.partner.service.pk})
    referral = Referral.objects.get()
    assert response["Location"] == f"/referrals/{referral.reference}/"
    assert (referral.status, referral.partner, referral.service_type) == (
        S.DRAFT, world.partner.organisation, "shelter")
    assert referral.packet_fields == ["first_name", "household_size", "languages", "urgency",
                                      "arrival_date", "contact_method"]

    # Add one optional field, preview, send.
    response = coordinator.post(f"/referrals/{referral.reference}/fields/",
                                {"fields": ["alias"], "coordinator_note": "Arrives by bus."})
    assert response.status_code == 302
    detail = coordinator.get(f"/referrals/{referral.reference}/")
    assert 'data-packet-field="alias"' in detail.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(f"/referrals/{referral.reference}/send/",
                                    {"fingerprint": fingerprint_on(detail)})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == S.SENT and referral.sent_at is not None
    assert dict(referral.packet["fields"])["alias"] == ["Mari T."]
    assert referral.consent.partner == world.partner.organisation
    assert (referral.stat_province, referral.stat_age_band, referral.stat_nationality) == (
        "QC", world.case.stat_age_band, "HN")
    world.case.refresh_from_db()
    assert world.case.status == CaseStatus.REFERRED

    # The partner's queue, the packet (audited as a read), accept, start, update, complete.
    queue = partner.get("/portal/")
    assert f'data-referral="{referral.reference}"' in queue.content.decode()
    packet = partner.get(f"/portal/referrals/{referral.reference}/")
    assert 'data-packet-value="alias"' in packet.content.decode()
    assert AuditEvent.objects.filter(action="referral.packet_opened",
                                     actor_id=world.partner.user.pk).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert partner.post(f"/portal/referrals/{referral.reference}/accept/",
                            {"accept-note": "We have a bed."}).status_code == 302
    assert "Accepted" in coordinator.get(f"/referrals/{referral.reference}/").content.decode()
    assert partner.post(f"/portal/referrals/{referral.reference}/start/").status_code == 302
    assert partner.post(f"/portal/referrals/{referral.reference}/messages/",
                        {"body": "Checked in.", "is_progress_update": "on"}).status_code == 302
    assert coordinator.post(f"/referrals/{referral.reference}/messages/",
                            {"body": "Thank you."}).status_code == 302
    thread = coordinator.get(f"/referrals/{referral.reference}/").content.decode()
    assert "Checked in." in thread and "Progress update" in thread
    assert partner.post(f"/portal/referrals/{referral.reference}/complete/",
                        {"complete-note": "Housed."}).status_code == 302
    referral.refresh_from_db()
    assert referral.status == S.COMPLETED
    assert referral.answer_note == "Housed."
    assert None not in (referral.answered_at, referral.completed_at, referral.closed_at)
    closed = partner.get("/portal/?queue=closed").content.decode()
    assert f'data-referral="{referral.reference}"' in closed
    # Closed: the partner no longer sees the packet.
    assert "data-packet-field" not in partner.get(
        f"/portal/referrals/{referral.reference}/").content.decode()

    assert list(ReferralEvent.objects.filter(referral=referral, kind="transition")
                .values_list("from_status", "to_status")) == [
        (S.DRAFT, S.SENT), (S.SENT, S.ACCEPTED), (S.ACCEPTED, S.IN_PROGRESS),
        (S.IN_PROGRESS, S.COMPLETED)]
    assert actions_audited(referral) == [
        "referral.created", "referral.fields_changed", "referral.sent", "referral.accepted",
        "referral.in_progress", "referral.message_posted", "referral.message_posted",
        "referral.completed"]
    assert list(CaseEvent.objects.filter(case=world.case, kind="referral").order_by("id")
                .values_list("details__status", flat=True)) == [
        "draft", "sent", "accepted", "in_progress", "completed"]
    messages = list(ReferralMessage.objects.filter(referral=referral).order_by("id"))
    assert [(m.author, m.is_progress_update) for m in messages] == [
        (world.partner.user, True), (world.coordinator, False)]
    assert sorted(OutboxMessage.objects.values_list("idempotency_key", flat=True)) == sorted([
        f"{referral.reference}.sent.partner", f"{referral.reference}.accepted.network",
        f"{referral.reference}.message.{messages[0].pk}.network",
        f"{referral.reference}.message.{messages[1].pk}.partner",
        f"{referral.reference}.completed.network"])


def test_counsellor_sends_for_their_case_and_withdraws(django_capture_on_commit_callbacks):
    world = make_world()
    counsellor, partner = client_for(world.counsellor), client_for(world.partner.user)
    counsellor.post(f"/cases/{world.case.number}/referrals/new/",
                    {"service": world.partner.service.pk})
    referral = Referral.objects.get()
    detail = counsellor.get(f"/referrals/{referral.reference}/")
    assert counsellor.post(f"/referrals/{referral.reference}/send/",
                           {"fingerprint": fingerprint_on(detail)}).status_code == 302
    assert 'data-packet-field="first_name"' in partner.get(
        f"/portal/referrals/{referral.reference}/").content.decode()
    assert counsellor.post(f"/referrals/{referral.reference}/withdraw/").status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.closed_at is not None) == (S.WITHDRAWN, True)
    page = partner.get(f"/portal/referrals/{referral.reference}/").content.decode()
    assert "data-packet-field" not in page and "Marisol" not in page
    assert OutboxMessage.objects.filter(kind="withdrawn",
                                        recipient_organisation=world.partner.organisation,
                                        referral=referral).count() == 1
    world.case.refresh_from_db()
    assert world.case.status == CaseStatus.OPEN  # needs a handoff again


def test_decline_needs_a_reason_then_shows_for_re_routing():
    world = make_world()
    referral = walk_to(draft_for(world.case, world.partner, world.coordinator), S.SENT,
                       coordinator=world.coordinator, partner=world.partner.user)
    partner = client_for(world.partner.user)
    refused = partner.post(f"/portal/referrals/{referral.reference}/decline/", {"reason": ""})
    assert refused.status_code == 400
    assert Referral.objects.get(pk=referral.pk).status == S.SENT
    response = partner.post(f"/portal/referrals/{referral.reference}/decline/",
                            {"reason": "no_capacity", "note": "Full until March."})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.decline_reason, referral.answer_note) == (
        S.DECLINED, "no_capacity", "Full until March.")
    dashboard = client_for(world.coordinator).get("/referrals/").content.decode()
    reroute = dashboard[dashboard.index('data-section="reroute"'):]
    assert f'data-referral="{referral.reference}"' in reroute[:reroute.index("</table>")]
    handoff = dashboard[dashboard.index('data-section="handoff"'):]
    assert f'data-case="{world.case.number}"' in handoff[:handoff.index("</table>")]


def test_hand_back_needs_a_note():
    world = make_world()
    referral = walk_to(draft_for(world.case, world.partner, world.coordinator), S.IN_PROGRESS,
                       coordinator=world.coordinator, partner=world.partner.user)
    partner = client_for(world.partner.user)
    url = f"/portal/referrals/{referral.reference}/hand-back/"
    assert partner.post(url, {"hand_back-note": "  "}).status_code == 400
    assert Referral.objects.get(pk=referral.pk).status == S.IN_PROGRESS
    assert partner.post(url, {"hand_back-note": "Client moved to Ontario."}).status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.answer_note) == (S.HANDED_BACK,
                                                       "Client moved to Ontario.")


def case_urls(number: str) -> list[str]:
    """Every URL pattern under /cases/, filled in for one case."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    routes = [route for route in walk(get_resolver().url_patterns)
              if route.startswith("cases/")]
    filled = [re.sub(r"<int:\w+>", "1", re.sub(r"<slug:\w+>", "identity",
                                                 route.replace("<str:number>", number)))
              for route in routes]
    assert all("<" not in url for url in filled), filled
    return ["/" + url for url in filled]


def test_partner_users_reach_no_case_url_and_admins_no_referral():
    world = make_world()
    referral = walk_to(draft_for(world.case, world.partner, world.coordinator), S.SENT,
                       coordinator=world.coordinator, partner=world.partner.user)
    partner, admin = client_for(world.partner.user), client_for(UserFactory(admin=True))
    urls = case_urls(world.case.number) + case_urls("NS-ZZZZ-ZZZZ")
    assert len(urls) > 20
    for url in urls:
        for response in (partner.get(url), partner.post(url, {})):
            # Refused by the policy before the view runs: the same answer for a case that
            # exists and one that does not, and nothing of the case in it.
            assert response.status_code == 403, url
            assert world.case.number not in response.content.decode()
            assert "Marisol" not in response.content.decode()
    for url in ("/referrals/", f"/referrals/{referral.reference}/",
                f"/referrals/{referral.reference}/preview/", "/portal/",
                f"/portal/referrals/{referral.reference}/"):
        assert admin.get(url).status_code == 403, url
    for url in ("/referrals/", f"/referrals/{referral.reference}/"):
        assert partner.get(url).status_code == 403, url


# --- every forbidden transition, for every role ---------------------------------------------

CASE_SIDE_ACTIONS = {"send": S.SENT, "withdraw": S.WITHDRAWN, "discard": None}
PORTAL_ACTIONS = {"accept": S.ACCEPTED, "decline": S.DECLINED, "start": S.IN_PROGRESS,
                  "complete": S.COMPLETED, "hand_back": S.HANDED_BACK}
ROLES = ("coordinator", "counsellor", "other_counsellor", "partner", "other_partner", "admin")
TABLE_ROLE = {"coordinator": "coordinator", "counsellor": "counsellor",
              "other_counsellor": "counsellor", "partner": "partner",
              "other_partner": "partner", "admin": None}
POST_DATA = {"send": {"fingerprint": "0" * 64}, "decline": {"reason": "no_capacity"},
             "hand_back": {"hand_back-note": "Why"}, "complete": {}, "accept": {},
             "start": {}, "withdraw": {}, "discard": {}}


def url_of(action: str, reference: str) -> str:
    name = (f"referrals:referral_{action}" if action in CASE_SIDE_ACTIONS
            else f"referrals:portal_{action}")
    return reverse(name, kwargs={"reference": reference})


def is_allowed(role: str, action: str, status: str) -> bool:
    if role in ("other_counsellor", "other_partner", "admin"):
        return False
    if action == "discard":
        return status == S.DRAFT and role in ("coordinator", "counsellor")
    target = CASE_SIDE_ACTIONS.get(action) or PORTAL_ACTIONS[action]
    rule = TRANSITIONS.get((status, target))
    return rule is not None and TABLE_ROLE[role] in rule.roles


def expected_refusal(role: str, action: str, status: str) -> int:
    case_side = action in CASE_SIDE_ACTIONS
    if case_side and role not in ("coordinator", "counsellor", "other_counsellor"):
        return 403  # the view's policy
    if not case_side and role not in ("partner", "other_partner"):
        return 403
    if role in ("other_counsellor", "other_partner") or (role == "partner"
                                                         and status == S.DRAFT):
        return 404  # out of scope: existence not revealed
    return 409  # in scope, not from this status


def snapshot(referral: Referral) -> tuple:
    referral = Referral.objects.get(pk=referral.pk)
    return (
        referral.status, referral.sent_at, referral.answered_at, referral.completed_at,
        referral.closed_at, referral.decline_reason, referral.answer_note,
        referral.packet, referral.packet_revoked_at, list(referral.packet_fields),
        ReferralEvent.objects.filter(referral=referral).count(),
        OutboxMessage.objects.count(), ReferralMessage.objects.count(),
        CaseEvent.objects.filter(case=referral.case).count(),
        referral.case.status, actions_audited(referral))


@pytest.mark.parametrize("status", [s.value for s in S])
def test_every_forbidden_transition_is_refused_with_nothing_changed(status):
    world = make_world()
    referral = walk_to(draft_for(world.case, world.partner, world.coordinator), status,
                       coordinator=world.coordinator, partner=world.partner.user)
    users = {"coordinator": world.coordinator, "counsellor": world.counsellor,
             "other_counsellor": UserFactory(counsellor=True),
             "partner": world.partner.user, "other_partner": world.other_partner.user,
             "admin": UserFactory(admin=True)}
    before = snapshot(referral)
    tried = 0
    for role in ROLES:
        client = client_for(users[role])
        for action in (*CASE_SIDE_ACTIONS, *PORTAL_ACTIONS):
            if is_allowed(role, action, status):
                continue
            response = client.post(url_of(action, referral.reference), POST_DATA[action])
            assert response.status_code == expected_refusal(role, action, status), (
                role, action, status)
            assert snapshot(referral) == before, (role, action, status)
            tried += 1
        # The system-only change (expiry) is refused to every person.
        with pytest.raises((PermissionDenied, services.ReferralRefused)):
            services.referral_transition(actor=users[role], referral=referral, to=S.EXPIRED)
        assert snapshot(referral) == before
    assert tried >= 30


# --- suggestions, dashboard, end of life ----------------------------------------------------

def test_suggestions_rank_with_the_acceptance_history_of_past_referrals():
    world = make_world()
    history = [(S.COMPLETED, True), (S.WITHDRAWN, True), (S.DECLINED, True), (S.EXPIRED, False),
               (S.SENT, False)]
    Referral.objects.bulk_create(
        Referral(case=world.case, partner=world.partner.organisation,
                 service_type="shelter", status=status, created_by=world.coordinator,
                 sent_at=timezone.now(), answered_at=timezone.now() if answered else None)
        for status, answered in history)
    from referrals.selectors import acceptance_history

    histories = acceptance_history([world.partner.organisation.pk,
                                    world.other_partner.organisation.pk])
    assert (histories[world.partner.organisation.pk].accepted,
            histories[world.partner.organisation.pk].answered) == (2, 3)
    assert world.other_partner.organisation.pk not in histories
    page = client_for(world.coordinator).get(f"/cases/{world.case.number}/referrals/new/",
                                             {"needs": ["shelter"]}).content.decode()
    assert "Accepted 2 of 3 referrals" in page
    assert AuditEvent.objects.filter(action="case.viewed", object_id=str(world.case.pk),
                                     details__page="referrals:new").count() == 1


def test_the_dashboard_costs_the_same_for_few_or_many_referrals():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (2, 12):
        world = make_world()
        for _ in range(size):
            case = make_case(world.counsellor)
            give_consent(case, world.counsellor, partner=world.partner)
            walk_to(draft_for(case, world.partner, world.coordinator), S.SENT,
                    coordinator=world.coordinator, partner=world.partner.user)
        client = client_for(world.coordinator)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/referrals/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_purged_case_keeps_only_the_statistics_of_its_referrals(
        django_capture_on_commit_callbacks):
    from intake.lifecycle import case_purge

    world = make_world()
    open_one = walk_to(draft_for(world.case, world.partner, world.coordinator), S.ACCEPTED,
                       coordinator=world.coordinator, partner=world.partner.user)
    services.referral_message_post(actor=world.partner.user, referral=open_one,
                                   body="Room 4 is ready.")
    draft = draft_for(world.case, world.other_partner, world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        case_purge(case=world.case, reason="erasure_request", actor=world.coordinator)
    assert not Referral.objects.filter(pk=draft.pk).exists()
    open_one.refresh_from_db()
    assert (open_one.status, open_one.packet, open_one.coordinator_note) == (
        S.WITHDRAWN, None, "")
    assert open_one.messages.count() == 0
    assert (open_one.stat_province, open_one.stat_nationality, open_one.service_type) == (
        "QC", "HN", "shelter")
    assert OutboxMessage.objects.get(referral=open_one, kind="withdrawn").delivered_at
    portal = client_for(world.partner.user)
    assert portal.get(f"/portal/referrals/{open_one.reference}/").status_code == 404
    assert client_for(world.coordinator).get(
        f"/referrals/{open_one.reference}/").status_code == 404


def test_closing_a_case_withdraws_the_referrals_still_waiting_for_an_answer(
        django_capture_on_commit_callbacks):
    from intake.services import case_close

    world = make_world()
    third = make_partner("shelter")
    give_consent(world.case, world.counsellor, partner=third)
    waiting = walk_to(draft_for(world.case, world.partner, world.coordinator), S.SENT,
                      coordinator=world.coordinator, partner=world.partner.user)
    working = walk_to(draft_for(world.case, world.other_partner, world.coordinator),
                      S.ACCEPTED, coordinator=world.coordinator,
                      partner=world.other_partner.user)
    draft = draft_for(world.case, third, world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        case_close(actor=world.counsellor, case=world.case, reason="no_contact")
    assert not Referral.objects.filter(pk=draft.pk).exists()
    waiting.refresh_from_db()
    working.refresh_from_db()
    assert (waiting.status, working.status) == (S.WITHDRAWN, S.ACCEPTED)
    event = waiting.events.get(to_status=S.WITHDRAWN)
    assert (event.actor, event.details["cause"]) == (world.counsellor, "case_closed")
    assert OutboxMessage.objects.get(referral=waiting, kind="withdrawn").delivered_at
    assert not OutboxMessage.objects.filter(referral=working, kind="withdrawn").exists()
    world.case.refresh_from_db()
    assert world.case.status == CaseStatus.CLOSED
