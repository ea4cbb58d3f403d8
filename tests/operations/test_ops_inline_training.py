"""Training steps run inside on_timer (no heap entry while nothing can come between) against
the same run with every phase through the heap: identical results, event counts included."""

from __future__ import annotations

import dataclasses

import pytest
from ops_cases import mixed_workloads, orbiting_fleet

import skydc.operations.engine as engine
from skydc.operations.engine import simulate
from skydc.operations.faults import FaultModel


def _run(inline: bool, monkeypatch: pytest.MonkeyPatch, **kwargs):  # type: ignore[no-untyped-def]
    setup = engine._EventLoop.setup

    def setup_heap_only(self, workloads):  # type: ignore[no-untyped-def]
        setup(self, workloads)
        self.inline_training = False

    with monkeypatch.context() as patch:
        if not inline:
            patch.setattr(engine._EventLoop, "setup", setup_heap_only)
        nodes, env = orbiting_fleet(horizon_s=3 * 5700.0)
        return simulate(nodes, env, mixed_workloads(), **kwargs)


@pytest.mark.parametrize("policy", ["power-aware", "greedy"])
def test_inline_steps_change_nothing(policy: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Eclipses (throttle changes mid-step), crashes, silent corruption and link outages
    interrupt the steps; every result, time series and timeline is the same."""
    faults = FaultModel(
        ue_per_device_day=2.0, sdc_per_device_day=2.0, link_outage_per_node_day=4.0,
        link_outage_s=120.0,
    )  # fmt: skip
    kwargs = dict(policy=policy, faults=faults, seed=5, inference_model="batched")
    fast = _run(True, monkeypatch, **kwargs)
    slow = _run(False, monkeypatch, **kwargs)
    assert fast.training[0].steps_committed > 100  # many steps ran
    for field in dataclasses.fields(fast):
        if field.name in ("wall_s", "events_per_s"):
            continue
        a, b = getattr(fast, field.name), getattr(slow, field.name)
        if field.name in ("timeseries", "timeline"):
            assert a.equals(b), field.name
        else:
            assert a == b, field.name


def test_event_inference_model_keeps_every_phase_in_the_heap() -> None:
    """The event model's arrivals are outside the heap: no phase is run inline."""
    nodes, env = orbiting_fleet()
    seen: list[int] = []
    build = engine.build_result

    def spy(sim, *args):  # type: ignore[no-untyped-def]
        seen.append(sim.inline_events)
        return build(sim, *args)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(engine, "build_result", spy)
        simulate(nodes, env, mixed_workloads(), inference_model="event")
        simulate(nodes, env, mixed_workloads(), inference_model="batched")
    assert seen[0] == 0 and seen[1] > 0
