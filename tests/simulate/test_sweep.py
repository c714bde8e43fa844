"""Sweeps: every cell computed once, stored by the hash of its inputs, resumed from storage."""

from __future__ import annotations

import pytest

from guarantor.config import Settings
from guarantor.services.sweep import SweepRequest, run_sweep


def test_sweep_computes_once_then_reads_back(tmp_path):
    settings = Settings(db_url=f"sqlite:///{tmp_path / 'sweep.db'}")
    request = SweepRequest(
        instruments=("article5-like", "istanbul-2022"),
        vary=("us_backstop",),
        draws=1500,
        shapley_draws=30,
        workers=2,
    )
    first = run_sweep(settings, request)
    assert len(first) == 4 and not any(row.cached for row in first)
    assert len({row.inputs_hash for row in first}) == 4
    again = run_sweep(settings, request)
    assert all(row.cached for row in again)
    assert [r.result["holds"] for r in again] == [r.result["holds"] for r in first]
    # The attacker's veto leaves the Istanbul cells where the defender stands alone,
    # whatever the backstop; Article 5-like is better with the backstop than without.
    by_cell = {
        (r.instrument, r.assumptions["us_backstop"]): r.result["holds"]["value"] for r in first
    }
    assert by_cell[("istanbul-2022", True)] == by_cell[("istanbul-2022", False)]
    assert by_cell[("article5-like", True)] >= by_cell[("article5-like", False)]


def test_a_new_seed_is_a_new_cell(tmp_path):
    settings = Settings(db_url=f"sqlite:///{tmp_path / 'sweep.db'}")
    base = SweepRequest(
        instruments=("budapest-like",), vary=(), draws=500, shapley_draws=10, workers=1
    )
    run_sweep(settings, base)
    other = run_sweep(settings, SweepRequest(**{**base.__dict__, "seed": 7}))
    assert not other[0].cached


# Ray starts its processes with fork/exec; when another test has imported JAX into this
# pytest process, JAX warns at the fork (its threads are not used by Ray's children).
@pytest.mark.filterwarnings("ignore:os.fork\\(\\) was called:RuntimeWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_sweep_on_a_local_ray_cluster(tmp_path, monkeypatch):
    """The same cells through Ray as through local processes (the 'ray' extra)."""
    pytest.importorskip("ray", reason="the Ray path needs the optional 'ray' extra")
    monkeypatch.setenv("RAY_AUTH_MODE", "disabled")
    settings = Settings(db_url=f"sqlite:///{tmp_path / 'sweep.db'}")
    request = SweepRequest(
        instruments=("budapest-like",), vary=("us_backstop",), draws=400, shapley_draws=10, ray=True
    )
    through_ray = run_sweep(settings, request)
    local = run_sweep(
        Settings(db_url=f"sqlite:///{tmp_path / 'local.db'}"),
        SweepRequest(**{**request.__dict__, "ray": False}),
    )
    assert [r.result["holds"] for r in through_ray] == [r.result["holds"] for r in local]
    assert [r.inputs_hash for r in through_ray] == [r.inputs_hash for r in local]
