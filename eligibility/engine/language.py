"""Official-language test results (CLB for English, NCLC for French) as the rules read them."""

from __future__ import annotations

from dataclasses import dataclass

from .facts import Case

SKILLS = ("listening", "speaking", "reading", "writing")
OTHER = {"english": "french", "french": "english"}


@dataclass(frozen=True)
class Languages:
    """The first and second official languages: scores dict, ``"no_test"`` or None (unknown)."""

    first_name: str | None
    first: dict | str | None
    second: dict | str | None
    english: dict | str | None
    french: dict | str | None
    missing_first: list[str]
    missing_second: list[str]


def read_languages(case: Case) -> Languages:
    """Resolve the first official language and the two score sets, with missing pointers."""
    block = (case.economic or {}).get("language")
    block = block if isinstance(block, dict) else {}
    english, french = block.get("english"), block.get("french")
    first_name = block.get("first_official_language")
    if first_name is None:
        path = [case.ptr("economic", "language", "first_official_language")]
        return Languages(None, None, None, english, french, path, path)
    second_name = OTHER[first_name]
    first, second = block.get(first_name), block.get(second_name)
    return Languages(
        first_name,
        first,
        second,
        english,
        french,
        [] if first is not None else [case.ptr("economic", "language", first_name)],
        [] if second is not None else [case.ptr("economic", "language", second_name)],
    )


def lowest(scores: dict | str | None) -> int | None:
    """The lowest skill level; 0 for ``"no_test"``; None when unknown."""
    if scores is None:
        return None
    if not isinstance(scores, dict):
        return 0
    return min(scores["listening"], scores["speaking"], scores["reading"], scores["writing"])


def all_at_least(scores: dict | str | None, level: int) -> bool:
    """True when every skill is at ``level`` or more (False for ``"no_test"`` or unknown)."""
    floor = lowest(scores)
    return floor is not None and floor >= level


def levels(scores: dict | str | None) -> tuple[int, ...]:
    """The four skill levels (zeros for ``"no_test"``)."""
    if not isinstance(scores, dict):
        return (0, 0, 0, 0)
    return (scores["listening"], scores["speaking"], scores["reading"], scores["writing"])
