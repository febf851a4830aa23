"""For every URL pattern: who uses it legitimately, and with which real objects of the shared
``World`` (``tests/security/world.py``). The CSRF, GET-safety and mass-assignment tests call
each URL through this table; a pattern without an entry fails them (``target_for``).

Django admin patterns (operators only) need no entry: the superuser uses them, and an
``object_id`` is the first row of the page's model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import URLPattern, reverse

from tests.security.world import World


@dataclass(frozen=True)
class Target:
    """``persona`` uses the URL with ``kwargs``; ``prepare(client, world)`` first takes the
    steps that lead there (the invitation form needs the link opened first)."""

    persona: str
    kwargs: Callable[[World], dict] = lambda world: {}
    prepare: Callable | None = None

    def client(self, world: World, **options):
        client = world.client(self.persona, **options)
        if self.prepare is not None:
            self.prepare(client, world)
        return client


def open_invitation(client, world: World) -> None:
    token = world.extra["invitation_token"]
    assert client.get(reverse("accounts:invitation_open", kwargs={"token": token})) \
        .status_code == 302


def case(name: str = "case_a") -> Callable[[World], dict]:
    return lambda world: {"number": getattr(world, name).number}


def referral(name: str) -> Callable[[World], dict]:
    return lambda world: {"reference": getattr(world, name).reference}


def pk(path: str) -> Callable[[World], dict]:
    """``path``: dotted attributes of the world, e.g. ``"users.other_counsellor"``."""

    def kwargs(world: World) -> dict:
        value = world
        for part in path.split("."):
            value = value[part] if isinstance(value, dict) else getattr(value, part)
        return {"pk": value if isinstance(value, int) else value.pk}

    return kwargs


COUNSELLOR, COORDINATOR, PARTNER, ADMIN = "counsellor", "coordinator", "partner", "admin"
PUBLIC = "anonymous"

TARGETS: dict[str, Target] = {
    "home": Target(COUNSELLOR),
    "healthz": Target(PUBLIC),
    "accessibility": Target(PUBLIC),
    "set_language": Target(COUNSELLOR),
    "accounts:invitation_open": Target(PUBLIC, lambda w: {"token": w.extra["invitation_token"]}),
    "accounts:invitation_accept": Target(PUBLIC, prepare=open_invitation),
    "accounts:session_keep_alive": Target(COUNSELLOR),
    "accounts:session_end": Target(COUNSELLOR),
    "accounts:user_list": Target(ADMIN),
    "accounts:user_edit": Target(ADMIN, pk("users.other_counsellor")),
    "accounts:user_set_active": Target(ADMIN, pk("users.other_counsellor")),
    "accounts:invitation_create": Target(ADMIN),
    "accounts:invitation_revoke": Target(ADMIN, pk("invitation")),
    "audit:log": Target(ADMIN),
    # allauth
    "account_login": Target(PUBLIC),
    "account_logout": Target(COUNSELLOR),
    "account_signup": Target(PUBLIC),
    "account_inactive": Target(PUBLIC),
    "account_reset_password": Target(PUBLIC),
    "account_reset_password_done": Target(PUBLIC),
    "account_reset_password_from_key": Target(PUBLIC, lambda w: w.extra["reset_kwargs"]),
    "account_reset_password_from_key_done": Target(PUBLIC),
    "account_change_password": Target(COUNSELLOR),
    "account_set_password": Target(COUNSELLOR),
    "account_email": Target(COUNSELLOR),
    "account_reauthenticate": Target(COUNSELLOR),
    "account_email_verification_sent": Target(PUBLIC),
    "account_confirm_email": Target(PUBLIC, lambda w: {"key": w.extra["confirmation_key"]}),
    "account_confirm_login_code": Target(PUBLIC),
    "mfa_index": Target(COUNSELLOR),
    "mfa_authenticate": Target(PUBLIC),
    "mfa_reauthenticate": Target(COUNSELLOR),
    "mfa_activate_totp": Target(COUNSELLOR),
    "mfa_deactivate_totp": Target(COUNSELLOR),
    "mfa_view_recovery_codes": Target(COUNSELLOR),
    "mfa_generate_recovery_codes": Target(COUNSELLOR),
    "mfa_download_recovery_codes": Target(COUNSELLOR),
    # intake
    "intake:case_list": Target(COUNSELLOR),
    "intake:case_search": Target(COUNSELLOR),
    "intake:case_new": Target(COUNSELLOR),
    "intake:case_detail": Target(COUNSELLOR, case()),
    "intake:intake_resume": Target(COUNSELLOR, case()),
    "intake:step": Target(COUNSELLOR, lambda w: {"number": w.case_a.number, "step": "identity"}),
    "intake:screening": Target(COUNSELLOR, case()),
    "intake:note_add": Target(COUNSELLOR, case()),
    "intake:close": Target(COUNSELLOR, case()),
    "intake:reopen": Target(COUNSELLOR, case("closed_case")),
    "intake:assign": Target(COORDINATOR, case()),
    "intake:erasure_request": Target(COORDINATOR, case()),
    "intake:documents:upload": Target(COUNSELLOR, case()),
    "intake:documents:download": Target(
        COUNSELLOR, lambda w: {"number": w.case_a.number, "pk": w.document_a.pk}),
    "intake:documents:remove": Target(
        COUNSELLOR, lambda w: {"number": w.case_a.number, "pk": w.document_a.pk}),
    "intake:consent_new": Target(COUNSELLOR, case()),
    "intake:consent_withdraw": Target(
        COUNSELLOR, lambda w: {"number": w.case_a.number, "pk": w.consent_a.pk}),
    "intake:erasure_list": Target(ADMIN),
    "intake:erasure_decision": Target(ADMIN, pk("erasure_request_id")),
    "intake:help_form": Target(PUBLIC),
    "intake:help_form_language": Target(PUBLIC, lambda w: {"lang": "es"}),
    "intake:help_sent": Target(PUBLIC),
    "intake:help_sent_language": Target(PUBLIC, lambda w: {"lang": "fr"}),
    "intake:triage_list": Target(COUNSELLOR),
    "intake:triage_detail": Target(COUNSELLOR, pk("help_request")),
    "intake:triage_convert": Target(COUNSELLOR, pk("help_request")),
    "intake:triage_dismiss": Target(COUNSELLOR, pk("help_request")),
    # eligibility
    "eligibility:screen_api": Target(COUNSELLOR),
    # directory
    "directory:partner_list": Target(COORDINATOR),
    "directory:partner_detail": Target(COORDINATOR, pk("partner_p.organisation")),
    "directory:own_services": Target(PARTNER),
    "directory:service_capacity": Target(PARTNER, pk("partner_p.service")),
    # referrals: the network's pages (drafts for the draft-only steps) and the portal
    "referrals:dashboard": Target(COORDINATOR),
    "referrals:referral_new": Target(COORDINATOR, case()),
    "referrals:referral_detail": Target(COORDINATOR, referral("draft_a")),
    "referrals:referral_fields": Target(COORDINATOR, referral("draft_a")),
    "referrals:referral_preview": Target(COORDINATOR, referral("draft_a")),
    "referrals:referral_send": Target(COORDINATOR, referral("draft_a")),
    "referrals:referral_withdraw": Target(COORDINATOR, referral("referral_a")),
    "referrals:referral_discard": Target(COORDINATOR, referral("draft_a")),
    "referrals:referral_message": Target(COORDINATOR, referral("referral_a")),
    "referrals:portal_queue": Target(PARTNER),
    "referrals:portal_referral": Target(PARTNER, referral("referral_a")),
    "referrals:portal_accept": Target(PARTNER, referral("referral_a")),
    "referrals:portal_decline": Target(PARTNER, referral("referral_a")),
    "referrals:portal_start": Target(PARTNER, referral("accepted_a")),
    "referrals:portal_complete": Target(PARTNER, referral("started_a")),
    "referrals:portal_hand_back": Target(PARTNER, referral("accepted_a")),
    "referrals:portal_message": Target(PARTNER, referral("referral_a")),
    # stats
    "stats:dashboard": Target(ADMIN),
    "stats:exports": Target(ADMIN),
    "stats:export_job": Target(ADMIN, pk("export_job")),
    "stats:export_download": Target(ADMIN, pk("export_job")),
}


def admin_kwargs(pattern: URLPattern, world: World) -> dict:
    from django.contrib.contenttypes.models import ContentType

    names = set(pattern.pattern.regex.groupindex)
    kwargs = {}
    model_admin = getattr(pattern.callback, "model_admin", None)
    if "object_id" in names:
        model = model_admin.model if model_admin else world.users["counsellor"].__class__
        kwargs["object_id"] = str(model._base_manager.order_by("pk").values_list(
            "pk", flat=True).first())
    if "content_type_id" in names:
        kwargs["content_type_id"] = str(ContentType.objects.get_for_model(
            world.users["counsellor"]).pk)
    if "app_label" in names:
        kwargs["app_label"] = "accounts"
    return kwargs


def admin_url(view_name: str, pattern: URLPattern, prefix: str, world: World) -> str:
    kwargs = admin_kwargs(pattern, world)
    if not view_name.startswith("admin:<unnamed"):
        return reverse(view_name, kwargs=kwargs)
    route = prefix + str(pattern.pattern)
    route = route.replace("<path:object_id>", kwargs.get("object_id", "1"))
    return "/" + route.replace("(?P<url>.*)$", "no-such-page/").replace("^", "")


def target_for(view_name: str) -> Target:
    if view_name.startswith("admin:"):
        return Target("superuser")
    target = TARGETS.get(view_name)
    assert target is not None, f"{view_name}: no entry in tests/security/targets.TARGETS"
    return target


def url_for(view_name: str, pattern: URLPattern, prefix: str, world: World) -> str:
    if view_name.startswith("admin:"):
        return admin_url(view_name, pattern, prefix, world)
    return reverse(view_name, kwargs=target_for(view_name).kwargs(world))
