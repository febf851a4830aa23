"""Writes on clients and cases. Every one is audited and leaves an event on the timeline."""

from __future__ import annotations

import copy
import datetime
import logging
import uuid
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intake.case_numbers import new_case_number
from intake.models import Case, CaseEvent, CaseStatus, Client, ClientNameIndex, Note
from intake.name_index import client_names, name_index_values
from intake.step_forms import Part
from intake.steps import FieldsSection, Step
from intake.urgency import urgency_for
from northstar.audit.services import audit_record

logger = logging.getLogger(__name__)
CASE_NUMBER_ATTEMPTS = 5
AGE_BANDS = ((0, 17, "0-17"), (18, 24, "18-24"), (25, 34, "25-34"), (35, 49, "35-49"),
             (50, 200, "50+"))


def today() -> datetime.date:
    return timezone.localdate()


def client_name_indexes_rebuild(client: Client) -> None:
    """Index the full name and every alias with the birth date (exact search, duplicates)."""
    wanted = name_index_values(client_names(client), client.date_of_birth)
    client.name_indexes.exclude(value__in=wanted).delete()
    existing = set(client.name_indexes.values_list("value", flat=True))
    ClientNameIndex.objects.bulk_create(
        [ClientNameIndex(client=client, value=value) for value in wanted - existing])


def age_band(date_of_birth: datetime.date | None, on: datetime.date) -> str:
    if date_of_birth is None:
        return ""
    age = on.year - date_of_birth.year - ((on.month, on.day) <
                                           (date_of_birth.month, date_of_birth.day))
    return next((band for low, high, band in AGE_BANDS if low <= age <= high), "")


def refresh_derived_fields(case: Case) -> None:
    """Urgency and the coarse statistical record follow the facts."""
    case.urgency = urgency_for(case.detention_risk, case.removal_date, today())
    case.stat_age_band = age_band(case.client.date_of_birth, case.created_at.date())
    citizenships = (case.person or {}).get("citizenships") or []
    case.stat_nationality = citizenships[0] if citizenships else ""
    case.stat_province = ((case.economic or {}).get("intended_province") or
                          next((r.get("province") for r in case.relatives_in_canada or []
                                if r.get("province")), "") or "")


def queue_screening(case: Case) -> None:
    case_id = case.pk
    transaction.on_commit(lambda: publish_screening(case_id))


def publish_screening(case_id: int) -> bool:
    """Queue the screening of a saved case. A broker outage must not turn a saved intake into
    a server error: the error is logged (the id and the error class only) and swallowed, and
    ``eligibility.screen_pending`` (beat) screens the case once the broker is back."""
    from eligibility.tasks import screen_case

    try:
        screen_case.delay(case_id)
    except Exception as error:
        logger.warning("case %s: screening not queued (%s); the sweeper will screen it",
                       case_id, type(error).__name__)
        return False
    return True


@transaction.atomic
def case_create(*, actor, given_name: str, family_name: str = "",
                date_of_birth: datetime.date | None = None) -> Case:
    """Open a draft case for a new client; the counsellor who creates it is assigned."""
    client = Client.objects.create(given_name=given_name, family_name=family_name,
                                   date_of_birth=date_of_birth)
    client_name_indexes_rebuild(client)
    for attempt in range(CASE_NUMBER_ATTEMPTS):
        try:
            with transaction.atomic():
                case = Case.objects.create(client=client, number=new_case_number(),
                                           created_by=actor, assigned_to=actor)
            break
        except IntegrityError:
            if attempt == CASE_NUMBER_ATTEMPTS - 1:
                raise
    refresh_derived_fields(case)
    case.save(update_fields=["urgency", "stat_age_band", "stat_nationality", "stat_province"])
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.CREATED, actor=actor)
    audit_record("case.created", actor=actor, target=case)
    return case


@dataclass
class StepSaveResult:
    """``saved``: sections stored (wholly, or the valid fields of a partly valid form);
    ``with_errors``: sections with errors to show (a rejected list, or the invalid fields)."""

    saved: list[str] = field(default_factory=list)
    with_errors: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.with_errors


def merged(block: dict, values: dict) -> dict:
    """``values`` over ``block``; a value of None removes the key (omitted = unknown)."""
    for name, value in values.items():
        if value is None:
            block.pop(name, None)
        else:
            block[name] = value
    return block


