"""Access-matrix rows for the document URLs (``intake.urls_documents``), to merge into
``access_matrix`` once the URLs are included as ``intake:documents:*``.

Each row's case belongs to a fresh counsellor, so the matrix's own "counsellor" persona is
another counsellor: the case is outside their scope and they get 404 where the role alone
would let them in (405 still comes first for a method the view does not take).
"""

from __future__ import annotations

from tests.security.matrix_base import Row

CASE_WORKERS = frozenset({"counsellor", "coordinator"})


def _case_kwargs() -> dict:
    from tests.factories import UserFactory
    from tests.intake.document_helpers import new_case

    return {"number": new_case(UserFactory(counsellor=True)).number}


def _document_kwargs() -> dict:
    from intake.documents import document_add
    from tests.factories import UserFactory
    from tests.intake.document_helpers import make_pdf, new_case, upload

    owner = UserFactory(counsellor=True)
    case = new_case(owner)
    document = document_add(actor=owner, case=case, kind="other",
                            uploaded_file=upload("matrix.pdf", make_pdf(), "application/pdf"))
    return {"number": case.number, "pk": document.pk}


ROWS: dict[str, Row] = {
    # POST {} is an invalid form (no file): the page again, with the errors.
    "intake:documents:upload": Row(
        CASE_WORKERS, get=200, post=200, kwargs=_case_kwargs,
        overrides={("counsellor", "GET"): 404, ("counsellor", "POST"): 404}),
    "intake:documents:download": Row(
        CASE_WORKERS, get=200, post=405, kwargs=_document_kwargs,
        overrides={("counsellor", "GET"): 404}),
    # The coordinator's POST removes the document and goes back to the case page.
    "intake:documents:remove": Row(
        CASE_WORKERS, get=405, post=302, kwargs=_document_kwargs,
        overrides={("counsellor", "POST"): 404}),
}
