"""The screening API for staff: facts in, assessment out. Neither is logged nor stored."""

import json

from django.http import JsonResponse
from django.views.decorators.http import require_http_methods

from eligibility.engine import InvalidFacts, screen
from northstar.accounts.models import Role
from northstar.accounts.permissions import access, roles

SCREENING_API = roles(Role.COUNSELLOR, Role.COORDINATOR, api=True)


@access(SCREENING_API)
@require_http_methods(["POST"])
def screen_api(request):
    """POST /api/eligibility/screen/ with the facts as JSON → 200 and the assessment, or 400
    with ``{"errors": [{"path", "message"}]}`` (the same messages as ``manage.py screen``),
    also for a body that is not ``application/json`` (a form body has been read as a form by
    then, and is not facts anyway)."""
    if request.content_type != "application/json":
        return JsonResponse({"errors": [{"path": "", "message": "send the facts as JSON "
                                         "(Content-Type: application/json)"}]}, status=400)
    try:
        facts = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        return JsonResponse({"errors": [{"path": "", "message": f"malformed JSON: {error}"}]},
                            status=400)
    except RecursionError:
        return JsonResponse({"errors": [{"path": "", "message": "malformed JSON: nested too "
                                         "deeply"}]}, status=400)
    try:
        return JsonResponse(screen(facts))
    except InvalidFacts as error:
        return JsonResponse({"errors": error.errors}, status=400)
