"""For every URL pattern: who uses it legitimately, and with which real objects of the shared
``World`` (``tests/security/world.py``). The CSRF, GET-safety and mass-assignment tests call
each URL through this table; a pattern without an entry fails them (``target_for``).

Django admin patterns (operators only) need no entry: the superuser uses them, and an
``object_id`` is the first row of the page's model.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import URLPattern, reverse

from tests.helpers import DEFAULT_PASSWORD
from tests.security.world import World


def no_data(world: World, client) -> dict:
    return {}


@dataclass(frozen=True)
class Target:
    """``persona`` uses the URL with ``kwargs``; ``prepare(client, world)`` first takes the
    steps that lead there (the invitation form needs the link opened first); ``data(world,
    client)`` is what the page's own form sends (POST URLs), ``json`` when it is a JSON body."""

    persona: str
    kwargs: Callable[[World], dict] = lambda world: {}
    prepare: Callable | None = None
    data: Callable[[World, object], dict] = no_data
    json: bool = False

    def client(self, world: World, **options):
        client = world.client(self.persona, **options)
        if self.prepare is not None:
            self.prepare(client, world)
        return client


    def post(self, client, url: str, world: World, data: dict | None = None):
        data = self.data(world, client) if data is None else data
        if self.json:
            return client.post(url, json.dumps(data), content_type="application/json")
        return client.post(url, data)


def open_invitation(client, world: World) -> None:
    token = world.extra["invitation_token"]
    assert client.get(reverse("accounts:invitation_open", kwargs={"token": token})) \
        .status_code == 302


def open_reset_link(client, world: World) -> None:
    """The e-mailed link: allauth keeps the key in the session and sends the browser on to
    the form at ``.../set-password/``."""
    real = world.extra["reset_kwargs"]
    assert client.get(reverse("account_reset_password_from_key", kwargs=real)) \
        .status_code == 302


def open_totp_setup(client, world: World) -> None:
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


def totp_setup_code(world: World, client) -> dict:
    from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY

    from northstar.accounts.totp import totp_code

    return {"code": totp_code(client.session[SECRET_SESSION_KEY])}


def data(**values) -> Callable[[World, object], dict]:
    """Form data; a callable value is called with the world."""
    return lambda world, client: {name: value(world) if callable(value) else value
                                  for name, value in values.items()}


def step_data(world: World, client) -> dict:
    from tests.intake.intake_helpers import COMPLETE_CASE, step_post

    values, none = COMPLETE_CASE["identity"]
    return step_post("identity", values, none, save=True)


def document_data(world: World, client) -> dict:
    from tests.intake.document_helpers import make_pdf, upload

    return {"kind": "identity", "file": upload("new.pdf", make_pdf(), "application/pdf")}


def send_data(world: World, client) -> dict:
    from referrals.selectors import draft_preview

    return {"fingerprint": draft_preview(world.draft_a)["fingerprint"]}


def quarter_data(world: World, client) -> dict:
    from stats.periods import Period

    period = Period.default()
    return {"from_quarter": period.first, "to_quarter": period.last, "format": "csv"}


def today(world: World) -> str:
    from django.utils import timezone

    return timezone.localdate().isoformat()


def screening_facts(world: World, client) -> dict:
    from pathlib import Path

    example = Path(__file__).parents[1] / "eligibility" / "examples" / \
        "honduran-pr-brother-land-port.facts.json"
    return json.loads(example.read_text())


