"""Navigation entries for the signed-in user's roles (templates/partials/_nav.html)."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from northstar.accounts.mfa import session_is_mfa_verified
from northstar.accounts.models import Role

NAVIGATION = [
    # (url name, label, roles that see it)
    ("home", _("Home"), None),
    ("intake:case_list", _("Cases"), {Role.COUNSELLOR, Role.COORDINATOR}),
    ("referrals:dashboard", _("Referrals"), {Role.COUNSELLOR, Role.COORDINATOR}),
    ("referrals:portal_queue", _("Referrals"), {Role.PARTNER}),
    ("directory:partner_list", _("Partner directory"),
     {Role.COUNSELLOR, Role.COORDINATOR, Role.ADMIN}),
    ("directory:own_services", _("Our services"), {Role.PARTNER}),
    ("intake:erasure_list", _("Erasure requests"), {Role.ADMIN}),
    ("accounts:user_list", _("Users"), {Role.ADMIN}),
    ("audit:log", _("Audit log"), {Role.ADMIN}),
    ("stats:dashboard", _("Statistics"), {Role.ADMIN}),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not session_is_mfa_verified(request):
        return {"nav_items": []}
    items = []
    for name, label, allowed in NAVIGATION:
        if allowed is not None and not any(user.has_role(role) for role in allowed):
            continue
        try:
            items.append({"url": reverse(name), "label": label,
                          "active": request.resolver_match
                          and request.resolver_match.view_name == name})
        except NoReverseMatch:
            continue
    return {"nav_items": items}
