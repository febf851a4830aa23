#!/usr/bin/env python3
"""Audit every pinned dependency (requirements/*.txt) against the package index.

Why not pip-audit: from this network only ``https://pypi.org/pypi/<name>/json`` answers. Its
``vulnerabilities`` field describes the *latest* release only, the per-version endpoint
(``/pypi/<name>/<version>/json``) answers 404, and OSV and the GitHub advisory database are not
reachable. pip-audit then skips every package ("Dependency not found on PyPI and could not be
audited") and still reports "No known vulnerabilities found" with exit code 0.

So, for every pin ``name==version``, this script fetches the package's JSON and fails when

* an advisory is listed for the package (``vulnerabilities``, not withdrawn): the latest
  release is affected, and so is an older pin as far as anyone here can tell;
* the pinned version is not on the index, or is yanked (all of its files are, PEP 592);
* the pinned release does not install on the project's Python;
* an exception is malformed, in the future, or no longer matches a pin.

It reports as NEEDS REVIEW — a failure only with ``--strict`` (``make audit-strict``) — a pin
that is not the newest release installing on the project's Python (``requires_python`` of its
files) without a reviewed exception in ``requirements/audit-exceptions.toml`` for that exact
name and version, and an exception older than ``--max-age-days``: for an older release
nothing here can say whether it is vulnerable, so a person must look (the changelog and
advisories) and write down why it stays. CI runs without ``--strict`` on purpose: any of the
ninety packages may publish a release at any hour, and an unrelated upstream release must not
stop a submission from landing; a known advisory or a yanked pin does.

Exit codes: 0 clean, 1 findings, 2 the index could not be reached or answered nonsense (the
audit did not run: CI treats that as a failure, never as a pass). Only the standard library is
used, and ``packaging`` (a pinned runtime dependency) to compare versions and read
``requires_python``.

    python3 scripts/dependency_audit.py            # what CI runs (make audit)
    python3 scripts/dependency_audit.py --json     # the same figures, machine-readable
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parents[1]
INDEX_URL = "https://pypi.org/pypi/{name}/json"
DEFAULT_EXCEPTIONS = ROOT / "requirements" / "audit-exceptions.toml"
DEFAULT_MAX_AGE_DAYS = 90
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*==\s*([^\s;#\\]+)")


class IndexUnreachable(Exception):
    """The package index did not answer usefully: the audit cannot decide anything."""


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass
class Pin:
    name: str
    version: str
    files: list[str] = field(default_factory=list)


def read_pins(paths: list[Path]) -> dict[str, Pin]:
    """``name==version`` lines of pip-compile output (comments, options, hashes skipped).
    The same package pinned to two versions in two files is a finding of its own."""
    pins: dict[str, Pin] = {}
    conflicts = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            match = PIN.match(line.strip())
            if not match:
                continue
            name, version = normalise(match.group(1)), match.group(3)
            pin = pins.setdefault(name, Pin(name, version))
            if pin.version != version:
                conflicts.append(f"{name}: {pin.version} in {', '.join(pin.files)}, "
                                 f"{version} in {path.name}")
            pin.files.append(path.name)
    if conflicts:
        raise ValueError("conflicting pins: " + "; ".join(conflicts))
    return pins


@dataclass
class Exception_:
    name: str
    pinned: str
    reason: str
    reviewed: dt.date


def load_exceptions(path: Path) -> tuple[dict[str, Exception_], list[str]]:
    """The reviewed exceptions, by normalised name, and the problems of the file itself."""
    if not path.exists():
        return {}, []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        return {}, [f"{path.name}: not valid TOML ({error})"]
    exceptions: dict[str, Exception_] = {}
    problems = []
    for number, entry in enumerate(data.get("exception", []), start=1):
        missing = [key for key in ("name", "pinned", "reason", "reviewed") if not entry.get(key)]
        if missing:
            problems.append(f"{path.name}: exception #{number} lacks {', '.join(missing)}")
            continue
        if not isinstance(entry["reviewed"], dt.date) or isinstance(entry["reviewed"],
                                                                    dt.datetime):
            problems.append(f"{path.name}: exception {entry['name']}: reviewed must be a date "
                            "(YYYY-MM-DD, unquoted)")
            continue
        name = normalise(entry["name"])
        if name in exceptions:
            problems.append(f"{path.name}: {name} has two exceptions")
            continue
        exceptions[name] = Exception_(name, str(entry["pinned"]), str(entry["reason"]).strip(),
                                      entry["reviewed"])
    return exceptions, problems


def fetch_from_index(name: str, *, attempts: int = 3, timeout: float = 20) -> dict:
    url = INDEX_URL.format(name=name)
    last = None
    for attempt in range(attempts):
        try:
            request = urllib.request.Request(  # noqa: S310 (the URL is INDEX_URL: https)
                url, headers={"Accept": "application/json",
                              "User-Agent": "northstar-dependency-audit"})
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                return json.load(response)
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return {}  # not on the index: a finding, not an outage
            last = error
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
            last = error
        time.sleep(1 + attempt)
    raise IndexUnreachable(f"{url}: {last}")


@dataclass
class Report:
    checked: list[str] = field(default_factory=list)
    vulnerable: list[str] = field(default_factory=list)
    yanked: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    incompatible: list[str] = field(default_factory=list)
    held_by_python: list[dict] = field(default_factory=list)
    outdated_unreviewed: list[str] = field(default_factory=list)
    outdated_reviewed: list[dict] = field(default_factory=list)
    exception_problems: list[str] = field(default_factory=list)
    stale_exceptions: list[str] = field(default_factory=list)
    strict: bool = False

    @property
    def needs_review(self) -> list[str]:
        return self.outdated_unreviewed + self.stale_exceptions

    @property
    def failures(self) -> list[str]:
        hard = (self.vulnerable + self.yanked + self.unknown + self.incompatible
                + self.exception_problems)
        return hard + self.needs_review if self.strict else hard

    def figures(self) -> dict:
        return {"pins_checked": len(self.checked), "vulnerable": len(self.vulnerable),
                "yanked": len(self.yanked), "not_on_index": len(self.unknown),
                "incompatible": len(self.incompatible),
                "newest_for_python_not_latest": len(self.held_by_python),
                "not_latest_unreviewed": len(self.outdated_unreviewed),
                "not_latest_reviewed": len(self.outdated_reviewed),
                "exception_problems": len(self.exception_problems),
                "stale_exceptions": len(self.stale_exceptions)}


def advisories(data: dict) -> list[dict]:
    return [item for item in data.get("vulnerabilities") or [] if not item.get("withdrawn")]


def release_is_yanked(files: list[dict]) -> tuple[bool, str]:
    if files and all(item.get("yanked") for item in files):
        reasons = {item.get("yanked_reason") or "" for item in files} - {""}
        return True, "; ".join(sorted(reasons)) or "no reason given"
    return False, ""


def installs_on(files: list[dict], python: Version) -> bool:
    """Whether some file of the release accepts ``python`` (no requires_python: any)."""
    for item in files:
        if item.get("yanked"):
            continue
        spec = item.get("requires_python")
        if not spec:
            return True
        try:
            if python in SpecifierSet(spec):
                return True
        except InvalidSpecifier:
            return True  # unreadable: do not hide a newer release behind it
    return False


def parsed(version: str) -> Version | None:
    try:
        return Version(version)
    except InvalidVersion:
        return None


def newest_installable(releases: dict, python: Version) -> str | None:
    """The newest final (not pre-release, not yanked) release that installs on ``python``."""
    best = None
    for version, files in releases.items():
        value = parsed(version)
        if value is None or value.is_prerelease or value.is_devrelease:
            continue
        if not files or release_is_yanked(files)[0] or not installs_on(files, python):
            continue
        if best is None or value > best[0]:
            best = (value, version)
    return best[1] if best else None


def audit(pins: dict[str, Pin], exceptions: dict[str, Exception_],
          fetch: Callable[[str], dict], *, today: dt.date, python: Version,
          max_age_days: int = DEFAULT_MAX_AGE_DAYS) -> Report:
    """Decide every pin for the project's ``python``. ``fetch(name)`` returns the index's JSON
    ({} when not found) or raises ``IndexUnreachable``, which propagates: no partial verdict."""
    report = Report()
    names = sorted(pins)
    with ThreadPoolExecutor(max_workers=8) as pool:  # the first IndexUnreachable propagates
        answers = dict(zip(names, pool.map(fetch, names), strict=True))
    for name in names:
        pin = pins[name]
        data = answers[name]
        if not isinstance(data, dict):
            raise IndexUnreachable(f"{name}: the index answered something that is not JSON")
        report.checked.append(name)
        if not data:
            report.unknown.append(f"{name}=={pin.version}: not on the index")
            continue
        releases = data.get("releases")
        latest = (data.get("info") or {}).get("version")
        if not isinstance(releases, dict) or not latest:
            raise IndexUnreachable(f"{name}: the index's answer lacks releases or info.version")
        for item in advisories(data):
            fixed = ", ".join(item.get("fixed_in") or []) or "no fixed release"
            ids = ", ".join([item.get("id", "?"), *(item.get("aliases") or [])])
            report.vulnerable.append(
                f"{name}=={pin.version}: advisory {ids} (latest {latest} affected; fixed in "
                f"{fixed}) {item.get('link', '')}".rstrip())
        if pin.version not in releases:
            report.unknown.append(f"{name}=={pin.version}: no such release on the index")
            continue
        files = releases[pin.version]
        yanked, why = release_is_yanked(files)
        if yanked:
            report.yanked.append(f"{name}=={pin.version}: yanked ({why})")
        elif not installs_on(files, python):
            report.incompatible.append(f"{name}=={pin.version}: does not install on Python "
                                       f"{python}")
        target = newest_installable(releases, python) or latest
        pin_value, target_value = parsed(pin.version), parsed(target)
        current = pin.version == target or (
            pin_value is not None and target_value is not None and pin_value >= target_value)
        exception = exceptions.get(name)
        if current:
            if target != latest:
                report.held_by_python.append({"name": name, "pinned": pin.version,
                                              "latest": latest})
            if exception is not None:
                report.exception_problems.append(
                    f"{name}: exception no longer needed ({pin.version} is the newest release "
                    f"for Python {python}); remove it")
            continue
        if exception is None:
            report.outdated_unreviewed.append(
                f"{name}=={pin.version}: not the newest release for Python {python} "
                f"({target}); upgrade, or add a reviewed exception to "
                "requirements/audit-exceptions.toml")
            continue
        if exception.pinned != pin.version:
            report.exception_problems.append(
                f"{name}: the exception is for {exception.pinned}, the pin is {pin.version}; "
                "review again")
            continue
        age = (today - exception.reviewed).days
        if age < 0:
            report.exception_problems.append(f"{name}: review date {exception.reviewed} is "
                                             "in the future")
            continue
        if age > max_age_days:
            report.stale_exceptions.append(
                f"{name}: exception reviewed {exception.reviewed}, {age} days ago (more than "
                f"{max_age_days}); review again")
            continue
        report.outdated_reviewed.append({"name": name, "pinned": pin.version,
                                         "newest": target, "reason": exception.reason,
                                         "reviewed": exception.reviewed.isoformat()})
    for name in sorted(set(exceptions) - set(pins)):
        report.exception_problems.append(f"{name}: exception for a package that is not pinned")
    return report


def render(report: Report, python: Version) -> str:
    lines = []
    for title, items in (("VULNERABLE", report.vulnerable), ("YANKED", report.yanked),
                         ("NOT ON THE INDEX", report.unknown),
                         (f"DOES NOT INSTALL ON PYTHON {python}", report.incompatible),
                         ("EXCEPTIONS FILE", report.exception_problems)):
        if items:
            lines.append(f"{title}:")
            lines += [f"  {item}" for item in items]
    if report.needs_review:
        lines.append("NEEDS REVIEW" + ("" if report.strict else
                                        " (a failure with --strict, make audit-strict)") + ":")
        lines += [f"  {item}" for item in report.needs_review]
    if report.outdated_reviewed:
        lines.append("Not the newest release, reviewed (requirements/audit-exceptions.toml):")
        lines += [f"  {item['name']} {item['pinned']} (newest {item['newest']}), reviewed "
                  f"{item['reviewed']}: {item['reason']}" for item in report.outdated_reviewed]
    if report.held_by_python:
        lines.append(f"Newest release for Python {python}, a later one needs a newer Python:")
        lines += [f"  {item['name']} {item['pinned']} (latest {item['latest']})"
                  for item in report.held_by_python]
    figures = report.figures()
    lines.append(
        f"pins checked: {figures['pins_checked']}, vulnerable: {figures['vulnerable']}, "
        f"yanked: {figures['yanked']}, not on the index: {figures['not_on_index']}, "
        f"not for Python {python}: {figures['incompatible']}, not the newest: "
        f"{figures['not_latest_reviewed'] + figures['not_latest_unreviewed']} "
        f"({figures['not_latest_reviewed']} reviewed, {figures['not_latest_unreviewed']} not), "
        f"exception problems: {figures['exception_problems']}, stale exceptions: "
        f"{figures['stale_exceptions']}")
    lines.append("dependency audit: " + ("FAILED" if report.failures else "passed"))
    return "\n".join(lines)


def project_python() -> Version:
    """The running interpreter's version (make audit runs the project's .venv Python)."""
    info = sys.version_info
    return Version(f"{info.major}.{info.minor}.{info.micro}")


def main(argv: list[str] | None = None, *, fetch: Callable[[str], dict] | None = None,
         today: dt.date | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("requirements", nargs="*", type=Path,
                        help="pinned requirement files (default: requirements/*.txt)")
    parser.add_argument("--exceptions", type=Path, default=DEFAULT_EXCEPTIONS)
    parser.add_argument("--max-age-days", type=int, default=DEFAULT_MAX_AGE_DAYS)
    parser.add_argument("--python", type=Version, default=None,
                        help="the Python the pins are for (default: this interpreter's)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--strict", action="store_true",
                        help="pins behind the newest release without a current review fail too")
    args = parser.parse_args(argv)
    paths = args.requirements or sorted((ROOT / "requirements").glob("*.txt"))
    try:
        pins = read_pins(paths)
    except (OSError, ValueError) as error:
        print(f"dependency audit: {error}", file=sys.stderr)
        return 1
    if not pins:
        print("dependency audit: no pins found in " + ", ".join(map(str, paths)),
              file=sys.stderr)
        return 1
    python = args.python or project_python()
    exceptions, problems = load_exceptions(args.exceptions)
    try:
        report = audit(pins, exceptions, fetch or fetch_from_index,
                       today=today or dt.date.today(), python=python,
                       max_age_days=args.max_age_days)
    except IndexUnreachable as error:
        print(f"dependency audit: the package index could not be reached ({error}). "
              "The audit did not run; this is a failure, not a pass.", file=sys.stderr)
        return 2
    report.exception_problems = problems + report.exception_problems
    report.strict = args.strict
    if args.json:
        print(json.dumps({**report.figures(), "python": str(python),
                          "not_latest": report.outdated_reviewed,
                          "newest_for_python": report.held_by_python,
                          "needs_review": report.needs_review,
                          "failures": report.failures}, indent=2))
    else:
        print(render(report, python))
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
