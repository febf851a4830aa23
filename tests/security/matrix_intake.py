"""Access-matrix rows for the intake's URLs (merged by ``access_matrix``).

Case URLs are tried against a case created by another counsellor: the matrix's counsellor
persona must get 404 (out of scope, existence not revealed), the coordinator gets through.
"""

from tests.security.matrix_base import Row

CASE_WORKERS = frozenset({"counsellor", "coordinator"})
COORDINATORS = frozenset({"coordinator"})
COUNSELLORS = frozenset({"counsellor"})
ADMINS = frozenset({"admin"})


def other_counsellors_case() -> dict:
    from intake.services import case_create
    from tests.factories import UserFactory

    case = case_create(actor=UserFactory(counsellor=True), given_name="Matrix",
                       family_name="Person")
    return {"number": case.number}


def other_counsellors_step() -> dict:
    return {**other_counsellors_case(), "step": "identity"}


def erasure_request_kwargs() -> dict:
    from intake.lifecycle import erasure_request_create
    from intake.models import Case
    from tests.factories import UserFactory

    number = other_counsellors_case()["number"]
    request = erasure_request_create(actor=UserFactory(coordinator=True),
                                     case=Case.objects.get(number=number))
    return {"pk": request.pk}


def consent_kwargs() -> dict:
    import datetime

    from intake.consent import consent_record
    from intake.models import Case
    from tests.factories import OrganisationFactory, UserFactory

    number = other_counsellors_case()["number"]
    consent = consent_record(actor=UserFactory(counsellor=True),
                             case=Case.objects.get(number=number), purpose="referral",
                             method="verbal", given_by="client",
                             given_on=datetime.date(2026, 1, 1),
                             partner=OrganisationFactory())
    return {"number": number, "pk": consent.pk}


def out_of_scope(get: int | None = None, post: int | None = None) -> dict:
    overrides = {}
    if get is not None:
        overrides[("counsellor", "GET")] = get
    if post is not None:
        overrides[("counsellor", "POST")] = post
    return overrides


ROWS: dict[str, Row] = {
    "intake:case_list": Row(CASE_WORKERS),
    "intake:case_search": Row(CASE_WORKERS, get=200, post=200),
    "intake:case_new": Row(COUNSELLORS, get=200, post=200),
    "intake:case_detail": Row(CASE_WORKERS, kwargs=other_counsellors_case,
                              overrides=out_of_scope(get=404)),
    "intake:intake_resume": Row(CASE_WORKERS, get=302, kwargs=other_counsellors_case,
                                overrides=out_of_scope(get=404)),
    "intake:step": Row(CASE_WORKERS, get=200, post=200, kwargs=other_counsellors_step,
                       overrides=out_of_scope(get=404, post=404)),
    "intake:screening": Row(CASE_WORKERS, kwargs=other_counsellors_case,
                            overrides=out_of_scope(get=404)),
    "intake:note_add": Row(CASE_WORKERS, get=405, post=302, kwargs=other_counsellors_case,
                           overrides=out_of_scope(post=404)),
    "intake:close": Row(CASE_WORKERS, get=405, post=302, kwargs=other_counsellors_case,
                        overrides=out_of_scope(post=404)),
    "intake:reopen": Row(CASE_WORKERS, get=405, post=302, kwargs=other_counsellors_case,
                         overrides=out_of_scope(post=404)),
    "intake:assign": Row(COORDINATORS, get=405, post=302, kwargs=other_counsellors_case),
    "intake:erasure_request": Row(COORDINATORS, get=405, post=302,
                                  kwargs=other_counsellors_case),
    "intake:consent_new": Row(CASE_WORKERS, get=200, post=200, kwargs=other_counsellors_case,
                              overrides=out_of_scope(get=404, post=404)),
    "intake:consent_withdraw": Row(CASE_WORKERS, get=405, post=302, kwargs=consent_kwargs,
                                   overrides=out_of_scope(post=404)),
    "intake:erasure_list": Row(ADMINS),
    "intake:erasure_decision": Row(ADMINS, get=405, post=302, kwargs=erasure_request_kwargs),
}
