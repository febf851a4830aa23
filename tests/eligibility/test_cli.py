"""The command contract (README 1): ``run(argv, stdin, stdout, stderr)`` and ``python -m``."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from eligibility.engine.cli import run
from tests.eligibility.builders import EXAMPLES, facts_with

ROOT = Path(__file__).resolve().parents[2]
HAITIAN = EXAMPLES / "haitian-tps-between-ports-day3.facts.json"


class BinaryStdin(io.StringIO):
    """A text stdin whose ``buffer`` holds the bytes, like ``sys.stdin``."""

    def __init__(self, data: bytes) -> None:
        super().__init__()
        self.buffer = io.BytesIO(data)


def invoke(argv, stdin_text=""):
    stdin = BinaryStdin(stdin_text.encode("utf-8"))
    stdout, stderr = io.StringIO(), io.StringIO()
    code = run(argv, stdin, stdout, stderr)
    return code, stdout.getvalue(), stderr.getvalue()


def test_good_file_prints_one_assessment_and_exits_0():
    code, out, err = invoke([str(HAITIAN)])
    assert code == 0 and err == ""
    assessment = json.loads(out)
    assert assessment["stca"] == {"applies": True, "exception": None}
    assert set(assessment["pathways"]) == {
        "refugee_claim",
        "prra",
        "humanitarian",
        "citizenship",
        "spousal_sponsorship",
        "family_sponsorship",
        "express_entry",
        "provincial_nominee",
        "temporary_residence",
    }


def test_stdin_dash():
    code, out, err = invoke(["-"], HAITIAN.read_text(encoding="utf-8"))
    assert code == 0 and err == ""
    assert json.loads(out)["screening_date"] == "2026-11-22"


def test_plain_text_stdin_without_buffer_also_works():
    stdout, stderr = io.StringIO(), io.StringIO()
    code = run(["-"], io.StringIO(HAITIAN.read_text(encoding="utf-8")), stdout, stderr)
    assert code == 0 and json.loads(stdout.getvalue())["rules_version"] == "2026-11-22"


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        (
            "{bad",
            [
                "invalid facts: malformed JSON: Expecting property name enclosed in double quotes "
                "at line 1 column 2"
            ],
        ),
        ("", ["invalid facts: malformed JSON: Expecting value at line 1 column 1"]),
        ('{"screening_date": NaN}', ["invalid facts: malformed JSON: NaN is not valid JSON"]),
        ("[]", ["invalid facts: [] is not of type 'object'"]),
        (
            json.dumps(facts_with({"/plan/entry_date": "2026-13-01"})),
            ["invalid facts: /plan/entry_date: '2026-13-01' is not a 'date'"],
        ),
        (
            json.dumps(facts_with({"/screening_date": "2026-02-30"})),
            ["invalid facts: /screening_date: '2026-02-30' is not a 'date'"],
        ),
        (
            json.dumps(facts_with({"/person/date_of_birth": 1990})),
            [
                "invalid facts: /person/date_of_birth: "
                "1990 is not valid under any of the given schemas"
            ],
        ),
        (
            json.dumps(facts_with({"/person/stateless": "no"})),
            ["invalid facts: /person/stateless: 'no' is not of type 'boolean', 'null'"],
        ),
        (
            json.dumps(facts_with({"/person/nickname": "x"})),
            [
                "invalid facts: /person: "
                "Additional properties are not allowed ('nickname' was unexpected)"
            ],
        ),
        (
            json.dumps(facts_with({"/favourite_colour": "x"})),
            [
                "invalid facts: Additional properties are not allowed "
                "('favourite_colour' was unexpected)"
            ],
        ),
        (
            json.dumps(
                facts_with({"/plan/entry_date": "2026-12-20", "/plan/claim_date": "2026-12-19"})
            ),
            [
                "invalid facts: /plan/claim_date: "
                "claim_date 2026-12-19 is before entry_date 2026-12-20"
            ],
        ),
    ],
    ids=[
        "malformed",
        "empty",
        "nan",
        "not-an-object",
        "month-13",
        "30-february",
        "wrong-type",
        "wrong-type-boolean",
        "unknown-nested-field",
        "unknown-top-field",
        "claim-before-entry",
    ],
)
def test_errors_print_one_line_each_nothing_on_stdout_and_exit_2(text, lines):
    code, out, err = invoke(["-"], text)
    assert code == 2
    assert out == ""
    assert err.splitlines() == lines
    assert "Traceback" not in err


def test_several_errors_give_several_lines_sorted_by_path():
    facts = facts_with(
        {
            "/screening_date": "2026-02-30",
            "/plan/entry_date": "2026-13-01",
            "/person/stateless": True,
        }
    )
    code, out, err = invoke(["-"], json.dumps(facts))
    assert code == 2 and out == ""
    assert err.splitlines() == [
        "invalid facts: /person/stateless: stateless is true but citizenships is not empty",
        "invalid facts: /plan/entry_date: '2026-13-01' is not a 'date'",
        "invalid facts: /screening_date: '2026-02-30' is not a 'date'",
    ]


def test_unreadable_file(tmp_path):
    missing = tmp_path / "absent.json"
    code, out, err = invoke([str(missing)])
    assert (code, out) == (2, "")
    assert err == f"invalid facts: cannot read {missing}: No such file or directory\n"


def test_directory_is_unreadable(tmp_path):
    code, out, err = invoke([str(tmp_path)])
    assert (code, out) == (2, "")
    assert err.startswith("invalid facts: cannot read ") and len(err.splitlines()) == 1


def test_non_utf8_file(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes('{"schema": "é"}'.encode("latin-1"))
    code, out, err = invoke([str(path)])
    assert (code, out) == (2, "")
    assert err == f"invalid facts: cannot read {path}: not UTF-8 text\n"


def test_usage_errors():
    assert invoke([])[0] == 2
    assert invoke(["a.json", "b.json"])[0] == 2
    code, out, _ = invoke(["--help"])
    assert code == 0 and out.startswith("usage:")


def test_python_dash_m_entry_point(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "eligibility.engine.cli", str(HAITIAN)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["stca"]["applies"] is True
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(facts_with({"/plan/entry_date": "2026-13-01"})), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "eligibility.engine.cli", str(bad)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "invalid facts: /plan/entry_date: '2026-13-01' is not a 'date'\n"
