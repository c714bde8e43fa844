"""The notebook API works without the CLI and opens nothing at import time."""

from __future__ import annotations

import subprocess
import sys

import guarantor


def test_import_opens_no_database_and_no_cli():
    code = (
        "import sys, guarantor; "
        "print(sorted(m for m in ('sqlalchemy', 'typer', 'rich', 'matplotlib', 'alembic') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_load_package_assess():
    scenario = guarantor.load_scenario("ukraine-2025")
    package = guarantor.package_of(scenario)
    result = guarantor.assess(package, guarantor.load_requirement("reassurance"))
    frame = result.to_frame()
    assert "land" in frame.index
    assert result.to_dict()["requirement"] == "reassurance"
    harder = guarantor.assess(
        guarantor.package_of(scenario, {"us_backstop": False}),
        guarantor.load_requirement("reassurance"),
    )
    assert harder.coverage[0].offered < result.coverage[0].offered


def test_explicit_assumptions_win_over_the_posture():
    scenario = guarantor.load_scenario("ukraine-2025")
    deterrence = guarantor.load_requirement("deterrence")
    default = guarantor.assess(guarantor.package_of(scenario), deterrence)
    assert any("no_combat_role" in e.unmet for e in default.excluded)
    overridden = guarantor.assess(
        guarantor.package_of(scenario, {"combat_role": False}), deterrence
    )
    assert not any("no_combat_role" in e.unmet for e in overridden.excluded)
    assert overridden.assumptions["combat_role"] is False
