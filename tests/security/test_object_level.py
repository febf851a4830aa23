"""Object-level access: every URL that names an object, tried by the people who use it for
their own objects, with objects that are not theirs. 0 succeed: 404 where the object is
outside the user's scope (its existence is not revealed), 403 where the role may not use the
URL at all, and nothing changes.

What "not theirs" means, by role (the ``*_visible_to`` querysets decide it):

* a counsellor: another counsellor's case (not created by nor assigned to them), its
  referrals, documents and consents; and a document or consent of another case under their own
  case's number;
* a coordinator sees every case, but not a purged one (nor its referrals), nor a document or
  consent of another case under a case's number;
* a partner user: another partner organisation's referrals and services, their own
  organisation's drafts (a draft never leaves the network), referrals of a purged case; and
  never a case, nor the network's referral pages;
* an admin: another admin's export; and never a case or a referral (no case role);
* counsellors triage every help request, admins decide every erasure request and manage every
  account: for those only the role is checked, so the attempts are other roles' (403).

Every pattern whose route takes an identifier (any keyword but those in ``NOT_IDENTIFIERS``)
must have a rule here: a new one fails ``test_every_object_url_has_a_rule``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from intake.models import CaseEvent, CaseStatus, Consent
from northstar.audit.services import seal_after_commit
from referrals.models import ReferralStatus
from tests.referrals.referral_helpers import draft_for, give_consent, make_case, send
from tests.security.access_matrix import MATRIX
from tests.security.snapshot import changes, rolled_back, snapshot
from tests.security.targets import admin_url, grouped, target_for
from tests.security.test_access_matrix import PATTERNS
from tests.security.world import (  # noqa: F401 (fixtures)
    World,
    keep_media_root,
    world_fixture,
)

NOT_IDENTIFIERS = {
    "step": "which intake step (a fixed list of slugs)",
    "lang": "a client language code (es, fr, ht)",
    "app_label": "an application of the Django admin",
}
ROUTE_KEYWORD = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>")
METHODS = ("GET", "POST")


def route_keywords(pattern, prefix: str) -> set[str]:
    found = ROUTE_KEYWORD.findall(prefix + str(pattern.pattern))
    return {path_name or regex_name for path_name, regex_name in found}


def identifier_patterns() -> dict[str, tuple]:
    return {name: (pattern, prefix) for name, pattern, prefix in PATTERNS
            if route_keywords(pattern, prefix) - set(NOT_IDENTIFIERS)}


@dataclass(frozen=True)
class Attempt:
    """``persona`` asks for ``kwargs`` (objects not theirs); ``refusal`` is 404 (out of scope)
    or 403 (the role may not use this URL); ``statuses`` pins the answer per method where a
    library page answers a bad link itself."""

    persona: str
    kwargs: Callable[[World], dict]
    refusal: int
    what: str
    statuses: dict[str, int] | None = None


def case_of(name: str, **more) -> Callable[[World], dict]:
    return lambda world: {"number": getattr(world, name).number, **more}


def case_and(case_name: str, object_name: str) -> Callable[[World], dict]:
    return lambda world: {"number": getattr(world, case_name).number,
                          "pk": getattr(world, object_name).pk}


def reference(name: str) -> Callable[[World], dict]:
    return lambda world: {"reference": getattr(world, name).reference}


def pk_of(getter: Callable[[World], object]) -> Callable[[World], dict]:
    return lambda world: {"pk": getter(world).pk}


def case_attempts(**more) -> list[Attempt]:
    return [
        Attempt("counsellor", case_of("case_b", **more), 404, "another counsellor's case"),
        Attempt("coordinator", case_of("purged_case", **more), 404, "a purged case"),
        Attempt("admin", case_of("case_a", **more), 403, "a case (admins hold no case role)"),
        Attempt("partner", case_of("case_a", **more), 403,
                "a case referred to their organisation (partners never see cases)"),
    ]


def coordinator_case_attempts() -> list[Attempt]:
    return [
        Attempt("coordinator", case_of("purged_case"), 404, "a purged case"),
        Attempt("counsellor", case_of("case_a"), 403, "their own case (a coordinator's act)"),
        Attempt("admin", case_of("case_a"), 403, "a case"),
        Attempt("partner", case_of("case_a"), 403, "a case"),
    ]


def case_object_attempts(own: str, others: str) -> list[Attempt]:
    """A document or consent (``own`` of case A, ``others`` of case B)."""
    return [
        Attempt("counsellor", case_and("case_b", others), 404, "another counsellor's case's"),
        Attempt("counsellor", case_and("case_a", others), 404,
                "another case's, under their own case's number"),
        Attempt("coordinator", case_and("case_a", others), 404,
                "another case's, under this case's number"),
        Attempt("admin", case_and("case_a", own), 403, "a case's"),
        Attempt("partner", case_and("case_a", own), 403, "a case's"),
    ]


def network_referral_attempts() -> list[Attempt]:
    return [
        Attempt("counsellor", reference("referral_b"), 404, "a referral of another's case"),
        Attempt("coordinator", reference("purged_referral"), 404, "a purged case's referral"),
        Attempt("partner", reference("referral_a"), 403,
                "their own organisation's referral, on the network's pages"),
        Attempt("admin", reference("referral_a"), 403, "a referral"),
    ]


def portal_attempts() -> list[Attempt]:
    return [
        Attempt("partner", reference("referral_b"), 404, "another organisation's referral"),
        Attempt("partner", reference("draft_a"), 404, "their organisation's draft"),
        Attempt("partner", reference("purged_referral"), 404, "a purged case's referral"),
        Attempt("other_partner", reference("referral_a"), 404,
                "another organisation's referral"),
        Attempt("coordinator", reference("referral_a"), 403, "the partner portal"),
        Attempt("counsellor", reference("referral_a"), 403, "the partner portal"),
        Attempt("admin", reference("referral_a"), 403, "the partner portal"),
    ]


def export_attempts() -> list[Attempt]:
    return [
        Attempt("admin", pk_of(lambda w: w.other_export_job), 404, "another admin's export"),
        Attempt("other_admin", pk_of(lambda w: w.export_job), 404, "another admin's export"),
        Attempt("coordinator", pk_of(lambda w: w.export_job), 403, "an export"),
        Attempt("partner", pk_of(lambda w: w.export_job), 403, "an export"),
    ]


def role_only(pk: Callable[[World], dict], users: str, *refused: str) -> list[Attempt]:
    return [Attempt(persona, pk, 403, f"an object only {users} handle")
            for persona in refused]


def help_request(world: World) -> dict:
    return {"pk": world.help_request.pk}


def user_pk(world: World) -> dict:
    return {"pk": world.users["other_counsellor"].pk}


def forged_reset_key(world: World) -> dict:
    """Another account's reset link: its id with a key made for the counsellor."""
    from allauth.account.forms import default_token_generator

    return {**world.extra["reset_kwargs"],
            "key": default_token_generator.make_token(world.users["counsellor"])}


