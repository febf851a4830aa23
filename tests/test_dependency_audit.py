"""The decision logic of ``scripts/dependency_audit.py`` (``make audit``), with canned answers
of the package index: no network. The real run's figures are in docs/SECURITY.md."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
import urllib.error
from pathlib import Path

import pytest
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("dependency_audit",
                                              ROOT / "scripts" / "dependency_audit.py")
audit_module = importlib.util.module_from_spec(spec)
sys.modules["dependency_audit"] = audit_module
spec.loader.exec_module(audit_module)

TODAY = dt.date(2026, 12, 1)
PY311 = Version("3.11.7")


def files(*, yanked=(False,), requires=None, reason=None):
    return [{"filename": f"f{n}.whl", "yanked": flag, "yanked_reason": reason if flag else None,
             "requires_python": requires} for n, flag in enumerate(yanked)]


def package(latest, releases, vulnerabilities=()):
    return {"info": {"version": latest}, "releases": releases,
            "vulnerabilities": list(vulnerabilities)}


ADVISORY = {"id": "PYSEC-2026-1", "aliases": ["CVE-2026-0001"], "fixed_in": ["2.0.1"],
            "link": "https://osv.dev/vulnerability/PYSEC-2026-1", "withdrawn": None}
WITHDRAWN = {"id": "PYSEC-2025-9", "aliases": [], "fixed_in": [], "link": "",
             "withdrawn": "2025-10-01T00:00:00Z"}

INDEX = {
    "fresh": package("1.2.0", {"1.1.0": files(), "1.2.0": files(), "1.3.0rc1": files()}),
    "withdrawn-only": package("3.0", {"3.0": files()}, [WITHDRAWN]),
    "vulnerable": package("2.0.0", {"1.9.0": files(), "2.0.0": files()}, [ADVISORY, WITHDRAWN]),
    "yanked": package("5.1", {"5.0": files(yanked=(True, True), reason="broken wheel"),
                              "5.1": files()}),
    "partly-yanked": package("6.0", {"6.0": files(yanked=(True, False))}),
    "old": package("4.2.0", {"4.1.0": files(), "4.2.0": files()}),
    "old-reviewed": package("7.1", {"7.0": files(), "7.1": files()}),
    "old-wrong-version": package("8.1", {"8.0": files(), "8.1": files()}),
    "old-expired": package("9.1", {"9.0": files(), "9.1": files()}),
    "old-future": package("10.1", {"10.0": files(), "10.1": files()}),
    "needs-312": package("3.0", {"2.4": files(requires=">=3.10"),
                                 "2.5": files(requires=">=3.11"),
                                 "3.0": files(requires=">=3.12")}),
    "behind-on-311": package("3.0", {"2.4": files(requires=">=3.10"),
                                     "2.5": files(requires=">=3.11"),
                                     "3.0": files(requires=">=3.12")}),
    "py312-only": package("1.0", {"1.0": files(requires=">=3.12")}),
    "stale-exception": package("1.0", {"1.0": files()}),
    "missing-release": package("2.0", {"2.0": files()}),
}
PINS = {"fresh": "1.2.0", "withdrawn-only": "3.0", "vulnerable": "2.0.0", "yanked": "5.0",
        "partly-yanked": "6.0", "old": "4.1.0", "old-reviewed": "7.0",
        "old-wrong-version": "8.0", "old-expired": "9.0", "old-future": "10.0",
        "needs-312": "2.5", "behind-on-311": "2.4", "py312-only": "1.0",
        "stale-exception": "1.0", "missing-release": "1.0", "not-on-index": "0.1"}
EXCEPTIONS = """
[[exception]]
name = "Old_Reviewed"
pinned = "7.0"
reason = "7.1 changes the wire format; the upgrade needs the partner sync tested."
reviewed = 2026-11-20

[[exception]]
name = "old-wrong-version"
pinned = "7.9"
reason = "reviewed for an earlier pin"
reviewed = 2026-11-20