def store(case: Case, section, value) -> None:
    """Put a section's validated value into the case (or its client)."""
    if section.block == "client":
        for name, item in value.items():
            setattr(case.client, name, item if item is not None else
                    Client._meta.get_field(name).get_default())
        return
    if section.block == "case":
        for name, item in value.items():
            default = "" if name == "urgency_notes" else None
            setattr(case, name, item if item is not None else default)
        return
    root, *path = section.block.split(".")
    if not path and not isinstance(section, FieldsSection):
        setattr(case, root, value)
        return
    if isinstance(section, FieldsSection) and not path:
        current = merged(copy.deepcopy(getattr(case, root)) or {}, value)
        if root == "person" and current.get("citizenships") == [] \
                and current.get("stateless") is not True:
            current["citizenships"] = None  # nothing chosen is "unknown", not "stateless"
        if root == "spouse" and not current.get("relationship"):
            current = None
        setattr(case, root, current)
        return
    container = copy.deepcopy(getattr(case, root)) or {}
    target = container
    for key in path[:-1]:
        target = target.setdefault(key, {})
    if isinstance(section, FieldsSection):
        target[path[-1]] = merged(target.get(path[-1]) or {}, value)
    else:
        target[path[-1]] = value
    setattr(case, root, container)


def facts_errors(case: Case) -> list[dict]:
    """Contract validation of the whole facts document as it would be stored."""
    from eligibility.engine import InvalidFacts, validate
    from eligibility.selectors import facts_for_case

    try:
        validate(facts_for_case(case))
    except InvalidFacts as error:
        return error.errors
    return []


def section_owns(section, pointer: str) -> bool:
    if section.block == "client":
        return pointer.startswith("/person/date_of_birth")
    if section.block == "case":
        return False
    prefix = "/" + section.block.replace(".", "/")
    if pointer == prefix:
        return True  # an error about the block as a whole (e.g. a conditional requirement)
    if isinstance(section, FieldsSection) and section.block in ("person", "plan", "fear",
                                                                "criminality", "economic",
                                                                "canadian_history", "spouse"):
        return any(pointer == f"{prefix}/{name}" or pointer.startswith(f"{prefix}/{name}/")
                   for name in section.fields)
    return pointer.startswith(prefix + "/")


@transaction.atomic
def case_step_save(*, actor, case: Case, step: Step, parts: list[Part]) -> StepSaveResult:
    """Store every section of a step that validated; leave the others as they were.

    Sections are checked twice: by their forms, then, together, against the facts contract
    (whatever the forms let through that the contract refuses is not stored either). The
    case is re-screened after commit.
    """
    case = Case.objects.select_for_update(of=("self",)).select_related("client").get(pk=case.pk)
    result = StepSaveResult()
    before = {part.section.prefix: snapshot(case, part.section) for part in parts}
    for part in parts:
        value = part.values()
        if part.has_errors:
            result.with_errors.append(part.section.prefix)
        if value is ...:
            continue
        store(case, part.section, value)
        result.saved.append(part.section.prefix)
    for error in facts_errors(case):
        for part in parts:
            if part.section.prefix in result.saved and section_owns(part.section,
                                                                     error["path"]):
                restore(case, part.section, before[part.section.prefix])
                result.saved.remove(part.section.prefix)
                if part.section.prefix not in result.with_errors:
                    result.with_errors.append(part.section.prefix)
                attach_error(part, error["message"])
    finish_step_save(actor, case, step, result)
    return result


def snapshot(case: Case, section):
    if section.block == "client":
        return {name: getattr(case.client, name) for name in section.fields}
    if section.block == "case":
        return {name: getattr(case, name) for name in section.fields}
    root = section.block.split(".")[0]
    return copy.deepcopy(getattr(case, root))


def restore(case: Case, section, saved) -> None:
    if section.block in ("client", "case"):
        target = case.client if section.block == "client" else case
        for name, value in saved.items():
            setattr(target, name, value)
        return
    setattr(case, section.block.split(".")[0], saved)


def attach_error(part: Part, message: str) -> None:
    form = part.form if part.form is not None else part.none_form
    form.add_error(None, _("These answers were not saved: they contradict other facts of the "
                           "case (%(detail)s). Check the other steps, then try again.")
                   % {"detail": message})


