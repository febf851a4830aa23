"""Four-valued checks for conditions and exceptions: met, review, missing, not met.

An STCA exception (or one condition of it) is met, not met, needs review, or cannot be
decided for want of a fact (README 4.4 step 2). ``all_of`` combines the conditions of one
exception (a clearly failed condition fails the whole, README 4.2); ``best_of`` picks among
alternatives (several candidates, several documents).
"""

from __future__ import annotations

MET = "met"
REVIEW = "review"
MISSING = "missing"
NOT_MET = "not_met"

_BEST_FIRST = (MET, REVIEW, MISSING, NOT_MET)
_SEVERITY = {MET: 0, MISSING: 1, REVIEW: 2, NOT_MET: 3}


class Check:
    """The result of one check, with the provision, a sentence, and what it needs or flags.

    ``windows`` are date/age boundary notes (README 4.1): they become NEEDS_REVIEW reasons
    on the pathway but never change the check's status. ``notes`` are other side remarks
    (an anchor who would qualify once in Canada).
    """

    __slots__ = ("citation", "notes", "paths", "status", "text", "windows")

    def __init__(
        self,
        status: str,
        citation: str,
        text: str,
        paths: list[str] | None = None,
    ) -> None:
        self.status = status
        self.citation = citation
        self.text = text
        self.paths = paths or []
        self.windows: list[tuple[str, str]] = []
        self.notes: list[tuple[str, str]] = []

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Check({self.status}, {self.citation}, {self.text!r})"


def best_of(checks: list[Check]) -> Check:
    """The best alternative: met > review > missing > not met (first of equals wins)."""
    for status in _BEST_FIRST:
        for check in checks:
            if check.status == status:
                return check
    raise ValueError("best_of needs at least one check")


def all_of(checks: list[Check], met: Check) -> Check:
    """A conjunction: any failed condition fails it; then review, then missing, else ``met``.

    The result carries every condition's windows and notes, and the missing paths of every
    condition whenever it is not failed outright.
    """
    worst = MET
    for check in checks:
        if _SEVERITY[check.status] > _SEVERITY[worst]:
            worst = check.status
    if worst == MET:
        result = met
    else:
        hits = [check for check in checks if check.status == worst]
        result = Check(worst, hits[0].citation, " ".join(check.text for check in hits))
        if worst != NOT_MET:
            for check in checks:
                if check.status == MISSING:
                    result.paths.extend(check.paths)
    for check in checks:
        if check.windows:
            result.windows.extend(check.windows)
        if check.notes:
            result.notes.extend(check.notes)
    return result