def admin_site_attempts() -> list[Attempt]:
    return [Attempt("admin", lambda world: {}, 403,
                    "the Django admin (operators only; network admins are not operators)")]


CASE_PAGES = ("intake:case_detail", "intake:intake_resume", "intake:screening",
              "intake:note_add", "intake:close", "intake:reopen", "intake:consent_new",
              "intake:documents:upload", "referrals:referral_new")
NETWORK_REFERRAL_PAGES = ("referrals:referral_detail", "referrals:referral_fields",
                          "referrals:referral_preview", "referrals:referral_send",
                          "referrals:referral_withdraw", "referrals:referral_discard",
                          "referrals:referral_message")
PORTAL_PAGES = ("referrals:portal_referral", "referrals:portal_accept",
                "referrals:portal_decline", "referrals:portal_start",
                "referrals:portal_complete", "referrals:portal_hand_back",
                "referrals:portal_message")

RULES: dict[str, list[Attempt]] = {
    **{name: case_attempts() for name in CASE_PAGES},
    "intake:step": case_attempts(step="identity"),
    "intake:assign": coordinator_case_attempts(),
    "intake:erasure_request": coordinator_case_attempts(),
    "intake:documents:download": case_object_attempts("document_a", "document_b"),
    "intake:documents:remove": case_object_attempts("document_a", "document_b"),
    "intake:consent_withdraw": case_object_attempts("consent_a", "consent_b"),
    **{name: network_referral_attempts() for name in NETWORK_REFERRAL_PAGES},
    **{name: portal_attempts() for name in PORTAL_PAGES},
    "stats:export_job": export_attempts(),
    "stats:export_download": export_attempts(),
    "directory:service_capacity": [
        Attempt("partner", pk_of(lambda w: w.partner_q.service), 404,
                "another organisation's service"),
        Attempt("other_partner", pk_of(lambda w: w.second_service_p), 404,
                "another organisation's service"),
        Attempt("coordinator", pk_of(lambda w: w.partner_p.service), 403, "a service"),
        Attempt("counsellor", pk_of(lambda w: w.partner_p.service), 403, "a service"),
    ],
    "directory:partner_detail": [
        Attempt(persona, pk_of(lambda w: w.users["counsellor"].organisation), 404,
                "the network itself (not a partner in the directory)")
        for persona in ("counsellor", "coordinator", "admin")
    ] + [Attempt("partner", pk_of(lambda w: w.partner_p.organisation), 403,
                 "their own organisation's directory page (partners do not browse it)")],
    "intake:triage_detail": role_only(help_request, "counsellors", "coordinator", "admin",
                                      "partner"),
    "intake:triage_convert": role_only(help_request, "counsellors", "coordinator", "admin",
                                       "partner"),
    "intake:triage_dismiss": role_only(help_request, "counsellors", "coordinator", "admin",
                                       "partner"),
    "intake:erasure_decision": role_only(lambda w: {"pk": w.erasure_request_id}, "admins",
                                         "coordinator", "counsellor", "partner"),
    "accounts:user_edit": role_only(user_pk, "admins", "coordinator", "counsellor",
                                    "partner"),
    "accounts:user_set_active": role_only(user_pk, "admins", "coordinator", "counsellor",
                                          "partner"),
    "accounts:invitation_revoke": role_only(lambda w: {"pk": w.invitation.pk}, "admins",
                                            "coordinator", "counsellor", "partner"),
    # Bearer secrets: whoever holds the e-mailed link is its owner; a wrong one opens nothing.
    "accounts:invitation_open": [
        Attempt("anonymous", lambda w: {"token": w.extra["invitation_token"][::-1]}, 404,
                "a guessed invitation token")],
    "account_confirm_email": [
        Attempt("anonymous", lambda w: {"key": w.extra["confirmation_key"][:-2] + "xx"}, 404,
                "a forged confirmation key", statuses={"GET": 200, "POST": 404})],
    "account_reset_password_from_key": [
        Attempt("anonymous", forged_reset_key, 200,
                "another account's reset link with someone else's key",
                statuses={"GET": 200, "POST": 200}),
        Attempt("counsellor", forged_reset_key, 200,
                "another account's reset link, while signed in",
                statuses={"GET": 200, "POST": 200})],
}


