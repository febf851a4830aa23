"""An app process that has not been restarted with the new keyring yet (a deploy under way):
it still encrypts with the old key. Used by ``test_rotation_under_load.py``.

    python -m tests.safety.rotation_stale_writer SPEC.json OUT.json
    (DJANGO_SETTINGS_MODULE=tests.safety.stale_key_settings)

SPEC: {"actor": user id, "cases": [case ids], "actions": n}. Does n actions, one after another,
through the intake services, each an intake contact step saved (edits rows written long ago,
which the rotator may have passed already) and a note added. Touches OUT + ".started" after
the first, then writes to OUT the key it used, the notes it added and each case's last contact
notes.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def contact_step(case, actor, notes: str) -> None:
    from intake.services import case_step_save
    from intake.step_forms import build_parts
    from intake.steps import STEP_BY_SLUG
    from tests.intake.intake_helpers import step_post

    step = STEP_BY_SLUG["contact"]
    post = step_post("contact", {"client": {"contact_method": "phone",
                                            "contact_details": "+1 555 0100 4411",
                                            "contact_notes": notes, "us_state": "NY"}})
    result = case_step_save(actor=actor, case=case, step=step,
                            parts=build_parts(step, {}, post))
    assert result.complete, result


def main(spec_path: Path, out: Path) -> None:
    import django

    django.setup()
    from intake.models import Case
    from intake.services import note_add
    from northstar.accounts.models import User
    from northstar.security.keyring import get_keyring

    spec = json.loads(spec_path.read_text())
    actor = User.objects.get(pk=spec["actor"])
    cases = list(Case.objects.filter(pk__in=spec["cases"]).order_by("pk"))
    notes, contacts = [], {}
    for index in range(spec["actions"]):
        case = cases[index % len(cases)]
        contact = f"Stale contact {index:03d}"
        contact_step(case, actor, contact)
        contacts[case.pk] = contact
        body = f"Stale note {index:03d}"
        note_add(actor=actor, case=case, body=body)
        notes.append([case.pk, body])
        if index == 0:
            Path(f"{out}.started").touch()
        time.sleep(0.05)
    out.write_text(json.dumps({"key": get_keyring().active_id, "notes": notes,
                               "contacts": contacts}))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
