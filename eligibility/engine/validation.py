"""Facts validation: the JSON Schema (shape) plus the README 2.4 semantic checks.

The happy path must be fast (the engine screens every open case again when the rules
change), so a compiled validator (``jsonschema_rs``) decides whether the facts are valid.
Only when they are not does the reference ``jsonschema`` implementation run, to produce the
error messages (``'2026-13-01' is not a 'date'``). Both read the same contract schema.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError

from .tables import contract_schema, ruleset

try:  # pragma: no cover - exercised through the fast path when installed
    import jsonschema_rs
except ImportError:  # pragma: no cover - fall back to the reference validator alone
    jsonschema_rs = None


class InvalidFacts(Exception):
    """The facts fail the schema or README 2.4; ``errors`` lists ``{path, message}``."""

    def __init__(self, errors: list[dict]) -> None:
        self.errors = errors
        summary = "; ".join(f"{error['path'] or '/'}: {error['message']}" for error in errors)
        super().__init__(f"invalid facts: {summary}")


def _ecma_pattern(validator, pattern: str, instance: object, schema: dict):
    """JSON Schema ``pattern`` with ECMA-262 ``$`` (end of input: no trailing newline)."""
    if validator.is_type(instance, "string") and not _ecma_regex(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def _ecma_regex(pattern: str) -> re.Pattern:
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


@cache
def _reference_validator() -> Draft202012Validator:
    schema = contract_schema("facts")
    validator_class = validators.extend(Draft202012Validator, {"pattern": _ecma_pattern})
    return validator_class(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


@cache
def _fast_validator():
    if jsonschema_rs is None:
        return None
    return jsonschema_rs.validator_for(contract_schema("facts"), validate_formats=True)


def validate(facts: object) -> None:
    """Raise ``InvalidFacts`` unless ``facts`` is valid under the schema and README 2.4."""
    fast = _fast_validator()
    try:
        valid = fast is not None and fast.is_valid(facts)
    except UnicodeEncodeError:  # JSON allows "\ud800", which is not text (Rust refuses it)
        raise InvalidFacts(_not_unicode_errors(facts)) from None
    if valid:
        if not _semantically_valid(facts):
            raise InvalidFacts(_unique_sorted(semantic_errors(facts)))
        return
    errors = schema_errors(facts) + semantic_errors(facts)
    if errors:
        raise InvalidFacts(_unique_sorted(errors))


def _not_unicode_errors(value: object, path: tuple = ()) -> list[dict]:
    """Keys and strings holding a lone surrogate (not Unicode text)."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return [{"path": _pointer(path), "message": "not valid Unicode text (a lone "
                                                        "surrogate such as \\ud800)"}]
        return []
    found: list[dict] = []
    if isinstance(value, dict):
        for key, inner in value.items():
            found += _not_unicode_errors(key, (*path, key)) or \
                _not_unicode_errors(inner, (*path, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += _not_unicode_errors(inner, (*path, index))
    return found


def schema_errors(facts: object) -> list[dict]:
    """Schema errors as ``{path, message}``, sorted by path."""
    found: list[dict] = []
    for error in _reference_validator().iter_errors(facts):
        for leaf in _explain(error):
            found.append({"path": _pointer(leaf.absolute_path), "message": _message(leaf)})
    if not found and _fast_validator() is not None:
        found = _fast_errors(facts)
    return _unique_sorted(found)


def _fast_errors(facts: object) -> list[dict]:
    """Errors only the spec-exact validator sees (ECMA-262 ``$`` rejects a final newline)."""
    return [
        {"path": _pointer(error.instance_path), "message": error.message}
        for error in _fast_validator().iter_errors(facts)
    ]


def _explain(error: ValidationError) -> list[ValidationError]:
    """Descend into anyOf/oneOf to the branch whose type fits the value.

    ``'2026-13-01'`` under ``anyOf [date, null]`` is reported as "is not a 'date'" rather
    than "is not valid under any of the given schemas".
    """
    if error.validator not in ("anyOf", "oneOf") or not error.context:
        return [error]
    branches: dict[int, list[ValidationError]] = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    for branch in branches.values():
        if not any(_is_type_mismatch(sub) for sub in branch):
            leaves = [leaf for sub in branch for leaf in _explain(sub)]
            return _prefer_format(leaves)
    return [error]


def _is_type_mismatch(error: ValidationError) -> bool:
    if error.validator in ("type", "const", "enum") and not error.relative_path:
        return True
    if error.validator in ("anyOf", "oneOf") and error.context:
        return all(_is_type_mismatch(sub) for sub in error.context)
    return False


def _prefer_format(leaves: list[ValidationError]) -> list[ValidationError]:
    """A bad date fails both pattern and format: report the clearer format message."""
    formats = {tuple(leaf.absolute_path) for leaf in leaves if leaf.validator == "format"}
    return [
        leaf
        for leaf in leaves
        if not (leaf.validator == "pattern" and tuple(leaf.absolute_path) in formats)
    ]


def _message(error: ValidationError) -> str:
    if error.validator == "not" and error.validator_value == {"required": ["date_of_birth", "age"]}:
        return "give date_of_birth or age, not both"
    if error.validator == "contains" and error.validator_value == {"const": "US"}:
        return "must include 'US' when us_status is 'us_citizen'"
    return error.message


def _pointer(path) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def _unique_sorted(errors: list[dict]) -> list[dict]:
    unique = {(error["path"], error["message"]): error for error in errors}
    return [unique[key] for key in sorted(unique)]


# -- README 2.4 ----------------------------------------------------------------------------
def _semantically_valid(facts: dict) -> bool:
    """Quick README 2.4 check for schema-valid facts (ISO dates compare as strings)."""
    screening = facts.get("screening_date")
    if screening is not None and screening < _earliest_screening_date():
        return False
    plan = facts.get("plan")
    if plan:
        entry, claim = plan.get("entry_date"), plan.get("claim_date")
        if entry and claim and claim < entry:
            return False
    person = facts.get("person")
    if person and person.get("stateless") is True and person.get("citizenships"):
        return False
    economic = facts.get("economic")
    for job in (economic and economic.get("work_history")) or ():
        end = job.get("end")
        if end and end < job["start"]:
            return False
    parents = facts.get("parents")
    if parents:
        relationships = [parent["relationship"] for parent in parents]
        if relationships.count("mother") > 1 or relationships.count("father") > 1:
            return False
    return True


@cache
def _earliest_screening_date() -> str:
    return ruleset()["earliest_screening_date"]


def semantic_errors(facts: object) -> list[dict]:
    """The README 2.4 checks that a schema cannot express (robust to malformed facts)."""
    if not isinstance(facts, dict):
        return []
    errors: list[dict] = []
    errors += _screening_date_errors(facts)
    errors += _plan_errors(_mapping(facts.get("plan")))
    errors += _stateless_errors(_mapping(facts.get("person")))
    errors += _job_errors(_mapping(facts.get("economic")))
    errors += _parent_errors(facts.get("parents"))
    return errors


def _mapping(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def _real_date(value: object) -> date | None:
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _screening_date_errors(facts: dict) -> list[dict]:
    earliest = ruleset()["earliest_screening_date"]
    screening = _real_date(facts.get("screening_date"))
    if screening is not None and screening < date.fromisoformat(earliest):
        message = f"screening_date {screening.isoformat()} is before {earliest}"
        return [{"path": "/screening_date", "message": message}]
    return []


def _plan_errors(plan: dict) -> list[dict]:
    entry = _real_date(plan.get("entry_date"))
    claim = _real_date(plan.get("claim_date"))
    if entry is not None and claim is not None and claim < entry:
        message = f"claim_date {claim.isoformat()} is before entry_date {entry.isoformat()}"
        return [{"path": "/plan/claim_date", "message": message}]
    return []


def _stateless_errors(person: dict) -> list[dict]:
    if person.get("stateless") is True and person.get("citizenships"):
        message = "stateless is true but citizenships is not empty"
        return [{"path": "/person/stateless", "message": message}]
    return []


def _job_errors(economic: dict) -> list[dict]:
    jobs = economic.get("work_history")
    if not isinstance(jobs, list):
        return []
    errors = []
    for index, job in enumerate(jobs):
        job = _mapping(job)
        start, end = _real_date(job.get("start")), _real_date(job.get("end"))
        if start is not None and end is not None and end < start:
            message = f"end {end.isoformat()} is before start {start.isoformat()}"
            errors.append({"path": f"/economic/work_history/{index}/end", "message": message})
    return errors


def _parent_errors(parents: object) -> list[dict]:
    if not isinstance(parents, list):
        return []
    errors = []
    seen: set[str] = set()
    for index, parent in enumerate(parents):
        relationship = _mapping(parent).get("relationship")
        if relationship in ("mother", "father"):
            if relationship in seen:
                message = f"more than one {relationship} in parents"
                errors.append({"path": f"/parents/{index}/relationship", "message": message})
            seen.add(relationship)
    return errors
