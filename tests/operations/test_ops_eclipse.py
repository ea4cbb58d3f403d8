"""A training job on one satellite through one eclipse: completion times by hand.

The satellite (``ops_cases.ECLIPSE_NODE``) draws 200 W (bus) + 1000 W (IT at full rate) from a
2000 W array in sunlight; in the eclipse from 1000 s to 3000 s its 500 Wh = 1.8 MJ battery
carries the load. The job is 500 steps of 10 s each at full rate (5000 s of work); it
checkpoints at the first step boundary after every 600 s and restarts in 60 s.
"""

from __future__ import annotations

import pytest
from ops_cases import ECLIPSE_ENV, ECLIPSE_JOB, ECLIPSE_NODE

from skydc.operations.engine import simulate

one_microsecond = 1e-6
one_joule_fraction = 1e-9  # of a 1.8 MJ battery


def test_power_aware_completion_by_hand() -> None:
    """Power-aware throttles to u = (1.8 MJ / 2000 s - 200 W) / 1000 W = 0.7 for the eclipse.

    Work by 1000 s: 1000 s-equivalent; 1000-3000 s at 0.7: 1400; the remaining 2600 at full
    rate end at 3000 + 2600 = 5600 s. The battery reaches its minimum exactly at 3000 s and
    the node never stops, so nothing is lost.
    """
    result = simulate([ECLIPSE_NODE], ECLIPSE_ENV, [ECLIPSE_JOB], policy="power-aware")
    job = result.training[0]
    assert job.completed
    assert job.completion_s == pytest.approx(5600.0, abs=one_microsecond)
    assert job.ledger.lost_flops == 0
    assert job.ledger.useful_flops == ECLIPSE_JOB.total_flops == 500 * 10**16
    assert job.crashes == 0
    series = result.timeseries.to_pydict()
    assert series["throttle_mean"][1] == pytest.approx(0.7, rel=1e-12)  # bin 1000-3000 s
    assert series["soc_min"][2] == pytest.approx(0.0, abs=one_joule_fraction)  # at 3000 s
    assert result.availability == 1.0


def test_greedy_completion_by_hand() -> None:
    """Greedy runs at 1200 W from the battery: empty after 1.8 MJ / 1200 W = 1500 s, at 2500 s.

    Checkpoints at 600, 1200, 1800, 2400 s (every 60 steps); the 10 steps since 2400 s (1e17
    FLOP) are lost. The array carries the full load again at 3000 s; after the 60 s restart
    the remaining 260 steps (2600 s) end at 3060 + 2600 = 5660 s.
    """
    result = simulate([ECLIPSE_NODE], ECLIPSE_ENV, [ECLIPSE_JOB], policy="greedy")
    job = result.training[0]
    assert job.completion_s == pytest.approx(5660.0, abs=one_microsecond)
    assert job.ledger.lost_flops == 10 * 10**16
    assert job.ledger.issued_flops == 510 * 10**16
    assert job.ledger.balanced
    assert job.crashes == 1
    assert job.checkpoints == 4 + 5  # 4 before the stop; 3660, 4260, 4860, 5460, 5660 after
    events = result.timeline.to_pydict()
    down = events["t_s"][events["event"].index("node_down")]
    assert down == pytest.approx(2500.0, abs=one_microsecond)
    up = events["t_s"][events["event"].index("node_up")]
    assert up == 3000.0
    assert result.availability == pytest.approx(1.0 - 500.0 / 10000.0)


def test_power_aware_beats_greedy_through_the_eclipse() -> None:
    """The throttled run finishes 60 s earlier: the restart, with no work redone."""
    aware = simulate([ECLIPSE_NODE], ECLIPSE_ENV, [ECLIPSE_JOB], policy="power-aware")
    greedy = simulate([ECLIPSE_NODE], ECLIPSE_ENV, [ECLIPSE_JOB], policy="greedy")
    saved = greedy.training[0].completion_s - aware.training[0].completion_s
    assert saved == pytest.approx(60.0, abs=one_microsecond)
    assert aware.goodput == pytest.approx(greedy.goodput)  # the same useful work in the run