def rule_for(view_name: str) -> list[Attempt] | None:
    if view_name.startswith("admin:"):
        return admin_site_attempts()
    return RULES.get(view_name)


def view_takes(view_name: str, method: str) -> bool:
    """Whether the view answers ``method`` at all (else 405 comes before any lookup)."""
    if view_name.startswith("admin:"):
        return True
    row = MATRIX[view_name]
    return (row.get if method == "GET" else row.post) != 405


def expected(view_name: str, attempt: Attempt, method: str) -> int:
    if attempt.statuses is not None:
        return attempt.statuses[method]
    if attempt.refusal == 403 or view_takes(view_name, method):
        return attempt.refusal
    return 405


def planned_attempts() -> int:
    """The figure of docs/SECURITY.md: requests with objects not the user's."""
    return sum(len(rule_for(name)) * len(METHODS) for name in identifier_patterns())


IDENTIFIER_PATTERNS = identifier_patterns()




def test_every_object_url_has_a_rule():
    missing = sorted(name for name in IDENTIFIER_PATTERNS if rule_for(name) is None)
    assert missing == [], f"URL patterns naming an object without an object-level rule: " \
                          f"{missing} (add them to tests/security/test_object_level.RULES)"


def test_no_rule_is_stale():
    assert sorted(set(RULES) - set(IDENTIFIER_PATTERNS)) == []


def url_of(view_name: str, world: World, attempt: Attempt) -> str:
    if view_name.startswith("admin:"):
        pattern, prefix = IDENTIFIER_PATTERNS[view_name]
        return admin_url(view_name, pattern, prefix, world)
    return reverse(view_name, kwargs=attempt.kwargs(world))


