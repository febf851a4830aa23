"""Access-matrix rows for the public help form and the counsellors' triage queue (merged by
``access_matrix``).

The public pages answer everyone, signed in or not (an empty POST re-renders the form with
its errors). The triage pages are for counsellors only; a request is created fresh for each
URL so that converting it (302 to the new intake) works for the counsellor persona.
"""

from tests.security.matrix_base import Row

COUNSELLORS = frozenset({"counsellor"})


def new_help_request() -> dict:
    from intake.help_requests import help_request_submit

    help_request = help_request_submit(
        name="Matrix Visitor", contact_method="phone", contact_details="555-0100",
        preferred_language="es", message="Matrix row request.")
    return {"pk": help_request.pk}


ROWS: dict[str, Row] = {
    "intake:help_form": Row("public", get=200, post=200),
    "intake:help_form_language": Row("public", get=200, post=200,
                                     kwargs=lambda: {"lang": "ht"}),
    "intake:help_sent": Row("public", get=200, post=405),
    "intake:help_sent_language": Row("public", get=200, post=405,
                                     kwargs=lambda: {"lang": "es"}),
    "intake:triage_list": Row(COUNSELLORS),
    "intake:triage_detail": Row(COUNSELLORS, get=200, post=405, kwargs=new_help_request),
    "intake:triage_convert": Row(COUNSELLORS, get=405, post=302, kwargs=new_help_request),
    "intake:triage_dismiss": Row(COUNSELLORS, get=405, post=200, kwargs=new_help_request),
}
