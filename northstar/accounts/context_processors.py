"""Navigation entries and keyboard shortcuts for the signed-in user's roles
(templates/partials/_nav.html, _shortcuts.html), and the session's time left (_session.html)."""

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from northstar.accounts.mfa import session_is_mfa_verified
from northstar.accounts.models import Role
from northstar.accounts.session_timeout import absolute_seconds_left, idle_seconds

NAVIGATION = [
    # (url name, label, roles that see it)
    ("home", _("Home"), None),
    ("intake:case_list", _("Cases"), {Role.COUNSELLOR, Role.COORDINATOR}),
    ("intake:triage_list", _("Help requests"), {Role.COUNSELLOR}),
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

CASE_WORK = {Role.COUNSELLOR, Role.COORDINATOR}
SHORTCUTS = [
    # (keys pressed one after the other, url name or None, what it does, action, roles)
    ("g h", "home", _("Go to the home page"), "go", None),
    ("g c", "intake:case_list", _("Go to the case list"), "go", CASE_WORK),
    ("g r", "referrals:dashboard", _("Go to the referrals"), "go", CASE_WORK),
    ("g r", "referrals:portal_queue", _("Go to the referrals"), "go", {Role.PARTNER}),
    ("n", "intake:case_new", _("Start a new intake"), "go", {Role.COUNSELLOR}),
    ("/", "intake:case_search", _("Search for a case"), "search", CASE_WORK),
    ("g u", "accounts:user_list", _("Go to the users"), "go", {Role.ADMIN}),
    ("g a", "audit:log", _("Go to the audit log"), "go", {Role.ADMIN}),
    ("g s", "stats:dashboard", _("Go to the statistics"), "go", {Role.ADMIN}),
    ("?", None, _("Show this list of shortcuts"), "help", None),
]


def holds_any(user, allowed) -> bool:
    return allowed is None or any(user.has_role(role) for role in allowed)


def shortcuts_for(user) -> list[dict]:
    """The shortcuts this user's roles can use (each key of a sequence is pressed alone)."""
    items = []
    for keys, name, label, action, allowed in SHORTCUTS:
        if not holds_any(user, allowed):
            continue
        try:
            url = reverse(name) if name else ""
        except NoReverseMatch:
            continue
        items.append({"keys": keys, "key_list": keys.split(), "url": url, "label": label,
                      "action": action})
    return items


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not session_is_mfa_verified(request):
        return {"nav_items": [], "shortcuts": []}
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
    return {"nav_items": items, "shortcuts": shortcuts_for(user)}


def session_timeout(request):
    """How long the signed-in session has left and when to warn (read by static/js/session.js
    from data attributes, so tests can shorten them through settings)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not session_is_mfa_verified(request):
        return {}
    return {"session_timeout": {"idle_seconds": idle_seconds(request),
                                "absolute_seconds_left": absolute_seconds_left(request),
                                "warning_seconds": settings.SESSION_WARNING_SECONDS}}