def successes(view_name: str, world: World, capture) -> tuple[list[str], int]:
    """Every attempt of ``view_name``'s rule that did not get its refusal, and how many
    requests were sent."""
    target = None if view_name.startswith("admin:") else target_for(view_name)
    before = snapshot()
    failures, tried = [], 0
    with capture() as queued:
        for attempt in rule_for(view_name):
            url = url_of(view_name, world, attempt)
            for method in METHODS:
                client = world.client(attempt.persona)
                if method == "GET":
                    response = client.get(url)
                elif target is not None:
                    response = target.post(client, url, world)  # the form's own data
                else:
                    response = client.post(url, {})
                tried += 1
                if response.status_code != expected(view_name, attempt, method):
                    failures.append(f"{attempt.persona} {method} {url} ({attempt.what}): "
                                    f"{response.status_code}, expected "
                                    f"{expected(view_name, attempt, method)}")
    failures += [f"{view_name}: {change} changed" for change in changes(before, snapshot())]
    if [task for task in queued if task is not seal_after_commit]:
        failures.append(f"{view_name}: work queued to run after commit")
    return failures, tried


GROUPS = grouped([(name, *IDENTIFIER_PATTERNS[name]) for name in sorted(IDENTIFIER_PATTERNS)])


@pytest.mark.django_db
@pytest.mark.parametrize("group", sorted(GROUPS))
def test_objects_of_others_are_refused(group, world, django_capture_on_commit_callbacks):
    failures, tried = [], 0
    for view_name, _pattern, _prefix in GROUPS[group]:
        with rolled_back():
            found, sent = successes(view_name, world, django_capture_on_commit_callbacks)
        failures, tried = failures + found, tried + sent
    assert failures == []
    assert tried == sum(len(rule_for(name)) * len(METHODS) for name, _, _ in GROUPS[group])


@pytest.mark.django_db
def test_lists_and_search_show_nothing_of_others(world):
    """The pages that list or look up objects by identifier stay within the same scope."""
    other_case, other_referral = world.case_b.number, world.referral_b.reference
    counsellor = world.client("counsellor")
    search = counsellor.post(reverse("intake:case_search"), {"case_number": other_case})
    assert search.status_code == 200 and search.context["results"] == []
    for name in ("intake:case_list", "referrals:dashboard", "home"):
        page = counsellor.get(reverse(name))
        assert page.status_code == 200
        assert other_case not in page.content.decode()
        assert other_referral not in page.content.decode()
    for queue in ("new", "accepted", "in_progress", "closed"):
        page = world.client("partner").get(reverse("referrals:portal_queue"), {"queue": queue})
        assert page.status_code == 200
        assert other_referral not in page.content.decode()
        assert world.draft_a.reference not in page.content.decode()


@pytest.mark.django_db
def test_whoever_requested_an_erasure_cannot_confirm_it(world):
    """Four eyes: a coordinator who is also an admin may not decide their own request; the
    case keeps its data."""
    from intake.lifecycle import erasure_request_create
    from intake.models import ErasureRequest
    from tests.factories import UserFactory
    from tests.helpers import sign_in

    both = UserFactory(coordinator=True, admin=True)
    request = erasure_request_create(actor=both, case=world.case_a, reason="Asked")
    client = sign_in(world.client("anonymous"), both)
    before = snapshot()
    response = client.post(reverse("intake:erasure_decision", kwargs={"pk": request.pk}),
                           {"decision": "approve"})
    assert response.status_code == 302
    assert changes(before, snapshot()) == []
    request.refresh_from_db()
    assert (request.decided_at, request.approved) == (None, None)
    assert ErasureRequest.objects.get(pk=request.pk).case.purged_at is None


# --- Two views that do not ask ``can_edit_case``, and why that is right (their docstrings say
# so too): closing an already closed case changes nothing, and consent can be withdrawn on a
# closed case. A purged case is 404 for both.

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


@pytest.mark.django_db
def test_nobody_adds_an_address_to_their_account(world):
    """A session (perhaps someone else's, left open) cannot add an address to the account:
    a password reset for that address would then reach whoever added it."""
    from allauth.account.models import EmailAddress
    from django.core import mail

    counsellor = world.users["counsellor"]
    response = world.client("counsellor").post(
        "/accounts/email/", {"email": "someone@elsewhere.example", "action_add": ""})
    assert response.status_code == 403
    assert list(EmailAddress.objects.filter(user=counsellor).values_list("email", flat=True)) \
        == [counsellor.email]
    mail.outbox.clear()
    world.client("anonymous").post("/accounts/password/reset/",
                                   {"email": "someone@elsewhere.example"})
    # The only mail is allauth's "no such account" notice (so that resets do not reveal
    # which addresses have accounts), without a reset link.
    assert [message.to for message in mail.outbox] == [["someone@elsewhere.example"]]
    assert "/accounts/password/reset/key/" not in mail.outbox[0].body
