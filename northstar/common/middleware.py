"""Request id: a random id per request, in logs, audit events and the ``X-Request-ID`` header;
and the session middleware, tolerant of an outage after the work is done."""

import logging
import uuid

from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware

from northstar.common.request_context import reset_request_id, set_request_id
from northstar.common.views import is_service_unavailable

logger = logging.getLogger(__name__)


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = uuid.uuid4().hex
        token = set_request_id(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            reset_request_id(token)
        response["X-Request-ID"] = request.request_id
        return response


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, except that a database outage while only *refreshing* the session (every
    request pushes the idle deadline forward) does not turn a finished action into an error.

    By then the view has committed: answering 503 would tell the user that what they just
    saved was not, and the retry the page asks for would add a second note. The response goes
    out as it is, without the refreshed cookie; the session keeps its previous deadline. A
    session the request *changed* (sign-in, sign-out, anything stored in it) is not
    swallowed: losing that change must show.
    """

    def process_response(self, request, response):
        try:
            return super().process_response(request, response)
        except Exception as error:
            # Django reports a failed save as SessionInterrupted (from UpdateError, from the
            # database error): look at the whole chain.
            session = getattr(request, "session", None)
            if not is_service_unavailable(error) or session is None or session.modified:
                raise
            logger.warning("session not refreshed (%s): the response stands",
                           type(error).__name__)
            return response