[[exception]]
name = "old-expired"
pinned = "9.0"
reason = "reviewed long ago"
reviewed = 2026-09-01

[[exception]]
name = "old-future"
pinned = "10.0"
reason = "dated tomorrow"
reviewed = 2026-12-02

[[exception]]
name = "stale-exception"
pinned = "1.0"
reason = "1.0 is the latest: nothing to excuse"
reviewed = 2026-11-20

[[exception]]
name = "no-longer-pinned"
pinned = "1.0"
reason = "the package was removed"
reviewed = 2026-11-20
"""


def canned_fetch(name):
    return INDEX.get(name, {})


def pins_of(versions: dict[str, str]):
    return {name: audit_module.Pin(name, version, ["base.txt"])
            for name, version in versions.items()}


@pytest.fixture
def exceptions(tmp_path):
    path = tmp_path / "audit-exceptions.toml"
    path.write_text(EXCEPTIONS, encoding="utf-8")
    loaded, problems = audit_module.load_exceptions(path)
    assert problems == []
    return loaded


def test_every_rule_decides_its_case(exceptions):
    report = audit_module.audit(pins_of(PINS), exceptions, canned_fetch, today=TODAY,
                                python=PY311)
    assert report.checked == sorted(PINS)
    assert report.vulnerable == [
        "vulnerable==2.0.0: advisory PYSEC-2026-1, CVE-2026-0001 (latest 2.0.0 affected; fixed "
        "in 2.0.1) https://osv.dev/vulnerability/PYSEC-2026-1"]
    assert report.yanked == ["yanked==5.0: yanked (broken wheel)"]
    assert report.unknown == ["missing-release==1.0: no such release on the index",
                              "not-on-index==0.1: not on the index"]
    assert report.incompatible == ["py312-only==1.0: does not install on Python 3.11.7"]
    assert report.outdated_unreviewed == [
        "behind-on-311==2.4: not the newest release for Python 3.11.7 (2.5); upgrade, or add "
        "a reviewed exception to requirements/audit-exceptions.toml",
        "old==4.1.0: not the newest release for Python 3.11.7 (4.2.0); upgrade, or add a "
        "reviewed exception to requirements/audit-exceptions.toml",
        "yanked==5.0: not the newest release for Python 3.11.7 (5.1); upgrade, or add a "
        "reviewed exception to requirements/audit-exceptions.toml"]
    assert report.outdated_reviewed == [{
        "name": "old-reviewed", "pinned": "7.0", "newest": "7.1", "reviewed": "2026-11-20",
        "reason": "7.1 changes the wire format; the upgrade needs the partner sync tested."}]
    assert report.held_by_python == [{"name": "needs-312", "pinned": "2.5", "latest": "3.0"}]
    assert report.stale_exceptions == [
        "old-expired: exception reviewed 2026-09-01, 91 days ago (more than 90); review again"]
    assert report.exception_problems == [
        "old-future: review date 2026-12-02 is in the future",
        "old-wrong-version: the exception is for 7.9, the pin is 8.0; review again",
        "stale-exception: exception no longer needed (1.0 is the newest release for Python "
        "3.11.7); remove it",
        "no-longer-pinned: exception for a package that is not pinned"]
    assert report.figures() == {
        "pins_checked": 16, "vulnerable": 1, "yanked": 1, "not_on_index": 2,
        "incompatible": 1, "newest_for_python_not_latest": 1, "not_latest_unreviewed": 3,
        "not_latest_reviewed": 1, "exception_problems": 4, "stale_exceptions": 1}
    # Without --strict, a pin behind the newest release or a stale review is reported for
    # review but does not fail (an unrelated upstream release must not stop CI); with it, it does.
    assert report.needs_review == report.outdated_unreviewed + report.stale_exceptions
    assert len(report.failures) == 1 + 1 + 2 + 1 + 4
    report.strict = True
    assert len(report.failures) == 1 + 1 + 2 + 1 + 4 + 3 + 1


def test_a_clean_set_of_pins_passes():
    report = audit_module.audit(
        pins_of({"fresh": "1.2.0", "withdrawn-only": "3.0", "partly-yanked": "6.0",
                 "needs-312": "2.5"}), {}, canned_fetch, today=TODAY, python=PY311)
    assert report.failures == []
    assert report.figures()["pins_checked"] == 4


def test_on_a_newer_python_the_newest_release_is_the_one_to_be_on():
    report = audit_module.audit(pins_of({"needs-312": "2.5"}), {}, canned_fetch, today=TODAY,
                                python=Version("3.12.1"))
    assert report.held_by_python == []
    assert report.outdated_unreviewed == [
        "needs-312==2.5: not the newest release for Python 3.12.1 (3.0); upgrade, or add a "
        "reviewed exception to requirements/audit-exceptions.toml"]


def test_pins_are_read_from_pip_compile_output(tmp_path):
    base = tmp_path / "base.txt"
    base.write_text("# comment\n-r other.in\n--index-url https://pypi.org/simple\n"
                    "Django==5.2.19\n    # via -r requirements/base.in\n"
                    "psycopg[binary]==3.3.9 ; python_version >= '3.11'\n"
                    "zope.interface==8.0 \\\n    --hash=sha256:abc\n"
                    "requests>=2  # not a pin\n", encoding="utf-8")
    test = tmp_path / "test.txt"
    test.write_text("django==5.2.19\nPyYAML==6.0.4\n", encoding="utf-8")
    pins = audit_module.read_pins([base, test])
    assert {name: (pin.version, pin.files) for name, pin in pins.items()} == {
        "django": ("5.2.19", ["base.txt", "test.txt"]),
        "psycopg": ("3.3.9", ["base.txt"]),
        "zope-interface": ("8.0", ["base.txt"]),
        "pyyaml": ("6.0.4", ["test.txt"])}
    test.write_text("django==5.2.18\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"django: 5\.2\.19 in base\.txt, 5\.2\.18 in test\.txt"):
        audit_module.read_pins([base, test])


@pytest.mark.parametrize(("text", "problem"), [
    ("[[exception]\nname=", "audit-exceptions.toml: not valid TOML"),
    ('[[exception]]\nname = "x"\npinned = "1"\nreviewed = 2026-11-01\n',
     "audit-exceptions.toml: exception #1 lacks reason"),
    ('[[exception]]\nname = "x"\npinned = "1"\nreason = "r"\nreviewed = "2026-11-01"\n',
     "audit-exceptions.toml: exception x: reviewed must be a date (YYYY-MM-DD, unquoted)"),
    ('[[exception]]\nname = "x"\npinned = "1"\nreason = "r"\nreviewed = 2026-11-01\n' * 2,
     "audit-exceptions.toml: x has two exceptions"),
])
def test_a_malformed_exceptions_file_is_a_finding(tmp_path, text, problem):
    path = tmp_path / "audit-exceptions.toml"
    path.write_text(text, encoding="utf-8")
    _, problems = audit_module.load_exceptions(path)
    assert len(problems) == 1 and problems[0].startswith(problem)


def run_main(tmp_path, capsys, pins: str, fetch, exceptions: str = ""):
    requirements = tmp_path / "base.txt"
    requirements.write_text(pins, encoding="utf-8")
    exceptions_path = tmp_path / "audit-exceptions.toml"
    exceptions_path.write_text(exceptions, encoding="utf-8")
    code = audit_module.main([str(requirements), "--exceptions", str(exceptions_path),
                              "--python", "3.11.7"], fetch=fetch, today=TODAY)
    out, err = capsys.readouterr()
    return code, out, err


def test_exit_code_0_when_clean_1_with_findings(tmp_path, capsys):
    code, out, _ = run_main(tmp_path, capsys, "fresh==1.2.0\nneeds-312==2.5\n", canned_fetch)
    assert code == 0
    assert out.splitlines()[-2:] == [
        "pins checked: 2, vulnerable: 0, yanked: 0, not on the index: 0, not for Python "
        "3.11.7: 0, not the newest: 0 (0 reviewed, 0 not), exception problems: 0, stale "
        "exceptions: 0",
        "dependency audit: passed"]
    code, out, _ = run_main(tmp_path, capsys, "vulnerable==2.0.0\n", canned_fetch)
    assert code == 1
    assert out.splitlines()[:2] == ["VULNERABLE:", "  vulnerable==2.0.0: advisory "
                                    "PYSEC-2026-1, CVE-2026-0001 (latest 2.0.0 affected; fixed "
                                    "in 2.0.1) https://osv.dev/vulnerability/PYSEC-2026-1"]
    assert out.splitlines()[-1] == "dependency audit: FAILED"


def test_a_pin_behind_the_newest_release_needs_review_and_fails_only_when_strict(
        tmp_path, capsys):
    code, out, _ = run_main(tmp_path, capsys, "old==4.1.0\n", canned_fetch)
    assert code == 0
    assert out.splitlines()[:2] == [
        "NEEDS REVIEW (a failure with --strict, make audit-strict):",
        "  old==4.1.0: not the newest release for Python 3.11.7 (4.2.0); upgrade, or add a "
        "reviewed exception to requirements/audit-exceptions.toml"]
    requirements = tmp_path / "base.txt"
    code = audit_module.main([str(requirements), "--exceptions",
                              str(tmp_path / "audit-exceptions.toml"), "--python", "3.11.7",
                              "--strict"], fetch=canned_fetch, today=TODAY)
    out, _ = capsys.readouterr()
    assert code == 1
    assert out.splitlines()[0] == "NEEDS REVIEW:"
    assert out.splitlines()[-1] == "dependency audit: FAILED"


def test_an_unreachable_index_is_exit_code_2_never_a_pass(tmp_path, capsys):
    def unreachable(name):
        raise audit_module.IndexUnreachable(f"https://pypi.org/pypi/{name}/json: timed out")

    code, out, err = run_main(tmp_path, capsys, "fresh==1.2.0\n", unreachable)
    assert code == 2
    assert out == ""
    assert err == ("dependency audit: the package index could not be reached "
                   "(https://pypi.org/pypi/fresh/json: timed out). The audit did not run; "
                   "this is a failure, not a pass.\n")


def test_an_answer_without_releases_is_exit_code_2(tmp_path, capsys):
    code, _, err = run_main(tmp_path, capsys, "fresh==1.2.0\n",
                            lambda name: {"info": {"version": "1.2.0"}})
    assert code == 2
    assert "the index's answer lacks releases or info.version" in err


def test_no_pins_is_a_failure(tmp_path, capsys):
    code, _, err = run_main(tmp_path, capsys, "# nothing pinned\n", canned_fetch)
    assert code == 1
    assert "no pins found" in err


def test_network_errors_become_index_unreachable_and_404_means_not_on_the_index(monkeypatch):
    monkeypatch.setattr(audit_module.time, "sleep", lambda seconds: None)
    calls = []

    def refused(request, timeout):
        calls.append(request.full_url)
        raise urllib.error.URLError("Name or service not known")

    monkeypatch.setattr(audit_module.urllib.request, "urlopen", refused)
    with pytest.raises(audit_module.IndexUnreachable,
                       match=r"https://pypi.org/pypi/django/json: .*Name or service not known"):
        audit_module.fetch_from_index("django")
    assert calls == ["https://pypi.org/pypi/django/json"] * 3

    def not_found(request, timeout):
        raise urllib.error.HTTPError(request.full_url, 404, "Not Found", {}, None)

    monkeypatch.setattr(audit_module.urllib.request, "urlopen", not_found)
    assert audit_module.fetch_from_index("no-such-package") == {}


def test_the_repository_exceptions_file_is_well_formed():
    exceptions, problems = audit_module.load_exceptions(
        ROOT / "requirements" / "audit-exceptions.toml")
    assert problems == []
    assert all(len(item.reason) > 40 for item in exceptions.values())
