"""Operations benchmark: simulated events per second, and the same queue under SimPy.

(a) Default-like case: 400 satellite nodes (Walker 53 deg: 400/20/1 at 550 km, sunlit fraction
    from ``circular_states`` on a 60 s grid), 8 H100-class accelerators each, one training job
    (13B parameters, 200 data-parallel replicas, ring all-reduce over 100 Gbit/s ISLs) and
    one inference service (70B parameters on the other 200 satellites, 3 user regions), with
    radiation faults, satellite failures and link outages, over one day. Both policies.
(b) Million-satellite case: 10 shells of 100,000 satellites as 10 aggregated nodes, training,
    inference and Earth observation over one day.
(c) Peer: the inference part of (a) (Poisson arrivals, FIFO replicas, routing to the best of
    the 4 lowest-RTT nodes) for one hour, written the usual SimPy way (a process per request,
    a ``Resource`` per replica), and the same hour in skydc's engine. Events counted the
    same way in both: one per arrival, one per completion.

Events counted by skydc: every heap event that did something (power changes, battery
limits, training phases, faults, grid samples), every request arrival and every completion.
The last line is ``operations: <N> events/s`` for (a) with the power-aware policy.

    .venv/bin/python benchmarks/operations.py [--rate 10] [--hours 24] [--skip-million]
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import sys
import time

import numpy as np

from skydc.operations.engine import simulate
from skydc.operations.faults import FaultModel
from skydc.operations.nodes import Environment, NodeSpec
from skydc.operations.workloads import EarthObservationJob, InferenceService, TrainingJob
from skydc.orbits.circular import circular_states
from skydc.orbits.constellation import walker_delta
from skydc.spacecraft.payload import get_accelerator
from skydc.spacecraft.radiation import RadiationEnvironment
from skydc.timescale import jd_utc_from_datetime

EPOCH = jd_utc_from_datetime(dt.datetime(2025, 3, 20, tzinfo=dt.UTC))
R_EARTH_M = 6378137.0
# 8 x H100 SXM per satellite: 989 TFLOP/s BF16 dense, 700 W x 1.821 server factor, 80 GB each
SAT = NodeSpec(
    "sat",
    peak_flops=8 * 989e12,
    it_power_w=8 * 700.0 * 1.821,
    battery_wh=8000.0,
    array_power_w=20000.0,
    bus_power_w=1000.0,
    accelerators=8,
    memory_bytes=8 * 80e9,
    min_state_of_charge=0.2,
    internal_bandwidth_bps=900e9 * 8,
)
# radiation-model rates of a TPU v6e behind 10 mm Al at 550 km, 53 deg (skydc.spacecraft),
# 2 %/yr satellite failures replaced in 30 days, link outages twice a day for a minute
RATES = RadiationEnvironment(550.0, 53.0, 10.0).fault_rates(get_accelerator("tpu-v6e"), 5.0)
FAULTS = FaultModel.from_radiation(
    RATES,
    satellite_failure_per_year=0.02,
    replacement_s=30 * 86400.0,
    link_outage_per_node_day=2.0,
    link_outage_s=60.0,
)


def sunlit(planes: int, per_plane: int, alt_km: float, inc_deg: float, t: np.ndarray) -> np.ndarray:
    elements = walker_delta(
        planes, per_plane, 1, R_EARTH_M + alt_km * 1e3, np.radians(inc_deg), EPOCH
    )
    out = circular_states(elements, t).sunlit_fraction
    assert out is not None
    return out


def default_case(rate: float, hours: float) -> tuple[list[NodeSpec], Environment, list]:
    t = np.arange(0.0, hours * 3600.0 + 1.0, 60.0)
    sun = sunlit(20, 20, 550.0, 53.0, t)
    rng = np.random.default_rng(1)
    env = Environment(
        t, sun, isl_capacity_bps=np.full(400, 100e9), ground_rtt_s=rng.uniform(0.02, 0.08, (3, 400))
    )
    job = TrainingJob(
        "llm-13b", parameters=13e9, tokens=1e12, global_batch_tokens=4e6, data_parallel=200,
        tensor_parallel=8, checkpoint_interval_s=1800.0, checkpoint_write_s=30.0, restart_s=300.0,
    )  # fmt: skip
    svc = InferenceService(
        "chat-70b", parameters=70e9, arrival_rate_per_s=(rate,) * 3, tokens_in=1000,
        tokens_out=500, tensor_parallel=8,
    )  # fmt: skip
    return [SAT] * 400, env, [job, svc]


def million_case(rate: float) -> tuple[list[NodeSpec], Environment, list]:
    t = np.arange(0.0, 86400.0 + 1.0, 60.0)
    rows = [sunlit(20, 10, 500.0 + 50 * k, 40.0 + 5 * k, t).mean(axis=0) for k in range(10)]
    shell = NodeSpec(**{**SAT.__dict__, "name": "shell", "satellites": 100_000,
                        "internal_bandwidth_bps": 100e9})  # fmt: skip
    env = Environment(
        t, np.array(rows), isl_capacity_bps=np.full(10, 100e9), ground_rtt_s=np.full((3, 10), 0.05)
    )
    work = [
        EarthObservationJob("eo", bytes_per_satellite_day=1e12, flops_per_byte=1e5,
                            downlink_bytes_per_satellite_day=2e11, product_fraction=0.01),
        TrainingJob("llm-13b", parameters=13e9, tokens=1e14, global_batch_tokens=64e6,
                    data_parallel=1_000, tensor_parallel=8, checkpoint_interval_s=600.0,
                    checkpoint_write_s=30.0, restart_s=300.0),
        InferenceService("chat-70b", parameters=70e9, arrival_rate_per_s=(rate,) * 3,
                         tokens_in=1000, tokens_out=500, tensor_parallel=8, replicas=20_000),
    ]  # fmt: skip
    return [shell] * 10, env, work


def simpy_inference(
    nodes, env, svc: InferenceService, hours: float, seed: int
) -> tuple[int, float]:
    """The inference queue in SimPy: returns (arrivals + completions, wall seconds)."""
    import simpy

    n = len(nodes)
    rtt = np.asarray(env.ground_rtt_s)
    hosts = np.arange(200, 400)  # greedy placement: training on 0..199, inference after
    peak = nodes[0].peak_flops * svc.compute_efficiency
    service_s = svc.request_flops / peak
    cands = [hosts[np.argsort(row[hosts], kind="stable")][:4].tolist() for row in rtt]
    rng = np.random.default_rng(seed)
    sim = simpy.Environment()
    servers = [simpy.Resource(sim, capacity=1) for _ in range(n)]
    latency: list[float] = []
    horizon = hours * 3600.0

    def request(region: int, born: float):  # type: ignore[no-untyped-def]
        best = min(
            cands[region],
            key=lambda i: rtt[region, i] + (len(servers[i].queue) + servers[i].count) * service_s,
        )
        half = 0.5 * rtt[region, best]
        yield sim.timeout(half)
        with servers[best].request() as slot:
            yield slot
            yield sim.timeout(service_s)
        latency.append(sim.now + half - born)

    def arrivals(region: int, rate: float):  # type: ignore[no-untyped-def]
        while True:
            yield sim.timeout(rng.exponential(1.0 / rate))
            if sim.now < horizon:
                sim.process(request(region, sim.now))

    for r, rate in enumerate(svc.rates):
        sim.process(arrivals(r, rate))
    t0 = time.perf_counter()
    sim.run(until=horizon)
    wall = time.perf_counter() - t0
    return 2 * len(latency), wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=float, default=10.0, help="requests/s per region (3)")
    parser.add_argument("--hours", type=float, default=24.0)
    parser.add_argument("--skip-million", action="store_true")
    parser.add_argument("--skip-simpy", action="store_true")
    args = parser.parse_args()
    import numpy

    print(f"Python {platform.python_version()}, NumPy {numpy.__version__}, {platform.machine()}")
    t0 = time.perf_counter()
    nodes, env, work = default_case(args.rate, args.hours)
    print(f"(a) setup (orbits, sunlit fraction) {time.perf_counter() - t0:.2f} s")
    rates = {}
    for policy in ("greedy", "power-aware"):
        r = simulate(nodes, env, work, policy=policy, faults=FAULTS, seed=1)
        job, svc = r.training[0], r.inference[0]
        rates[policy] = r.events_per_s
        print(
            f"(a) {policy:11s}: {r.events:,} events in {r.wall_s:.2f} s = {r.events_per_s:,.0f}/s; "
            f"requests {svc.arrivals:,}, steps {job.steps_committed:,}, crashes {job.crashes}, "
            f"goodput {r.goodput:.4f}, availability {r.availability:.4f}, "
            f"p99 {svc.latency_p99_s * 1e3:.1f} ms, ledger balanced {r.ledger.balanced}"
        )
    only = simulate(nodes, env, work[:1], policy="power-aware", faults=FAULTS, seed=1)
    print(
        f"(a) training alone (power, steps, faults; no requests): {only.events:,} events in "
        f"{only.wall_s:.2f} s = {only.events_per_s:,.0f}/s"
    )
    if not args.skip_million:
        nodes_m, env_m, work_m = million_case(args.rate)
        r = simulate(nodes_m, env_m, work_m, policy="power-aware", faults=FAULTS, seed=1)
        print(
            f"(b) 1,000,000 satellites as 10 shell nodes, one day: {r.events:,} events in "
            f"{r.wall_s:.2f} s = {r.events_per_s:,.0f}/s; training steps "
            f"{r.training[0].steps_committed:,}, requests {r.inference[0].arrivals:,}, "
            f"EO volume saved {r.earth_observation[0].volume_saved_fraction:.3f}"
        )
    if not args.skip_simpy:
        try:
            import simpy
        except ImportError:
            print("(c) simpy not installed: skipped")
        else:
            hour_nodes, hour_env, hour_work = default_case(args.rate, 1.0)
            count, wall = simpy_inference(hour_nodes, hour_env, hour_work[1], 1.0, seed=1)
            ours = simulate(hour_nodes, hour_env, [hour_work[1]], policy="greedy", seed=1)
            svc = ours.inference[0]
            own = (svc.arrivals + svc.completed) / ours.wall_s
            peer = count / wall
            print(
                f"(c) inference queue, 1 h: SimPy {simpy.__version__} {peer:,.0f} events/s "
                f"({count:,} in {wall:.2f} s); skydc {own:,.0f} events/s "
                f"({svc.arrivals + svc.completed:,} in {ours.wall_s:.2f} s): {own / peer:.1f}x"
            )
    print(f"operations: {rates['power-aware']:.0f} events/s")


if __name__ == "__main__":
    sys.exit(main())
