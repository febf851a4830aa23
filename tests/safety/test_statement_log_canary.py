"""The canary sweep, extended to PostgreSQL's own statement log (issue 8, "Data").

A private cluster (never the shared server) logs every statement with its bound parameters
(``log_statement=all``, ``log_min_duration_statement=0``, ``log_parameter_max_length=-1``;
Django's psycopg 3 backend binds on the client, so values are inline in each statement) to a
file. The canary's flows (``tests/safety/canary_flows.py``: 200 clients with markers in every
personal field, intake pages and POSTs, notes, search, consent, referral send and delivery, the
partner portal, every statistics export format, the HSDS export) run against it in a separate
process. Then the statement log, the process's own log, the e-mails it sent, its media and
every exported file are swept: 0 markers. Positive controls: a marker sent to PostgreSQL on
purpose is found in the log (as a bound parameter and as a literal), a published
organisation name is found in every export, and the app shows the markers to staff.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.canary import found_markers
from tests.private_services import ROOT, django_env, migrate
from tests.safety.canary_flows import (
    CLIENTS,
    CONTROL_LITERAL,
    CONTROL_PARAMETER,
    PUBLISHED_MARKER,
)

pytestmark = [pytest.mark.fault, pytest.mark.slow]


def tree_text(directory) -> str:
    return "\n".join(f"{path}\n{path.read_bytes().decode('latin-1')}"
                     for path in sorted(directory.rglob("*")) if path.is_file())


def test_no_marker_in_the_postgresql_statement_log(private_postgres, tmp_path):
    url = private_postgres.create_database("canary_statements")
    media, sink = tmp_path / "media", tmp_path / "sink"
    media.mkdir()
    sink.mkdir()
    env = django_env(url, DJANGO_SETTINGS_MODULE="tests.safety.process_settings",
                     MEDIA_ROOT=str(media), MAIL_SINK_DIR=str(sink), LOG_LEVEL="DEBUG")
    migrate(url, env)
    out = tmp_path / "flows" / "result.json"
    out.parent.mkdir()
    with open(tmp_path / "app.log", "wb") as app_log:
        finished = subprocess.run([sys.executable, "-m", "tests.safety.canary_flows", str(out)],
                                  cwd=ROOT, env=env, stdout=app_log, stderr=subprocess.STDOUT,
                                  timeout=1200, check=False)
    app_text = (tmp_path / "app.log").read_text(errors="replace")
    assert finished.returncode == 0, app_text[-4000:]
    result = json.loads(out.read_text())
    markers = result["markers"]
    assert len(set(markers)) == len(markers) == CLIENTS * 11
    statement_log = private_postgres.log_text()

    # Positive controls: the log holds statements with their parameters, and the search finds
    # a marker that was sent on purpose.
    assert f"SELECT '{CONTROL_LITERAL}'" in statement_log
    assert CONTROL_PARAMETER in statement_log
    assert 'INSERT INTO "intake_client"' in statement_log
    assert "ns1:" in statement_log  # the ciphertext reached the log, the plaintext did not

    assert found_markers(statement_log, markers) == []
    assert found_markers(app_text, markers) == []
    assert found_markers(tree_text(sink), markers) == []
    assert found_markers(tree_text(media), markers) == []
    exported = {path.name: path.read_text(errors="replace") for path in out.parent.iterdir()
                if path.name != "result.json"}
    assert sorted(exported) == ["export.csv.txt", "export.json.txt", "export.xlsx.txt",
                                "hsds.json", "stored.csv", "stored.json", "stored.xlsx"]
    for name, text in exported.items():
        assert found_markers(text, markers) == [], name

    # The flows really ran: every request answered, the referrals went out, the exports were
    # built, a published name is in every export, and staff saw the markers.
    assert [r for r in result["responses"] if r[1] >= 400] == []
    assert (result["sent"], result["delivered"]) == (5, 5)
    assert result["exports"] == {"csv": "ready", "xlsx": "ready", "json": "ready"}
    for name in ("export.csv.txt", "export.json.txt", "export.xlsx.txt", "hsds.json"):
        assert PUBLISHED_MARKER in exported[name], name
    assert len(result["shown"]) >= 10 * 8
    print(f"\nstatement log: {len(statement_log.splitlines())} lines, "
          f"{statement_log.count('ns1:')} ciphertexts, {len(markers)} markers, "
          f"0 found; {len(exported)} exported files, 0 found")
