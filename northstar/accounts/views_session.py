"""The session-expiry warning's two endpoints (static/js/session.js).

``session_keep_alive``: "Stay signed in". Any request pushes the idle deadline forward
(``SESSION_SAVE_EVERY_REQUEST``); this one answers, in JSON, how long the session now has (the
idle limit, and what is left of the absolute lifetime). A session that already ended gets 401
(JSON), never a login page to parse.

``session_end``: the browser reached the deadline with nobody at the keyboard. Sign out now
(the server would refuse the session moments later anyway) and go to the login page, which
comes back to the same page after signing in. Public: the session may already have ended on
the server (a sleeping laptop), and the person should still reach the login page and the
reason.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from northstar.accounts.permissions import PUBLIC, SIGNED_IN_API, access
from northstar.accounts.session_timeout import absolute_seconds_left, idle_seconds

IDLE_SIGN_OUT_CLEARS = '"cache", "storage"'


@access(SIGNED_IN_API)
@require_http_methods(["POST"])
def session_keep_alive(request):
    request.session.modified = True
    return JsonResponse({"idle_seconds": idle_seconds(request),
                         "absolute_seconds_left": absolute_seconds_left(request)})


@access(PUBLIC)
@require_http_methods(["POST"])
def session_end(request):
    if request.user.is_authenticated:
        logout(request)  # the session row is deleted and its cookie expired
    back_to = request.POST.get("next", "")
    if not back_to.startswith("/") or not url_has_allowed_host_and_scheme(
            back_to, allowed_hosts={request.get_host()},
            require_https=request.is_secure()):
        back_to = "/"
    messages.info(request, _("You were signed out because the session was idle. Sign in "
                             "again to continue."))
    response = redirect_to_login(back_to)
    # Like any sign-out, clear what the browser kept (``SecurityHeadersMiddleware`` would add
    # "cookies" too, which would also drop the message saying why the session ended).
    response["Clear-Site-Data"] = IDLE_SIGN_OUT_CLEARS
    return response
