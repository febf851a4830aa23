"""``InvalidFacts``: schema errors and the README 2.4 semantic checks."""

import pytest

from eligibility.engine import InvalidFacts, screen
from tests.eligibility.builders import REMOVE, facts_with


@pytest.fixture(params=["compiled", "reference-only"])
def validator_mode(request, monkeypatch):
    """Run a test with the compiled fast path and with the reference validator alone."""
    if request.param == "reference-only":
        from eligibility.engine import validation

        monkeypatch.setattr(validation, "_fast_validator", lambda: None)
    return request.param


def errors_of(facts):
    with pytest.raises(InvalidFacts) as raised:
        screen(facts)
    return raised.value.errors


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        (
            {"/plan/entry_date": "2026-02-30"},
            {"path": "/plan/entry_date", "message": "'2026-02-30' is not a 'date'"},
        ),
        (
            {"/person/date_of_birth": "2025-02-29"},
            {"path": "/person/date_of_birth", "message": "'2025-02-29' is not a 'date'"},
        ),
        (
            {"/screening_date": "2004-12-28"},
            {
                "path": "/screening_date",
                "message": "screening_date 2004-12-28 is before 2004-12-29",
            },
        ),
        (
            {"/plan/claim_date": "2027-01-11"},
            {
                "path": "/plan/claim_date",
                "message": "claim_date 2027-01-11 is before entry_date 2027-01-12",
            },
        ),
        (
            {"/person/stateless": True},
            {
                "path": "/person/stateless",
                "message": "stateless is true but citizenships is not empty",
            },
        ),
        (
            {
                "/economic/work_history": [
                    {
                        "country": "US",
                        "teer": 1,
                        "start": "2024-05-01",
                        "end": "2024-04-30",
                        "hours_per_week": 40,
                    }
                ]
            },
            {
                "path": "/economic/work_history/0/end",
                "message": "end 2024-04-30 is before start 2024-05-01",
            },
        ),
        (
            {"/parents/1/relationship": "mother"},
            {"path": "/parents/1/relationship", "message": "more than one mother in parents"},
        ),
        (
            {
                "/relatives_in_canada": [
                    {"relationship": "sister", "age": 30, "date_of_birth": "1996-01-01"}
                ]
            },
            {"path": "/relatives_in_canada/0", "message": "give date_of_birth or age, not both"},
        ),
        (
            {"/person/us_status": "us_citizen"},
            {
                "path": "/person/citizenships",
                "message": "must include 'US' when us_status is 'us_citizen'",
            },
        ),
        (
            {"/plan/entry_mode": "swim"},
            {
                "path": "/plan/entry_mode",
                "message": "'swim' is not one of ['land_port_of_entry', "
                "'train_port_of_entry', 'between_ports', 'airport', 'harbour', "
                "'already_in_canada', "
                "'undecided', None]",
            },
        ),
        (
            {"/person/citizenships": ["hn"]},
            {"path": "/person/citizenships/0", "message": "'hn' does not match '^[A-Z]{2}$'"},
        ),
        (
            {"/schema": "other"},
            {"path": "/schema", "message": "'northstar.eligibility.facts/1' was expected"},
        ),
    ],
    ids=[
        "30-february",
        "29-february-common-year",
        "screening-before-stca",
        "claim-before-entry",
        "stateless-with-citizenship",
        "job-ends-before-start",
        "two-mothers",
        "age-and-birth-date",
        "us-citizen-without-us",
        "unknown-enum",
        "lower-case-country",
        "wrong-schema",
    ],
)
def test_invalid_facts(changes, error, validator_mode):
    assert errors_of(facts_with(changes)) == [error]


def test_29_february_in_a_leap_year_is_valid(validator_mode):
    screen(facts_with({"/person/date_of_birth": "2024-02-29"}))


def test_screening_date_on_stca_day_is_valid():
    screen(facts_with({"/screening_date": "2004-12-29"}))


def test_trailing_newline_in_a_country_code_is_rejected(validator_mode):
    errors = errors_of(facts_with({"/person/citizenships": ["US\n"]}))
    assert [error["path"] for error in errors] == ["/person/citizenships/0"]


def test_errors_are_sorted_and_each_names_a_path(validator_mode):
    errors = errors_of(facts_with({"/plan/entry_date": "x", "/person/stateless": "no"}))
    assert [error["path"] for error in errors] == ["/person/stateless", "/plan/entry_date"]


def test_invalid_facts_is_an_exception_with_errors():
    error = InvalidFacts([{"path": "/a", "message": "b"}])
    assert isinstance(error, Exception) and error.errors == [{"path": "/a", "message": "b"}]


def test_screening_date_defaults_to_today_in_toronto(monkeypatch):
    from datetime import date

    import eligibility.engine

    monkeypatch.setattr(eligibility.engine, "today_in_toronto", lambda: date(2026, 11, 23))
    result = screen(facts_with({"/screening_date": REMOVE}))
    assert result["screening_date"] == "2026-11-23"
    assert "2026-11-23" in result["disclaimer"]


def test_today_in_toronto_is_a_date():
    from datetime import date

    from eligibility.engine.assessment import today_in_toronto

    assert isinstance(today_in_toronto(), date)
