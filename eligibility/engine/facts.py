"""Read-only view of one facts document, with the README 2.1 defaults applied.

``Case`` never changes the facts. It resolves the defaults once (claim date, entry date,
claim status ...), parses the dates the rules share, and builds the JSON pointers that name
missing facts (README 3.3: the field when its parent is present, else the nearest absent
ancestor).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from .dates import age_on, anniversary, parse_date

PORT_MODES = frozenset(
    {"land_port_of_entry", "train_port_of_entry", "airport", "harbour", "undecided"}
)
LAND_PORT_MODES = frozenset({"land_port_of_entry", "train_port_of_entry", "undecided"})
EMPTY: dict = {}


class Case:
    """One facts document as the rules see it."""

    def __init__(self, facts: dict, today: date) -> None:
        self.facts = facts
        self.today = today
        self.person = facts.get("person") or EMPTY
        self.plan = facts.get("plan") or EMPTY
        self.history = facts.get("canadian_history") or EMPTY
        self.criminality = facts.get("criminality")
        self.economic = facts.get("economic")
        self.spouse = facts.get("spouse")
        self.relatives = facts.get("relatives_in_canada")
        self.parents = facts.get("parents")
        self._read_person()
        self._read_plan()
        self.has_criminality = self._criminality_present()
        self.unknown_overlay_paths = self._unknown_overlay_paths()
        # Nothing for the overlays to add: no criminality, no deportation, nothing unknown.
        self.overlays_quiet = not (
            self.has_criminality
            or self.unknown_overlay_paths
            or self.history.get("deported") is True
        )

    # -- person -------------------------------------------------------------------------
    def _read_person(self) -> None:
        person = self.person
        self.date_of_birth = parse_date(person.get("date_of_birth"))
        self.citizenships = person.get("citizenships")
        self.stateless = person.get("stateless")
        self.canadian_status = person.get("canadian_status") or "none"
        self.us_status = person.get("us_status")
        self.location = person.get("current_location")
        self.marital_status = person.get("marital_status")
        born = self.date_of_birth
        self.age_today = None if born is None else age_on(born, self.today)

    @property
    def us_national(self) -> bool:
        """True when the client holds US citizenship."""
        return self.us_status == "us_citizen" or "US" in (self.citizenships or ())

    def age_on(self, day: date | None) -> int | None:
        """The client's age on ``day`` (None when the date of birth or the day is unknown)."""
        if self.date_of_birth is None or day is None:
            return None
        if day == self.today:
            return self.age_today
        return age_on(self.date_of_birth, day)

    @property
    def has_partner_block(self) -> bool:
        """An absent (or null) spouse block means no spouse or partner (README 2.2)."""
        return isinstance(self.spouse, dict)

    # -- plan ---------------------------------------------------------------------------
    def _read_plan(self) -> None:
        plan = self.plan
        mode = plan.get("entry_mode")
        entry = parse_date(plan.get("entry_date"))
        claim = parse_date(plan.get("claim_date"))
        self.entry_mode = mode
        self.claim_date_assumed = False
        if mode in PORT_MODES:
            if claim is None:
                claim = entry
            if claim is None:
                claim, self.claim_date_assumed = self.today, True
            if entry is None:
                entry = claim
        elif mode == "already_in_canada" and claim is None:
            claim, self.claim_date_assumed = self.today, True
        self.entry_date = entry
        self.claim_date = claim
        self.claim_status = plan.get("claim_status") or "planned"
        self.in_transit_us_removal = plan.get("in_transit_us_removal") is True
        self.refused_entry_to_us = plan.get("refused_entry_to_us_without_adjudication") is True

    def claim_on_or_after(self, day: date) -> bool | None:
        """Is the claim date D on or after ``day``? None when it cannot be told.

        A planned claim with no date is made on or after the screening date.
        """
        if self.claim_date is not None:
            return self.claim_date >= day
        if self.claim_status == "planned" and self.today >= day:
            return True
        return None

    @property
    def reference_date(self) -> date:
        """The claim date when known, else the screening date (used for caveats only)."""
        return self.claim_date or self.today

    # -- pointers -----------------------------------------------------------------------
    def ptr(self, *keys: str | int) -> str:
        """JSON pointer to a fact, or to its nearest absent ancestor (README 3.3)."""
        node: object = self.facts
        parts: list[str] = []
        for key in keys:  # keys are schema field names and indices: nothing to escape
            parts.append(key if isinstance(key, str) else str(key))
            node = _child(node, key)
            if node is None:
                break
        return "/" + "/".join(parts)

    # -- criminality and history (shared by the overlays and several pathways) ------------
    def criminality_present(self) -> bool:
        """Any pending charge, conviction, death-penalty charge or concern flag."""
        return self.has_criminality

    def _criminality_present(self) -> bool:
        block = self.criminality
        if not block:
            return False
        if block.get("pending_charges") or block.get("convictions"):
            return True
        get = block.get
        return (
            get("death_penalty_charge") is True
            or get("security_concern") is True
            or get("human_rights_concern") is True
            or get("organized_crime_concern") is True
        )

    def _unknown_overlay_paths(self) -> list[str]:
        """Pointers to the unknown facts the overlays need (README 4.3)."""
        block = self.criminality
        if not isinstance(block, dict):
            paths = ["/criminality"]
        else:
            paths = [
                f"/criminality/{name}" for name in CRIMINALITY_FIELDS if block.get(name) is None
            ]
        if self.history.get("deported") is None:
            paths.append(self.ptr("canadian_history", "deported"))
        return paths


CRIMINALITY_FIELDS = (
    "death_penalty_charge",
    "pending_charges",
    "convictions",
    "security_concern",
    "human_rights_concern",
    "organized_crime_concern",
    "extradition_proceedings",
)


def _child(node: object, key: str | int) -> object:
    if isinstance(node, dict):
        return node.get(key)
    if isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
        return node[key]
    return None


def relative_age_range(relative: dict, on: date, today: date) -> tuple[int, int] | None:
    """Possible ages of a relative on ``on``: exact with a date of birth, a range from ``age``.

    ``age`` is the age on the screening date (``today``), so the birth date lies in a one-year
    interval; the range is the youngest and oldest the relative can be on ``on``.
    """
    born = parse_date(relative.get("date_of_birth"))
    if born is not None:
        exact = age_on(born, on)
        return exact, exact
    age = relative.get("age")
    if age is None:
        return None
    age = int(age)
    if on == today:
        return age, age
    return _ages_from_age(age, on, today)


@lru_cache(maxsize=1024)
def _ages_from_age(age: int, on: date, today: date) -> tuple[int, int]:
    latest_birth = anniversary(today, -age)
    earliest_birth = date.fromordinal(anniversary(today, -age - 1).toordinal() + 1)
    return age_on(latest_birth, on), age_on(earliest_birth, on)