NEW_PASSWORD = "Sturdy-fictional-passphrase-2026"
HELP_REQUEST = data(name="Fictional Visitor", contact_method="phone",
                    contact_details="555-0100", preferred_language="es",
                    message="I would like to talk to someone.", consent="on")


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
    "set_language": Target(COUNSELLOR, data=data(language="fr", next="/cases/")),
    "accounts:invitation_open": Target(PUBLIC, lambda w: {"token": w.extra["invitation_token"]}),
    "accounts:invitation_accept": Target(
        PUBLIC, prepare=open_invitation,
        data=data(full_name="Invited Person", password1=NEW_PASSWORD, password2=NEW_PASSWORD)),
    "accounts:session_keep_alive": Target(COUNSELLOR),
    "accounts:session_end": Target(COUNSELLOR, data=data(next="/cases/")),
    "accounts:user_list": Target(ADMIN),
    "accounts:user_edit": Target(ADMIN, pk("users.other_counsellor"),
                                 data=data(roles=["counsellor", "coordinator"])),
    "accounts:user_set_active": Target(ADMIN, pk("users.other_counsellor"),
                                       data=data(active="0")),
    "accounts:invitation_create": Target(ADMIN, data=data(
        email="new-person@staff.example", roles=["counsellor"],
        organisation=lambda w: w.users["counsellor"].organisation_id)),
    "accounts:invitation_revoke": Target(ADMIN, pk("invitation")),
    "audit:log": Target(ADMIN),
    # allauth
    "account_login": Target(PUBLIC, data=data(
        login=lambda w: w.users["other_counsellor"].email, password=DEFAULT_PASSWORD)),
    "account_logout": Target(COUNSELLOR),
    "account_signup": Target(PUBLIC, data=data(email="walk-in@staff.example",
                                                password1=NEW_PASSWORD)),
    "account_inactive": Target(PUBLIC),
    "account_reset_password": Target(PUBLIC, data=data(
        email=lambda w: w.users["other_counsellor"].email)),
    "account_reset_password_done": Target(PUBLIC),
    "account_reset_password_from_key": Target(
        PUBLIC, lambda w: {**w.extra["reset_kwargs"], "key": "set-password"},
        prepare=open_reset_link, data=data(password1=NEW_PASSWORD, password2=NEW_PASSWORD)),
    "account_reset_password_from_key_done": Target(PUBLIC),
    "account_change_password": Target(COUNSELLOR, data=data(
        oldpassword=DEFAULT_PASSWORD, password1=NEW_PASSWORD, password2=NEW_PASSWORD)),
    "account_set_password": Target(COUNSELLOR),
    "account_email": Target(COUNSELLOR, data=data(email="second-address@staff.example",
                                                action_add="")),
    "account_reauthenticate": Target(COUNSELLOR, data=data(password=DEFAULT_PASSWORD)),
    "account_email_verification_sent": Target(PUBLIC),
    "account_confirm_email": Target(PUBLIC, lambda w: {"key": w.extra["confirmation_key"]}),
    "account_confirm_login_code": Target(PUBLIC, data=data(code="ABCDEF")),
    "mfa_index": Target(COUNSELLOR),
    "mfa_authenticate": Target(PUBLIC),
    "mfa_reauthenticate": Target(COUNSELLOR),
    "mfa_activate_totp": Target(COUNSELLOR, prepare=open_totp_setup, data=totp_setup_code),
    "mfa_deactivate_totp": Target(COUNSELLOR),
    "mfa_view_recovery_codes": Target(COUNSELLOR),
    "mfa_generate_recovery_codes": Target(COUNSELLOR),
    "mfa_download_recovery_codes": Target(COUNSELLOR),
    # intake
    "intake:case_list": Target(COUNSELLOR),
    "intake:case_search": Target(COUNSELLOR,
                                 data=data(case_number=lambda w: w.case_a.number)),
    "intake:case_new": Target(COUNSELLOR, data=data(given_name="Fictional", family_name="Newcase",
                                                   date_of_birth="1990-02-03")),
    "intake:case_detail": Target(COUNSELLOR, case()),
    "intake:intake_resume": Target(COUNSELLOR, case()),
    "intake:step": Target(COUNSELLOR, lambda w: {"number": w.case_a.number, "step": "identity"},
                          data=step_data),
    "intake:screening": Target(COUNSELLOR, case()),
    "intake:note_add": Target(COUNSELLOR, case(), data=data(body="A new fictional note.")),
    "intake:close": Target(COUNSELLOR, case(), data=data(reason="other")),
    "intake:reopen": Target(COUNSELLOR, case("closed_case")),
    "intake:assign": Target(COORDINATOR, case(),
                            data=data(assignee=lambda w: w.users["other_counsellor"].pk)),
    "intake:erasure_request": Target(COORDINATOR, case(),
                                     data=data(reason="Asked by phone", confirm="on")),
    "intake:documents:upload": Target(COUNSELLOR, case(), data=document_data),
    "intake:documents:download": Target(
        COUNSELLOR, lambda w: {"number": w.case_a.number, "pk": w.document_a.pk}),
    "intake:documents:remove": Target(
        COUNSELLOR, lambda w: {"number": w.case_a.number, "pk": w.document_a.pk}),
    "intake:consent_new": Target(COUNSELLOR, case(), data=data(
        purpose="referral", partner=lambda w: w.partner_q.organisation.pk, method="verbal",
        given_by="client", given_on=today)),
    "intake:consent_withdraw": Target(
        COUNSELLOR, lambda w: {"number": w.case_a.number, "pk": w.consent_a.pk}),
    "intake:erasure_list": Target(ADMIN),
    "intake:erasure_decision": Target(ADMIN, pk("erasure_request_id"),
                                       data=data(decision="approve")),
    "intake:help_form": Target(PUBLIC, data=HELP_REQUEST),
    "intake:help_form_language": Target(PUBLIC, lambda w: {"lang": "es"}, data=HELP_REQUEST),
    "intake:help_sent": Target(PUBLIC),
    "intake:help_sent_language": Target(PUBLIC, lambda w: {"lang": "fr"}),
    "intake:triage_list": Target(COUNSELLOR),
    "intake:triage_detail": Target(COUNSELLOR, pk("help_request")),
    "intake:triage_convert": Target(COUNSELLOR, pk("help_request")),
    "intake:triage_dismiss": Target(COUNSELLOR, pk("help_request"),
                                     data=data(reason="spam")),
    # eligibility
    "eligibility:screen_api": Target(COUNSELLOR, json=True, data=screening_facts),
    # directory
    "directory:partner_list": Target(COORDINATOR),
    "directory:partner_detail": Target(COORDINATOR, pk("partner_p.organisation")),
    "directory:own_services": Target(PARTNER),
    "directory:service_capacity": Target(PARTNER, pk("partner_p.service"), data=data(
        capacity_available="3", capacity_maximum="10", accepting_referrals="on")),
    # referrals: the network's pages (drafts for the draft-only steps) and the portal
    "referrals:dashboard": Target(COORDINATOR),
    "referrals:referral_new": Target(COORDINATOR, case(),
                                     data=data(service=lambda w: w.partner_q.service.pk)),
    "referrals:referral_detail": Target(COORDINATOR, referral("draft_a")),
    "referrals:referral_fields": Target(COORDINATOR, referral("draft_a"),
                                         data=data(coordinator_note="Arrives on Monday.")),
    "referrals:referral_preview": Target(COORDINATOR, referral("draft_a")),
    "referrals:referral_send": Target(COORDINATOR, referral("draft_a"), data=send_data),
    "referrals:referral_withdraw": Target(COORDINATOR, referral("referral_a")),
    "referrals:referral_discard": Target(COORDINATOR, referral("draft_a")),
    "referrals:referral_message": Target(COORDINATOR, referral("referral_a"),
                                          data=data(body="Any news?")),
    "referrals:portal_queue": Target(PARTNER),
    "referrals:portal_referral": Target(PARTNER, referral("referral_a")),
    "referrals:portal_accept": Target(PARTNER, referral("referral_a"),
                                       data=data(**{"accept-note": "We can help."})),
    "referrals:portal_decline": Target(PARTNER, referral("referral_a"),
                                        data=data(reason="no_capacity", note="Full.")),
    "referrals:portal_start": Target(PARTNER, referral("accepted_a")),
    "referrals:portal_complete": Target(PARTNER, referral("started_a"),
                                         data=data(**{"complete-note": "Housed."})),
    "referrals:portal_hand_back": Target(PARTNER, referral("accepted_a"),
                                          data=data(**{"hand_back-note": "Out of area."})),
    "referrals:portal_message": Target(PARTNER, referral("referral_a"), data=data(
        body="First meeting done.", is_progress_update="on")),
    # stats
    "stats:dashboard": Target(ADMIN),
    "stats:exports": Target(ADMIN, data=quarter_data),
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


def group_of(view_name: str) -> str:
    """The tests walk URL patterns in groups (one test each, which costs far less than one
    test per pattern): by namespace, allauth's pages together, the rest as "site"."""
    if ":" in view_name:
        return view_name.split(":")[0]
    return "allauth" if view_name.startswith(("account_", "mfa_")) else "site"


def grouped(patterns) -> dict[str, list]:
    groups: dict[str, list] = {}
    for entry in patterns:
        groups.setdefault(group_of(entry[0]), []).append(entry)
    return groups


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