def finish_step_save(actor, case: Case, step: Step, result: StepSaveResult) -> None:
    client_changed = any(part.startswith("client") for part in result.saved)
    if client_changed:
        case.client.save()
        client_name_indexes_rebuild(case.client)
    if step.slug not in case.steps_done and result.saved and result.complete:
        case.steps_done = [*case.steps_done, step.slug]
    case.last_step = step.slug
    case.updated_at = timezone.now()
    refresh_derived_fields(case)
    case.save()
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.STEP_SAVED, actor=actor,
                             details={"step": step.slug, "saved": result.saved,
                                      "with_errors": result.with_errors})
    audit_record("case.updated", actor=actor, target=case,
                 details={"step": step.slug, "sections": result.saved})
    queue_screening(case)


@transaction.atomic
def case_open(*, actor, case: Case) -> Case:
    """Finish the intake: the draft becomes an open case in the coordinators' queue."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status != CaseStatus.DRAFT:
        return case
    case.status = CaseStatus.OPEN
    case.opened_at = timezone.now()
    case.save(update_fields=["status", "opened_at"])
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.OPENED, actor=actor)
    audit_record("case.opened", actor=actor, target=case)
    return case


@transaction.atomic
def case_assign(*, actor, case: Case, assignee) -> Case:
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.assigned_to_id == getattr(assignee, "pk", None):
        return case
    case.assigned_to = assignee
    case.save(update_fields=["assigned_to"])
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.ASSIGNED, actor=actor,
                             details={"assignee": getattr(assignee, "pk", None)})
    audit_record("case.assigned", actor=actor, target=case,
                 details={"assignee": getattr(assignee, "pk", None)})
    return case


@transaction.atomic
@transaction.atomic
def note_add(*, actor, case: Case, body: str, submission: uuid.UUID | None = None) -> Note:
    """Add a note to the case. ``submission`` (the form's id) makes a repeat harmless: the
    same form sent again, e.g. after a "try again" page for a request that had in fact
    committed, returns the note it stored instead of a second one."""
    if submission is not None:
        existing = Note.objects.filter(case=case, submission=submission).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                note = Note.objects.create(case=case, author=actor, body=body,
                                           submission=submission)
        except IntegrityError:  # the same form sent twice at once: the other one stored it
            return Note.objects.get(case=case, submission=submission)
    else:
        note = Note.objects.create(case=case, author=actor, body=body)
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.NOTE_ADDED, actor=actor,
                             details={"note": note.pk})
    audit_record("case.note_added", actor=actor, target=case, details={"note": note.pk})
    return note


# Callables ``hook(case, actor)`` run inside ``case_close``'s transaction.
CASE_CLOSED_HOOKS: list = []


def register_case_closed_hook(hook) -> None:
    if hook not in CASE_CLOSED_HOOKS:
        CASE_CLOSED_HOOKS.append(hook)


@transaction.atomic
def case_close(*, actor, case: Case, reason: str) -> Case:
    """Close a case. Apps that hold work on the case react through the hooks registered
    with ``register_case_closed_hook`` (the referrals app withdraws referrals still waiting
    for a partner's answer), inside this transaction so the close and its effects commit
    together."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status == CaseStatus.CLOSED:
        return case
    case.status = CaseStatus.CLOSED
    case.closed_at = timezone.now()
    case.close_reason = reason
    case.save(update_fields=["status", "closed_at", "close_reason"])
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.CLOSED, actor=actor,
                             details={"reason": reason})
    audit_record("case.closed", actor=actor, target=case, details={"reason": reason})
    for hook in CASE_CLOSED_HOOKS:
        hook(case, actor)
    return case


@transaction.atomic
def case_reopen(*, actor, case: Case) -> Case:
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status != CaseStatus.CLOSED or case.purged_at is not None:
        return case
    case.status = CaseStatus.OPEN if case.opened_at else CaseStatus.DRAFT
    case.closed_at = None
    case.close_reason = ""
    case.save(update_fields=["status", "closed_at", "close_reason"])
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.REOPENED, actor=actor)
    audit_record("case.reopened", actor=actor, target=case)
    return case
